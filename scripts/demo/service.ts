import { spawn } from "node:child_process";
import { mkdir, open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { projectRoot } from "#runtime";

export interface DemoService {
  readonly url: string;
  /** Set when the demo started the service: it keeps running after the demo (so the label URL opens). */
  readonly started?: { readonly pid: number; readonly logFile: string };
}

const START_LIMIT_MS = 300_000;

/** The status of `url`/health: 200 healthy, 503 there but failing, undefined nothing answers. */
async function healthStatus(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return undefined;
  }
}

/**
 * The service at `url`, or — when nothing answers there — the built service (`npm start`'s entry point) started
 * in the background on the embedded defaults, with its log in `$DATA_DIR/demo/service.log`.
 */
export async function ensureService(
  url: string,
  dataDir: string,
  log: (message: string) => void,
): Promise<DemoService> {
  const status = await healthStatus(url);
  if (status === 200 || status === 503) {
    log(`using the service at ${url}`);
    return { url };
  }
  const port = new URL(url).port;
  const logFile = join(dataDir, "demo", "service.log");
  await mkdir(join(dataDir, "demo"), { recursive: true });
  const output = await open(logFile, "a");
  log(`no service at ${url}: starting one (embedded PostgreSQL, anvil and IPFS in ${dataDir}; log ${logFile})`);
  const child = spawn(
    process.execPath,
    ["--enable-source-maps", join(projectRoot(), "dist", "apps", "api", "src", "main.js")],
    {
      env: { ...process.env, DATA_DIR: dataDir, ...(port === "" ? {} : { PORT: port }) },
      stdio: ["ignore", output.fd, output.fd],
      detached: true,
    },
  );
  child.unref();
  await output.close();
  let exitCode: number | null | undefined;
  child.once("exit", (code) => (exitCode = code));
  const deadline = Date.now() + START_LIMIT_MS;
  while ((await healthStatus(url)) !== 200) {
    if (exitCode !== undefined) throw new Error(`the service exited with ${String(exitCode)}:\n${await tail(logFile)}`);
    if (Date.now() > deadline) throw new Error(`the service did not become healthy within 5 minutes; see ${logFile}`);
    await sleep(500);
  }
  return { url, started: { pid: child.pid ?? 0, logFile } };
}

async function tail(file: string): Promise<string> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.split("\n").slice(-20).join("\n");
}

/** Stops a service the demo started (SIGTERM: it closes HTTP, IPFS, the chain, then the database). */
export async function stopService(pid: number): Promise<void> {
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 120; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(250);
  }
  throw new Error(`the service (pid ${String(pid)}) did not stop within 30 s`);
}
