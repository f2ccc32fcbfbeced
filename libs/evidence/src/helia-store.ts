import { constants } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { unixfs, type UnixFS } from "@helia/unixfs";
import { FsBlockstore } from "blockstore-fs";
import { FsDatastore } from "datastore-fs";
import { createHeliaLight, type Helia } from "helia";
import type { Logger } from "#common";
import { KUBO_V1_IMPORT } from "#proof";
import { evidenceNotFound } from "./errors.js";
import type { EvidenceHealth, EvidenceStore } from "./evidence-store.js";
import { concat, drain, parseCid } from "./parse-cid.js";

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

  /** Idempotent: the same bytes again give the same CID, and a pin that is already there is success. */
  async add(bytes: Uint8Array): Promise<string> {
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

  async health(): Promise<EvidenceHealth> {
    try {
      await access(join(this.dir, "blocks"), constants.R_OK | constants.W_OK);
      return { status: "ok", kind: this.kind, detail: `in-process node, blocks in ${this.dir}` };
    } catch (error) {
      return { status: "failing", kind: this.kind, detail: String(error) };
    }
  }

  async close(): Promise<void> {
    await this.helia.stop();
  }
}
