/**
 * The last step of `npm run build:web`: each page script esbuild wrote to dist/web gets its brotli (`.br`) and gzip
 * (`.gz`) forms beside it, at the highest settings, so that no service process compresses them when it serves its
 * first page (apps/api/src/labels/static-assets.ts uses these files when they hold the script's very bytes). Runs
 * from source with Node 24's type stripping: only erasable syntax here.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

const WEB = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "dist", "web");
const brotliAtBest = promisify(brotliCompress);
const gzipAtBest = promisify(gzip);

async function precompress(file: string): Promise<void> {
  const identity = await readFile(file);
  // zlib's own threads: the scripts compress side by side.
  const [br, gz] = await Promise.all([
    brotliAtBest(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }),
    gzipAtBest(identity, { level: constants.Z_BEST_COMPRESSION }),
  ]);
  await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
}

const scripts = (await readdir(WEB)).filter((name) => name.endsWith(".js")).map((name) => join(WEB, name));
await Promise.all(scripts.map(precompress));
