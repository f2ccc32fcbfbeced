import { randomBytes } from "node:crypto";
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { silentLogger } from "#common";
import { HeliaEvidenceStore, KuboEvidenceStore, type EvidenceStore } from "#evidence";
import { cidOf } from "#proof";
import { startKuboRpcDaemon, type KuboRpcDaemon } from "../support/kubo-rpc-daemon.js";
import { tempDir } from "../support/temp.js";

/** Sizes around the chunk (256 KiB) and the 174-links-per-node boundaries, where CIDs diverge if misconfigured. */
const SIZES = [0, 6, 262_144, 262_145, 174 * 262_144 + 1];
const samples = SIZES.map((size) => randomBytes(size));

function storeContract(name: string, open: () => Promise<EvidenceStore>, close: () => Promise<void>): void {
  describe(name, () => {
    let store: EvidenceStore;
    beforeAll(async () => {
      store = await open();
    }, 120_000);
    afterAll(async () => {
      await store.close();
      await close();
    });

    it("stores bytes under the CID `ipfs add --cid-version=1` gives, and returns them", async () => {
      for (const bytes of samples) {
        const cid = await store.add(bytes);
        expect(cid).toBe(await cidOf(bytes));
        expect(Buffer.from(await store.get(cid)).equals(bytes)).toBe(true);
        expect(await store.has(cid)).toBe(true);
      }
    }, 120_000);

    it("knows what it does not hold, without looking it up elsewhere", async () => {
      const absent = await cidOf(randomBytes(64));
      expect(await store.has(absent)).toBe(false);
      await expect(store.get(absent)).rejects.toMatchObject({ code: "EVIDENCE.NOT_FOUND" });
    }, 30_000);

    it("rejects something that is not a CID", async () => {
      await expect(store.get("not-a-cid")).rejects.toMatchObject({ code: "EVIDENCE.INVALID_CID" });
    });

    it("reports itself healthy", async () => {
      expect(await store.health()).toMatchObject({ status: "ok", kind: store.kind });
    });
  });
}

const heliaDir = await tempDir("helia");
storeContract(
  "in-process node (Helia, filesystem blockstore)",
  () => HeliaEvidenceStore.open(heliaDir.path, silentLogger),
  () => Promise.resolve(),
);

let daemon: KuboRpcDaemon | undefined;
storeContract(
  "Kubo RPC API (against a real daemon)",
  async () => {
    daemon = await startKuboRpcDaemon();
    return KuboEvidenceStore.connect(daemon.apiUrl, silentLogger);
  },
  async () => daemon?.stop(),
);

describe("in-process node persistence", () => {
  afterAll(() => heliaDir.remove());

  it("still has every block after a restart", async () => {
    const bytes = randomBytes(600_000);
    const first = await HeliaEvidenceStore.open(heliaDir.path, silentLogger);
    const cid = await first.add(bytes);
    await first.close();
    const second = await HeliaEvidenceStore.open(heliaDir.path, silentLogger);
    expect(Buffer.from(await second.get(cid)).equals(bytes)).toBe(true);
    await second.close();
  });

  it("does not count a root whose leaf blocks are missing as held", async () => {
    const dir = await tempDir("helia-partial");
    const before = await HeliaEvidenceStore.open(dir.path, silentLogger);
    const cid = await before.add(randomBytes(600_000)); // three 256 KiB-or-less raw leaves under a dag-pb root
    await before.close();
    // Leaves are the large block files; the root is a few dozen bytes. Remove the leaves only.
    const files = await readdir(join(dir.path, "blocks"), { recursive: true, withFileTypes: true });
    const leaves = [];
    for (const file of files.filter((f) => f.isFile())) {
      const path = join(file.parentPath, file.name);
      if ((await stat(path)).size > 1_000) leaves.push(path);
    }
    expect(leaves).toHaveLength(3);
    await Promise.all(leaves.map((path) => rm(path)));

    const after = await HeliaEvidenceStore.open(dir.path, silentLogger);
    expect(await after.has(cid)).toBe(false);
    await expect(after.get(cid)).rejects.toMatchObject({ code: "EVIDENCE.NOT_FOUND" });
    await after.close();
    await dir.remove();
  });
});

describe("Kubo adapter with no daemon", () => {
  it("fails with EVIDENCE.IPFS_UNAVAILABLE", async () => {
    await expect(KuboEvidenceStore.connect("http://127.0.0.1:9", silentLogger)).rejects.toMatchObject({
      code: "EVIDENCE.IPFS_UNAVAILABLE",
    });
  });
});
