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

/**
 * The flags `npm start` gives Node (package.json's `start`, checked by project-root.spec.ts), so that every script
 * and test that starts the service measures the one users run. A young generation of 32 MiB per semi-space (Node's
 * default is 16) lets a capture's short-lived objects, a 100-event document parsed, validated, hashed and turned
 * into rows, die young instead of being promoted and marked: alternating runs of the capture bench at 02:00 UTC
 * on 2026-12-06 gave 2–24 % more events/s with it (five pairs, median 6 %), for at most 48 MiB more memory.
 */
export const SERVICE_NODE_FLAGS = ["--enable-source-maps", "--max-semi-space-size=32"] as const;

/** The arguments after `node` that start the built service as `npm start` does. */
export function serviceArguments(): string[] {
  return [...SERVICE_NODE_FLAGS, serviceEntryPoint()];
}
