import { constants } from "node:fs";
import { access, readdir, stat, statfs, unlink } from "node:fs/promises";
import { join } from "node:path";
import * as dagPb from "@ipld/dag-pb";
import { FsBlockstore } from "blockstore-fs";
import { exporter, type ReadableStorage } from "ipfs-unixfs-exporter";
import { importer } from "ipfs-unixfs-importer";
import type { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { identity } from "multiformats/hashes/identity";
import { sha256 } from "multiformats/hashes/sha2";
import type { Logger } from "#common";
import { KUBO_V1_IMPORT } from "#proof";
import { evidenceNotFound, isNoSpace, storeFull } from "./errors.js";
import type { EvidenceHealth, EvidenceStore } from "./evidence-store.js";
import { concat, drain, parseCid } from "./parse-cid.js";

/**
 * Below this much free space on the store's disk (or this share of a small disk), health says failing: an add
 * fails now or soon.
 */
const FAILING_FREE_BYTES = 16 * 1024 * 1024;
const FAILING_FREE_SHARE = 0.02;
/** Below this (or this share of a small disk), degraded: time for the operator to add space. */
const DEGRADED_FREE_BYTES = 512 * 1024 * 1024;
const DEGRADED_FREE_SHARE = 0.1;

/** blockstore-fs writes a block to `.<name>.tmp` beside it, then renames it (an atomic write). */
const TEMP_FILE = /^\..*\.tmp$/;

/**
 * Removes what a write interrupted by a full disk leaves in the block store: zero-byte block files and half-written
 * temporary files, so that a later add of the same block writes it again and their space is free again. (Only the
 * empty file's raw block is legitimately empty; removing it too is harmless: the next add of empty bytes writes it.)
 */
async function removeLeftovers(dir: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path).catch(() => undefined);
    if (info?.size === 0 || TEMP_FILE.test(entry.name)) await unlink(path).catch(() => undefined);
  }
}

/**
 * The embedded IPFS store: UnixFS files as blocks on disk (`blockstore-fs`, one file per block under
 * `<dir>/blocks`), written by the same importer as Kubo with Kubo's `--cid-version=1` parameters and read back by
 * the UnixFS exporter. No IPFS network stack at all: it opens no listener, never dials out, and content it lacks
 * is simply not found.
 *
 * Nothing is ever removed (there is no garbage collector), so every block added stays: that is what pinning
 * guarantees on a node that collects garbage, and there is no separate pin record. The directory layout is the one
 * the earlier Helia-based store wrote (`<dir>/blocks`), so existing data dirs keep working; the `<dir>/datastore`
 * it also kept (Helia's pin records) is no longer read and may be deleted.
 */
export class EmbeddedEvidenceStore implements EvidenceStore {
  readonly kind = "embedded";

  /**
   * Writes only the blocks it does not hold intact: an add of held content writes nothing, and an add of content
   * with a damaged block file rewrites that block.
   */
  private readonly writer = {
    put: async (cid: CID, bytes: Uint8Array, options?: { signal?: AbortSignal }): Promise<CID> =>
      (await this.holdsBlock(cid)) ? cid : this.blocks.put(cid, bytes, options),
  };

  /** Hands the exporter only blocks whose bytes match their CID. */
  private readonly reader: ReadableStorage = {
    get: (cid: CID) => this.verifiedBlock(cid),
  };

  private constructor(
    private readonly blocks: FsBlockstore,
    private readonly dir: string,
  ) {}

  static async open(dir: string, log: Logger): Promise<EmbeddedEvidenceStore> {
    const blocks = new FsBlockstore(join(dir, "blocks"));
    await blocks.open();
    log.info("embedded IPFS block store ready", { dir: join(dir, "blocks") });
    return new EmbeddedEvidenceStore(blocks, dir);
  }

  /**
   * Idempotent: the same bytes again give the same CID and write nothing new. A full disk is EVIDENCE.STORE_FULL
   * (503), and the partial files it left are removed.
   */
  async add(bytes: Uint8Array): Promise<string> {
    try {
      let root: CID | undefined;
      for await (const entry of importer([{ content: bytes }], this.writer, KUBO_V1_IMPORT)) root = entry.cid;
      if (root === undefined) throw new Error("the UnixFS importer produced no root");
      return root.toString();
    } catch (error) {
      if (!isNoSpace(error)) throw error;
      await removeLeftovers(join(this.dir, "blocks"));
      throw storeFull(error);
    }
  }

  async get(cid: string): Promise<Uint8Array> {
    const parsed = parseCid(cid);
    try {
      return await concat(await this.content(parsed));
    } catch (error) {
      throw evidenceNotFound(cid, error);
    }
  }

  /**
   * Whether every block of the file is here, as Kubo's pin check answers it: the interior (dag-pb) nodes are read
   * (a few hundred bytes each) to follow their links, the leaves only looked up, never read, so the cost does not
   * grow with the file's size. A damaged leaf shows when the file is read (get refuses it; an add repairs it).
   */
  async has(cid: string): Promise<boolean> {
    const parsed = parseCid(cid);
    try {
      return await this.holdsDag(parsed);
    } catch {
      return false;
    }
  }

  private async holdsDag(cid: CID): Promise<boolean> {
    if (cid.multihash.code === identity.code) return true; // the CID carries its bytes
    if (!(await this.blocks.has(cid))) return false;
    if (cid.code === raw.code) return true;
    if (cid.code !== dagPb.code) return false;
    const node = dagPb.decode(await concat(this.verifiedBlock(cid)));
    for (const link of node.Links) if (!(await this.holdsDag(link.Hash))) return false;
    return true;
  }

  /** Failing when the store cannot be written or has almost no space left; degraded when space runs low. */
  async health(): Promise<EvidenceHealth> {
    try {
      await access(join(this.dir, "blocks"), constants.R_OK | constants.W_OK);
      const space = await statfs(this.dir);
      const freeBytes = space.bavail * space.bsize;
      const totalBytes = space.blocks * space.bsize;
      const where = `embedded block store in ${join(this.dir, "blocks")}`;
      if (freeBytes < Math.min(FAILING_FREE_BYTES, totalBytes * FAILING_FREE_SHARE))
        return { status: "failing", kind: this.kind, detail: `${where}: disk full`, freeBytes };
      if (freeBytes < Math.min(DEGRADED_FREE_BYTES, totalBytes * DEGRADED_FREE_SHARE))
        return { status: "degraded", kind: this.kind, detail: `${where}: disk space low`, freeBytes };
      return { status: "ok", kind: this.kind, detail: where, freeBytes };
    } catch (error) {
      return { status: "failing", kind: this.kind, detail: String(error) };
    }
  }

  async close(): Promise<void> {
    await this.blocks.close();
  }

  /** A block's bytes, read whole and checked against the hash in its CID: a damaged file is not the block. */
  private async *verifiedBlock(cid: CID): AsyncGenerator<Uint8Array> {
    if (cid.multihash.code !== sha256.code) throw new Error(`block ${cid.toString()}: not a sha2-256 CID`);
    const bytes = await concat(this.blocks.get(cid));
    const digest = await sha256.digest(bytes);
    if (Buffer.compare(digest.bytes, cid.multihash.bytes) !== 0)
      throw new Error(`block ${cid.toString()}: its file does not hash to its CID`);
    yield bytes;
  }

  private async holdsBlock(cid: CID): Promise<boolean> {
    if (!(await this.blocks.has(cid))) return false;
    return drain(this.verifiedBlock(cid)).then(
      () => true,
      () => false,
    );
  }

  /** The bytes of a file (or raw block) as a stream; a directory or other DAG is not evidence. */
  private async content(cid: CID): Promise<AsyncIterable<Uint8Array>> {
    const entry = await exporter(cid, this.reader);
    if (entry.type !== "file" && entry.type !== "raw" && entry.type !== "identity")
      throw new Error(`${cid.toString()} is a UnixFS ${entry.type}, not a file`);
    return toAsync(entry.content());
  }
}

async function* toAsync(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* chunks;
}
