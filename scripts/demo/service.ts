import { spawn } from "node:child_process";
import { mkdir, open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { serviceArguments } from "#runtime";

export interface DemoService {
  readonly url: string;
  /** Set when the demo started the service: it keeps running after the demo (so the label URL opens). */
  readonly started?: { readonly pid: number; readonly logFile: string };
}

const START_LIMIT_MS = 300_000;

interface Health {
  /** 200 healthy, 503 there but a part is failing; undefined: nothing answers. */
  readonly status: number | undefined;
  /** The failing parts and why, from the health body. */
  readonly failing: string[];
  /** Some failing part cannot recover while the service runs (see PERMANENT_PARTS). */
  readonly permanent: boolean;
}

/**
 * Parts whose failure lasts as long as the process: the EPCIS schema is loaded once at start. Waiting for them
 * would only delay the report.
 */
const PERMANENT_PARTS = new Set(["epcis"]);

async function health(url: string): Promise<Health> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    const failingParts = Object.entries(body).filter(([, part]) => isFailing(part));
    return {
      status: response.status,
      failing: failingParts.map(([name, part]) => `${name}: ${detailOf(part)}`),
      permanent: failingParts.some(([name]) => PERMANENT_PARTS.has(name)),
    };
  } catch {
    return { status: undefined, failing: [], permanent: false };
  }
}

function isFailing(part: unknown): boolean {
  return typeof part === "object" && part !== null && (part as { status?: unknown }).status === "failing";
}

function detailOf(part: unknown): string {
  const detail = (part as { detail?: unknown }).detail;
  return typeof detail === "string" ? detail : "failing";
}

/** A part may fail briefly just after start (the anchorer's first pass); longer than this, it is reported. */
const FAILING_GRACE_MS = 15_000;

/**
 * The service at `url`, or — when nothing answers there and `start` allows — the built service (`npm start`'s
 * entry point) started in the background on the embedded defaults, with its log in `$DATA_DIR/demo/service.log`.
 */
export async function ensureService(
  url: string,
  dataDir: string,
  log: (message: string) => void,
  start = true,
): Promise<DemoService> {
  const found = await health(url);
  if (found.status === 200 || found.status === 503) {
    log(`using the service at ${url}${found.failing.length === 0 ? "" : ` (failing: ${found.failing.join("; ")})`}`);
    return { url };
  }
  if (!start) throw new Error(`no CarbonTrace service answers at ${url} (its /health)`);
  const port = new URL(url).port;
  const logFile = join(dataDir, "demo", "service.log");
  await mkdir(join(dataDir, "demo"), { recursive: true });
  const output = await open(logFile, "a");
  log(`no service at ${url}: starting one (embedded PostgreSQL, anvil and IPFS in ${dataDir}; log ${logFile})`);
  const child = spawn(process.execPath, serviceArguments(), {
    env: { ...process.env, DATA_DIR: dataDir, ...(port === "" ? {} : { PORT: port }) },
    stdio: ["ignore", output.fd, output.fd],
    detached: true,
  });
  child.unref();
  await output.close();
  let exitCode: number | null | undefined;
  child.once("exit", (code) => (exitCode = code));
  const pid = child.pid ?? 0;
  await waitHealthy(url, () => exitCode, pid, logFile);
  return { url, started: { pid, logFile } };
}

/**
 * Until /health says ok. A service that answers but keeps a part failing (e.g. no EPCIS JSON Schema on a machine
 * without internet) is stopped, with the reason: the demo could not capture anything.
 */
async function waitHealthy(
  url: string,
  exitCode: () => number | null | undefined,
  pid: number,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + START_LIMIT_MS;
  let failingSince: number | undefined;
  for (;;) {
    const now = await health(url);
    if (now.status === 200) return;
    const code = exitCode();
    if (code !== undefined) throw new Error(`the service exited with ${String(code)}:\n${await tail(logFile)}`);
    failingSince = now.status === 503 ? (failingSince ?? Date.now()) : undefined;
    if (failingSince !== undefined && (now.permanent || Date.now() - failingSince > FAILING_GRACE_MS)) {
      await stopService(pid);
      throw new Error(`the service started but is not healthy, so it was stopped: ${now.failing.join("; ")}`);
    }
    if (Date.now() > deadline) throw new Error(`the service did not become healthy within 5 minutes; see ${logFile}`);
    await sleep(500);
  }
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
