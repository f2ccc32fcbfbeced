import { importer, type ImporterOptions } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";

/**
 * The UnixFS import parameters of `ipfs add --cid-version=1` in Kubo: CIDv1, raw leaves, 256 KiB chunks,
 * balanced DAG with at most 174 links per node. Spelled out rather than left to the importer's defaults, which
 * other UnixFS tools change (Helia's: 1 MiB chunks, 1024 links): the same file must get the same CID in our
 * embedded store as in a Kubo daemon.
 */
export const KUBO_V1_IMPORT: Pick<ImporterOptions, "cidVersion" | "rawLeaves" | "chunker" | "layout"> = {
  cidVersion: 1,
  rawLeaves: true,
  chunker: fixedSize({ chunkSize: 262_144 }),
  layout: balanced({ maxChildrenPerNode: 174 }),
};

/** Kubo's own query parameters for the same import, for its RPC API. */
export const KUBO_V1_ADD_PARAMS = { cidVersion: 1, rawLeaves: true, chunker: "size-262144" } as const;

/** `ipfs add` without flags (CIDv0, dag-pb leaves), only used to cross-check against other calculators. */
export const KUBO_V0_IMPORT: Pick<ImporterOptions, "cidVersion" | "rawLeaves" | "chunker" | "layout"> = {
  ...KUBO_V1_IMPORT,
  cidVersion: 0,
  rawLeaves: false,
};

/** A blockstore that keeps nothing: computing a CID only needs the hashes. */
const discard = {
  put: (cid: unknown): Promise<unknown> => Promise.resolve(cid),
};

/**
 * The CID `ipfs add --cid-version=1` gives these bytes, computed locally without storing anything.
 * Verification uses it to check that evidence bytes are what an event points to.
 */
export async function cidOf(bytes: Uint8Array, options = KUBO_V1_IMPORT): Promise<string> {
  let root: string | undefined;
  for await (const entry of importer([{ content: bytes }], discard as never, options)) {
    root = entry.cid.toString();
  }
  if (root === undefined) throw new Error("importer produced no root");
  return root;
}
