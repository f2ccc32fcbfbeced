import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { CID } from "multiformats/cid";
import { cidOf, KUBO_V0_IMPORT } from "./cid.js";

/**
 * Debian's `ipfs-cid` (a Rust implementation, binary `ipfs_cid`) computes what plain `ipfs add` gives (CIDv0).
 * Matching it on files that need one, two and three DAG levels checks our chunker and layout; CIDv1 differs
 * only in leaf encoding, which the raw-block vectors below check.
 */
const IPFS_CID = "/usr/bin/ipfs_cid";
const dir = mkdtempSync(join(tmpdir(), "carbontrace-cid-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function independentCidV0(bytes: Uint8Array): string {
  const path = join(dir, `f-${bytes.byteLength}`);
  writeFileSync(path, bytes);
  let output: string;
  try {
    output = execFileSync(IPFS_CID, [path], { stdio: ["ignore", "pipe", "ignore"] }).toString();
  } catch (error) {
    throw new Error(`${IPFS_CID} failed; install the Debian package "ipfs-cid" (.ci/run does)`, { cause: error });
  }
  return (JSON.parse(output) as { CIDv0: string }).CIDv0;
}

describe("cidOf", () => {
  it("gives the CID Kubo's `ipfs add --cid-version=1` gives for small files", async () => {
    // echo hello | ipfs add --cid-version=1 -q
    expect(await cidOf(new TextEncoder().encode("hello\n"))).toBe(
      "bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am",
    );
    // ipfs add --cid-version=1 -q /dev/null
    expect(await cidOf(new Uint8Array())).toBe("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
  });

  it("makes a single-chunk file one raw block: CIDv1(raw, sha2-256(bytes))", async () => {
    const bytes = randomBytes(262_144);
    const cid = CID.parse(await cidOf(bytes));
    expect(cid.version).toBe(1);
    expect(cid.code).toBe(0x55);
    expect(Buffer.from(cid.multihash.digest).toString("hex")).toBe(createHash("sha256").update(bytes).digest("hex"));
  });

  it("builds a dag-pb root once the file needs a second chunk", async () => {
    const cid = CID.parse(await cidOf(randomBytes(262_145)));
    expect(cid.code).toBe(0x70);
  });

  const sizes: Array<[string, number]> = [
    ["empty", 0],
    ["6 bytes", 6],
    ["one chunk", 262_144],
    ["one chunk and a byte", 262_145],
    ["174 chunks (one full level)", 174 * 262_144],
    ["175 chunks (a second level)", 174 * 262_144 + 1],
  ];
  for (const [name, size] of sizes) {
    it(`agrees with the independent calculator on ${name}`, async () => {
      const bytes = randomBytes(size);
      expect(await cidOf(bytes, KUBO_V0_IMPORT)).toBe(independentCidV0(bytes));
    });
  }
});
