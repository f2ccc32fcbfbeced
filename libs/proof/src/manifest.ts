import type { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import canonicalize from "canonicalize";
import { utf8Bytes } from "#common";
import { checksummed } from "./address.js";
import { compareCodePoints } from "./compare.js";
import { buildTreeWithLeaves, LEAF_ENCODING, leafValue, type LeafValue } from "./merkle.js";

export const MANIFEST_TYPE = "CarbonTraceAnchorBatch";

/** `@openzeppelin/merkle-tree`'s dump format ("standard-v1"); the package does not export the type by name. */
export type TreeDump = ReturnType<StandardMerkleTree<LeafValue>["dump"]>;

/** What a batch anchors, stored in IPFS under the CID anchored with the root. */
export interface BatchManifest {
  readonly type: typeof MANIFEST_TYPE;
  readonly version: 1;
  readonly chainId: string;
  /** TraceLedger address. */
  readonly contract: string;
  readonly leafEncoding: readonly string[];
  readonly root: string;
  /** The batch's events, in the order of the tree's values (`tree.values[i]` is `events[i]`). */
  readonly events: ReadonlyArray<{ readonly eventHash: string; readonly signer: string }>;
  /** The whole tree, as `@openzeppelin/merkle-tree` dumps it: anyone can load it and derive any proof. */
  readonly tree: TreeDump;
}

export interface BuiltBatch {
  readonly manifest: BatchManifest;
  readonly root: string;
  /** Leaf hash and tree index of each event, by event hash. */
  readonly leaves: ReadonlyArray<{ readonly eventHash: string; readonly leafIndex: number; readonly leaf: string }>;
}

/**
 * The batch for a set of events. Deterministic: the same events give the same manifest bytes, hence the same
 * IPFS CID, so a batch rebuilt after a crash is the batch that was (perhaps) already anchored.
 */
export function buildBatch(
  chainId: bigint | string,
  contract: string,
  events: ReadonlyArray<{ eventHash: string; signer: string }>,
): BuiltBatch {
  const ordered = [...events]
    .map((event) => ({ eventHash: event.eventHash, signer: checksummed(event.signer) }))
    .sort((a, b) => compareCodePoints(a.eventHash, b.eventHash));
  const { tree, leafHashes } = buildTreeWithLeaves(ordered.map((event) => leafValue(event.eventHash, event.signer)));
  const manifest: BatchManifest = {
    type: MANIFEST_TYPE,
    version: 1,
    chainId: chainId.toString(),
    contract: checksummed(contract),
    leafEncoding: [...LEAF_ENCODING],
    root: tree.root,
    events: ordered,
    tree: tree.dump(),
  };
  return {
    manifest,
    root: tree.root,
    leaves: ordered.map((event, leafIndex) => ({
      eventHash: event.eventHash,
      leafIndex,
      leaf: leafHashes[leafIndex] ?? "",
    })),
  };
}

/** RFC 8785 canonical JSON: the bytes stored in IPFS and hashed. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8Bytes(canonicalText(value));
}

/** RFC 8785 canonical JSON as text (what `canonicalBytes` encodes as UTF-8). */
export function canonicalText(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("value cannot be serialised as JSON");
  return text;
}
