import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The directory of CarbonTrace's package.json, found from this file whether it runs from sources or from
 * `dist/`: where files shipped beside the code live (the bundled emission factors, the contracts' artifacts).
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "carbontrace"
    ) {
      return dir;
    }
    dir = dirname(dir);
  }
  throw new Error(`CarbonTrace's package.json not found above ${fileURLToPath(import.meta.url)}`);
}

/**
 * The built service as `npm start` runs it: one file, bundled from tsc's output by scripts/bundle.ts
 * (loading the modules one by one cost every start ~2 s of CPU). Scripts and tests that start the service run it.
 */
export function serviceEntryPoint(): string {
  return join(projectRoot(), "dist", "service", "main.js");
}
