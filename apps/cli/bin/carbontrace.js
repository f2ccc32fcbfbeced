#!/usr/bin/env node
// Launcher for `npx carbontrace`: runs the compiled CLI, building the project first if it was never built.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const main = `${root}dist/cli/carbontrace.js`;
if (!existsSync(main)) {
  process.stderr.write("carbontrace: building the project first (npm run build)…\n");
  execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
}
await import(pathToFileURL(main).href);
