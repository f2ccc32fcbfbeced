import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { open, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { silentLogger } from "#common";
import { EmbeddedEvidenceStore, KuboEvidenceStore, type EvidenceStore } from "#evidence";
import { cidOf } from "#proof";
import {
  KUBO_RPC_DAEMON_START_TIMEOUT_MS,
  startKuboRpcDaemon,
  type KuboRpcDaemon,
} from "../support/kubo-rpc-daemon.js";
import { tempDir } from "../support/temp.js";

/** Sizes around the chunk (256 KiB) and the 174-links-per-node boundaries, where CIDs diverge if misconfigured. */
const SIZES = [0, 6, 262_144, 262_145, 174 * 262_144 + 1];
const samples = SIZES.map((size) => randomBytes(size));

function storeContract(name: string, open: () => Promise<EvidenceStore>, close: () => Promise<void>): void {
  describe(name, () => {
    let store: EvidenceStore;
    beforeAll(async () => {
      store = await open();
    }, KUBO_RPC_DAEMON_START_TIMEOUT_MS); // the first run installs js-ipfs (test/support/kubo-rpc-daemon.ts)
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

const embeddedDir = await tempDir("embedded-ipfs");
storeContract(
  "embedded store (blockstore-fs + UnixFS importer/exporter)",
  () => EmbeddedEvidenceStore.open(embeddedDir.path, silentLogger),
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

describe("embedded store persistence", () => {
  afterAll(() => embeddedDir.remove());

  it("still has every block after a restart", async () => {
    const bytes = randomBytes(600_000);
    const first = await EmbeddedEvidenceStore.open(embeddedDir.path, silentLogger);
    const cid = await first.add(bytes);
    await first.close();
    const second = await EmbeddedEvidenceStore.open(embeddedDir.path, silentLogger);
    expect(Buffer.from(await second.get(cid)).equals(bytes)).toBe(true);
    await second.close();
  });

  it("does not count a root whose leaf blocks are missing as held", async () => {
    const dir = await tempDir("embedded-ipfs-partial");
    const before = await EmbeddedEvidenceStore.open(dir.path, silentLogger);
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

    const after = await EmbeddedEvidenceStore.open(dir.path, silentLogger);
    expect(await after.has(cid)).toBe(false);
    await expect(after.get(cid)).rejects.toMatchObject({ code: "EVIDENCE.NOT_FOUND" });
    await after.close();
    await dir.remove();
  });
});

const run = promisify(execFile);

/** A small tmpfs of its own at `dir` (root only), so that a full disk can be made without filling the machine's. */
async function mountSmallDisk(dir: string, megabytes: number): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  return run("mount", ["-t", "tmpfs", "-o", `size=${String(megabytes)}m`, "tmpfs", dir]).then(
    () => true,
    () => false,
  );
}

async function fillDisk(path: string): Promise<void> {
  const handle = await open(path, "w");
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) await handle.write(chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    await handle.close();
  }
}

const fullDisk = await tempDir("embedded-ipfs-full");
const canFillDisk = await mountSmallDisk(fullDisk.path, 8);

describe("embedded store on a full disk (a tmpfs of its own: root only, skipped otherwise)", () => {
  afterAll(async () => {
    if (canFillDisk) await run("umount", [fullDisk.path]).catch(() => undefined);
    await fullDisk.remove();
  });

  (canFillDisk ? it : it.skip)(
    "fails with EVIDENCE.STORE_FULL, leaves no empty or half-written block files, and adds again once space is free",
    async () => {
      const store = await EmbeddedEvidenceStore.open(fullDisk.path, silentLogger);
      const filler = join(fullDisk.path, "filler");
      await fillDisk(filler);
      const bytes = randomBytes(600_000);
      await expect(store.add(bytes)).rejects.toMatchObject({ code: "EVIDENCE.STORE_FULL" });
      expect(await store.health()).toMatchObject({ status: "failing", kind: "embedded" });
      const files = await readdir(join(fullDisk.path, "blocks"), { recursive: true, withFileTypes: true });
      for (const file of files.filter((f) => f.isFile())) {
        expect(file.name).not.toMatch(/\.tmp$/);
        expect((await stat(join(file.parentPath, file.name))).size).toBeGreaterThan(0);
      }

      await rm(filler);
      const cid = await store.add(bytes);
      expect(cid).toBe(await cidOf(bytes));
      expect(Buffer.from(await store.get(cid)).equals(bytes)).toBe(true);
      expect(await store.health()).toMatchObject({ status: "ok" });
      await store.close();
    },
  );
});

describe("Kubo adapter with no daemon", () => {
  it("fails with EVIDENCE.IPFS_UNAVAILABLE", async () => {
    await expect(KuboEvidenceStore.connect("http://127.0.0.1:9", silentLogger)).rejects.toMatchObject({
      code: "EVIDENCE.IPFS_UNAVAILABLE",
    });
  });
});
