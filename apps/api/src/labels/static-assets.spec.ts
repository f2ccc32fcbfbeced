import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from "node:zlib";
import { loadStaticAsset } from "./static-assets.js";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** The built verifier script of these tests. */
const SCRIPT = Buffer.from(`export const verify = () => ${JSON.stringify("x".repeat(5_000))};\n`.repeat(20));

/** A project root holding SCRIPT as the built verifier, and (optionally) compressed files beside it. */
function builtVerifier(extra: { br?: Buffer; gz?: Buffer } = {}): string {
  const root = mkdtempSync(join(tmpdir(), "carbontrace-assets-"));
  roots.push(root);
  mkdirSync(join(root, "dist", "web"), { recursive: true });
  const file = join(root, "dist", "web", "journey-verify.js");
  writeFileSync(file, SCRIPT);
  if (extra.br !== undefined) writeFileSync(`${file}.br`, extra.br);
  if (extra.gz !== undefined) writeFileSync(`${file}.gz`, extra.gz);
  return root;
}

const fastest = { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } };

describe("loadStaticAsset", () => {
  it("serves the brotli and gzip files the build wrote beside the script, without compressing it again", () => {
    const br = brotliCompressSync(SCRIPT, fastest);
    const gz = gzipSync(SCRIPT, { level: 1 });
    const asset = loadStaticAsset("verifier", builtVerifier({ br, gz }));
    expect(asset.br.equals(br)).toBe(true);
    expect(asset.gzip.equals(gz)).toBe(true);
  });

  it("compresses the script itself when the build's files are missing, or are of other bytes", () => {
    const stale = Buffer.from("export const verify = () => 'an older build';\n");
    for (const extra of [{}, { br: brotliCompressSync(stale, fastest), gz: gzipSync(stale) }]) {
      const asset = loadStaticAsset("verifier", builtVerifier(extra));
      expect(brotliDecompressSync(asset.br).equals(SCRIPT)).toBe(true);
      expect(gunzipSync(asset.gzip).equals(SCRIPT)).toBe(true);
      expect(asset.identity.equals(SCRIPT)).toBe(true);
    }
  });
});
