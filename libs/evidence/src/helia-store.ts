import { constants } from "node:fs";
import { access, mkdir, readdir, stat, statfs, unlink } from "node:fs/promises";
import { join } from "node:path";
import { unixfs, type UnixFS } from "@helia/unixfs";
import { FsBlockstore } from "blockstore-fs";
import { FsDatastore } from "datastore-fs";
import { createHeliaLight, type Helia } from "helia";
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

/**
 * Removes the zero-byte files a write interrupted by a full disk leaves in the block store (a block is never
 * empty: its file holds at least its bytes), so that a later add of the same block writes it again.
 */
async function removeEmptyFiles(dir: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path).catch(() => undefined);
    if (info?.size === 0) await unlink(path).catch(() => undefined);
  }
}

/**
 * An in-process IPFS node with its blocks on disk. Built with `createHeliaLight`: no libp2p, no routers,
 * no block brokers, so it opens no listener and never dials out; content it lacks is simply not found.
 */
export class HeliaEvidenceStore implements EvidenceStore {
  readonly kind = "embedded";

  private constructor(
    private readonly helia: Helia,
    private readonly fs: UnixFS,
    private readonly dir: string,
  ) {}

  static async open(dir: string, log: Logger): Promise<HeliaEvidenceStore> {
    await mkdir(join(dir, "blocks"), { recursive: true });
    await mkdir(join(dir, "datastore"), { recursive: true });
    const helia = createHeliaLight({
      blockstore: new FsBlockstore(join(dir, "blocks")),
      datastore: new FsDatastore(join(dir, "datastore")),
    });
    await helia.start();
    log.info("in-process IPFS node ready", { dir });
    return new HeliaEvidenceStore(helia, unixfs(helia), dir);
  }

  /**
   * Idempotent: the same bytes again give the same CID, and a pin that is already there is success. A full disk
   * is EVIDENCE.STORE_FULL (503), and the partial files it left are removed.
   */
  async add(bytes: Uint8Array): Promise<string> {
    try {
      return await this.addAndPin(bytes);
    } catch (error) {
      if (!isNoSpace(error)) throw error;
      await removeEmptyFiles(join(this.dir, "blocks"));
      throw storeFull(error);
    }
  }

  private async addAndPin(bytes: Uint8Array): Promise<string> {
    const cid = await this.fs.addBytes(bytes, KUBO_V1_IMPORT);
    if (!(await this.helia.pins.isPinned(cid))) {
      try {
        await drain(this.helia.pins.add(cid));
      } catch (error) {
        // Two adds of the same bytes may race to pin: the loser finds the pin there, which is what it wanted.
        if ((error as { name?: string }).name !== "AlreadyPinnedError") throw error;
      }
    }
    return cid.toString();
  }

  async get(cid: string): Promise<Uint8Array> {
    const parsed = parseCid(cid);
    try {
      return await concat(this.fs.cat(parsed, { offline: true }));
    } catch (error) {
      throw evidenceNotFound(cid, error);
    }
  }

  async has(cid: string): Promise<boolean> {
    const parsed = parseCid(cid);
    if (!(await this.helia.blockstore.has(parsed))) return false;
    try {
      // Walk the whole DAG without fetching: a root whose children are missing is not "held".
      await drain(this.fs.cat(parsed, { offline: true }));
      return true;
    } catch {
      return false;
    }
  }

  /** Failing when the store cannot be written or has almost no space left; degraded when space runs low. */
  async health(): Promise<EvidenceHealth> {
    try {
      await access(join(this.dir, "blocks"), constants.R_OK | constants.W_OK);
      const space = await statfs(this.dir);
      const freeBytes = space.bavail * space.bsize;
      const totalBytes = space.blocks * space.bsize;
      const where = `in-process node, blocks in ${this.dir}`;
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
    await this.helia.stop();
  }
}
