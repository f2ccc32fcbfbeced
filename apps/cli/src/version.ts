import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The version of the nearest package.json above this module: the installed @carbontrace/cli's (bundled into its
 * dist/), or the repository's when run from a checkout. scripts/pack-cli.ts keeps the two equal.
 */
export function ownVersion(moduleUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, "utf8")) as { version?: string }).version ?? "";
    const parent = dirname(dir);
    if (parent === dir) return "";
    dir = parent;
  }
}
