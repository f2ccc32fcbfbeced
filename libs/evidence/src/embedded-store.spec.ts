import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { silentLogger } from "#common";
import { cidOf } from "#proof";
import { EmbeddedEvidenceStore } from "./embedded-store.js";

const root = await mkdtemp(join(tmpdir(), "carbontrace-embedded-store-"));
afterAll(() => rm(root, { recursive: true, force: true }));

let count = 0;
function freshDir(): string {
  count += 1;
  return join(root, `store-${String(count)}`);
}

/** Every block file under `<dir>/blocks`, with its size. */
async function blockFiles(dir: string): Promise<Map<string, number>> {
  const files = new Map<string, number>();
  for (const entry of await readdir(join(dir, "blocks"), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path, (await stat(path)).size);
  }
  return files;
}

describe("the embedded evidence store", () => {
  let dir: string;
  let store: EmbeddedEvidenceStore;
  beforeAll(async () => {
    dir = freshDir();
    store = await EmbeddedEvidenceStore.open(dir, silentLogger);
  });
  afterAll(() => store.close());

  // Around the 256 KiB chunk and the 174-links-per-node boundaries, where CIDs diverge if misconfigured.
  const sizes: Array<[string, number]> = [
    ["an empty file", 0],
    ["6 bytes", 6],
    ["one chunk", 262_144],
    ["one chunk and a byte", 262_145],
    ["174 chunks (one full level)", 174 * 262_144],
    ["175 chunks (a second level, ~45 MB)", 174 * 262_144 + 1],
  ];
  for (const [name, size] of sizes) {
    it(`stores ${name} under the CID \`ipfs add --cid-version=1\` gives, and gives the same bytes back`, async () => {
      const bytes = randomBytes(size);
      const cid = await store.add(bytes);
      expect(cid).toBe(await cidOf(bytes));
      expect(await store.has(cid)).toBe(true);
      expect(Buffer.from(await store.get(cid)).equals(bytes)).toBe(true);
    });
  }

  it("gives Kubo's CID for a known file", async () => {
    // echo hello | ipfs add --cid-version=1 -q
    expect(await store.add(new TextEncoder().encode("hello\n"))).toBe(
      "bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am",
    );
  });

  it("keeps a block in the file the earlier Helia-based store used, so existing data dirs keep working", async () => {
    await store.add(new TextEncoder().encode("hello\n"));
    // Where Helia 7 (blockstore-fs, next-to-last sharding, base32 multihash keys) wrote this block.
    const file = join(dir, "blocks", "AY", "BCIQFRENVWURNLXYINUH7BMIQ7PM5EG5U7RYWHLZU2CBINIXII33L4AY.data");
    expect(await readFile(file, "utf8")).toBe("hello\n");
  });

  it("is idempotent: the same bytes again give the same CID and write nothing", async () => {
    const bytes = randomBytes(600_000);
    const cid = await store.add(bytes);
    const before = await blockFiles(dir);
    const mtimes = await Promise.all([...before.keys()].map(async (path) => (await stat(path)).mtimeMs));
    const again = await Promise.all([store.add(bytes), store.add(bytes)]);
    expect(again).toEqual([cid, cid]);
    expect(await blockFiles(dir)).toEqual(before);
    expect(await Promise.all([...before.keys()].map(async (path) => (await stat(path)).mtimeMs))).toEqual(mtimes);
  });

  it("adds the same new bytes twice at once without failing", async () => {
    const bytes = randomBytes(700_000);
    const [first, second] = await Promise.all([store.add(bytes), store.add(bytes)]);
    expect(first).toBe(second);
    expect(Buffer.from(await store.get(first)).equals(bytes)).toBe(true);
  });

  it("knows what it does not hold, without looking it up elsewhere", async () => {
    const absent = await cidOf(randomBytes(64));
    expect(await store.has(absent)).toBe(false);
    await expect(store.get(absent)).rejects.toMatchObject({ code: "EVIDENCE.NOT_FOUND" });
  });

  it("rejects something that is not a CID", async () => {
    await expect(store.get("not-a-cid")).rejects.toMatchObject({ code: "EVIDENCE.INVALID_CID" });
    await expect(store.has("not-a-cid")).rejects.toMatchObject({ code: "EVIDENCE.INVALID_CID" });
  });

  it("reports itself healthy, with the free space on its disk", async () => {
    const health = await store.health();
    expect(health).toMatchObject({ status: "ok", kind: "embedded" });
    expect(health.detail).toContain(join(dir, "blocks"));
    expect(health.freeBytes).toBeGreaterThan(0);
  });
});

describe("a file whose DAG is incomplete", () => {
  it("is not held when a leaf block is missing", async () => {
    const dir = freshDir();
    const store = await EmbeddedEvidenceStore.open(dir, silentLogger);
    const cid = await store.add(randomBytes(600_000)); // three raw leaves of 256 KiB or less under a dag-pb root
    // Leaves are the large block files; the root is a few dozen bytes.
    const leaves = [...(await blockFiles(dir))].filter(([, size]) => size > 1_000).map(([path]) => path);
    expect(leaves).toHaveLength(3);
    await rm(leaves[1] ?? "");

    expect(await store.has(cid)).toBe(false);
    await expect(store.get(cid)).rejects.toMatchObject({ code: "EVIDENCE.NOT_FOUND" });
    await store.close();
  });

  it("is held while a leaf is present (not read), refused on reading when damaged, and repaired by adding again", async () => {
    const dir = freshDir();
    const store = await EmbeddedEvidenceStore.open(dir, silentLogger);
    const bytes = randomBytes(600_000);
    const cid = await store.add(bytes);
    const leaf = [...(await blockFiles(dir))].find(([, size]) => size > 1_000)?.[0] ?? "";
    await writeFile(leaf, randomBytes(262_144));

    // Presence, as Kubo's pin check: the leaves are looked up, not read.
    expect(await store.has(cid)).toBe(true);
    await expect(store.get(cid)).rejects.toMatchObject({ code: "EVIDENCE.NOT_FOUND" });
    expect(await store.add(bytes)).toBe(cid);
    expect(await store.has(cid)).toBe(true);
    expect(Buffer.from(await store.get(cid)).equals(bytes)).toBe(true);
    await store.close();
  });

  it("is not held when the root block is damaged (the links cannot be trusted)", async () => {
    const dir = freshDir();
    const store = await EmbeddedEvidenceStore.open(dir, silentLogger);
    const cid = await store.add(randomBytes(600_000));
    const [rootBlock] = [...(await blockFiles(dir))].filter(([, size]) => size < 1_000).map(([path]) => path);
    await writeFile(rootBlock ?? "", randomBytes(100));
    expect(await store.has(cid)).toBe(false);
    await store.close();
  });

  it("is not held when the root block is missing", async () => {
    const dir = freshDir();
    const store = await EmbeddedEvidenceStore.open(dir, silentLogger);
    const cid = await store.add(randomBytes(600_000));
    const rootBlock = [...(await blockFiles(dir))].filter(([, size]) => size < 1_000).map(([path]) => path);
    expect(rootBlock).toHaveLength(1);
    await rm(rootBlock[0] ?? "");
    expect(await store.has(cid)).toBe(false);
    await store.close();
  });
});

describe("the store across restarts", () => {
  it("still has every block when opened again on the same directory", async () => {
    const dir = freshDir();
    const bytes = randomBytes(174 * 262_144 + 1);
    const small = new TextEncoder().encode("meter reading\n");
    const first = await EmbeddedEvidenceStore.open(dir, silentLogger);
    const cid = await first.add(bytes);
    const smallCid = await first.add(small);
    await first.close();

    const second = await EmbeddedEvidenceStore.open(dir, silentLogger);
    expect(await second.has(cid)).toBe(true);
    expect(Buffer.from(await second.get(cid)).equals(bytes)).toBe(true);
    expect(new TextDecoder().decode(await second.get(smallCid))).toBe("meter reading\n");
    await second.close();
  });

  it("says failing when its block directory is gone", async () => {
    const dir = freshDir();
    const store = await EmbeddedEvidenceStore.open(dir, silentLogger);
    await rm(join(dir, "blocks"), { recursive: true });
    expect(await store.health()).toMatchObject({ status: "failing", kind: "embedded" });
    await store.close();
  });
});
