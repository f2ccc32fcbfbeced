import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * js-ipfs, the one daemon speaking the Kubo RPC API that installs here (test/support/kubo-rpc-daemon.ts), is not in
 * the project's package.json (it brought ~1,000 packages and ~300 MB to every install): its own manifest and
 * lockfile live in test/support/jsipfs/ and it is installed from them on first use into
 * node_modules/.cache/carbontrace-jsipfs (or CARBONTRACE_JSIPFS_DIR), then reused while that lockfile is unchanged.
 * Its one override maps `headless`, which an optional dependency (electron-eval) pins to an unreachable GitHub
 * tarball, to the registry's 1.2.0; optional dependencies (wrtc, electron) and install scripts are left out: the
 * offline daemon needs neither.
 *
 * This file imports only Node's own modules, so that Node runs it as it is (`node test/support/jsipfs-install.ts`):
 * `npm test` (scripts/test.sh) installs js-ipfs that way in the background while it builds and runs the unit tests,
 * instead of two e2e suites waiting for it.
 */

/** First install: ~20 s from a warm npm cache, a few minutes from a cold one. */
export const JSIPFS_INSTALL_TIMEOUT_MS = 10 * 60_000;
/** For a beforeAll that starts the daemon: the first install, then the start. */
export const KUBO_RPC_DAEMON_START_TIMEOUT_MS = JSIPFS_INSTALL_TIMEOUT_MS + 2 * 60_000;

const root = fileURLToPath(new URL("../..", import.meta.url));
const manifestDir = join(root, "test", "support", "jsipfs");
/** CARBONTRACE_JSIPFS_DIR moves it (e.g. to a folder a CI keeps between runs: `npm ci` empties node_modules). */
const installDir = process.env.CARBONTRACE_JSIPFS_DIR ?? join(root, "node_modules", ".cache", "carbontrace-jsipfs");
const marker = join(installDir, "installed-lock.sha256");

let installing: Promise<string> | undefined;

/** The `jsipfs` command (the package exports only an ESM entry point, so it is found by path), installed if needed. */
export function jsIpfsCli(): Promise<string> {
  installing ??= installJsIpfs().catch((error: unknown) => {
    installing = undefined;
    throw error;
  });
  return installing;
}

async function installJsIpfs(): Promise<string> {
  const lock = await readFile(join(manifestDir, "package-lock.json"));
  const digest = createHash("sha256").update(lock).digest("hex");
  const entry = join(installDir, "node_modules", "ipfs", "src", "cli.js");
  if ((await readFile(marker, "utf8").catch(() => "")) === digest) return entry;

  process.stderr.write(
    `jsipfs-install: installing js-ipfs 0.66.1 (test only, not in package.json) into ${installDir} ` +
      "with npm ci from test/support/jsipfs/ (once; ~300 MB, ~20 s from a warm npm cache)\n",
  );
  // Installed beside the final folder, then renamed into place: a half-done install is never taken for a done one,
  // and two test files installing at once do not write into the same folder.
  const staging = `${installDir}.${String(process.pid)}-${String(Date.now())}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    await copyFile(join(manifestDir, "package.json"), join(staging, "package.json"));
    await copyFile(join(manifestDir, "package-lock.json"), join(staging, "package-lock.json"));
    await npm(
      [
        "ci",
        "--prefix",
        staging,
        "--omit=optional",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--no-update-notifier",
      ],
      staging,
    );
    await writeFile(join(staging, "installed-lock.sha256"), digest);
    if ((await readFile(marker, "utf8").catch(() => "")) !== digest) {
      await rm(installDir, { recursive: true, force: true });
      await rename(staging, installDir);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return entry;
}

/** npm itself: the one running these tests (`npm run …` / `npx …`), else the one on PATH. */
async function npm(args: string[], cwd: string): Promise<void> {
  const npmCli = process.env.npm_execpath;
  const [command, commandArgs] =
    npmCli !== undefined && /npm-cli\.js$/.test(npmCli) ? [process.execPath, [npmCli, ...args]] : ["npm", args];
  await new Promise<void>((resolve, reject) => {
    // Not the outer `npm run`'s idea of the project (npm_config_local_prefix, npm_package_*): this is another one.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^npm_(config_(local_)?prefix|package_|lifecycle_)/i.test(name)),
    );
    const child = spawn(command, commandArgs, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGTERM"), JSIPFS_INSTALL_TIMEOUT_MS);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`npm ${args.join(" ")} in ${cwd} failed (${String(code ?? signal)}):\n${output}`));
    });
  });
}

if (import.meta.main) {
  const started = Date.now();
  const entry = await jsIpfsCli();
  process.stdout.write(`jsipfs-install: ${entry} ready in ${String(Math.round((Date.now() - started) / 1000))} s\n`);
}
