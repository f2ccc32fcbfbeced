import { spawn, type ChildProcess } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CarbonTraceClient } from "#client";
import { serviceArguments } from "#runtime";
import { forwardedEnv, type BenchService } from "../bench/service.js";

/** Where the service under test lives: fixed ports, so that every restart serves on the same addresses. */
export interface ServiceSite {
  readonly dataDir: string;
  readonly port: number;
  readonly postgresPort: number;
  readonly anvilPort: number;
  /** Settings on top of the defaults (short anchoring windows, so that rounds see anchors). */
  readonly env: Readonly<Record<string, string>>;
  /** Every INTERNAL error line any run of the service logged (the stack of a 500), for the report. */
  readonly unexpected: string[];
}

/** One run of `npm start`'s entry point, in a process group of its own as a terminal would run it. */
export interface RunningService {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** The lines it logged (JSON), for the report when something goes wrong. */
  readonly logs: string[];
}

/** The database the embedded runtime creates (libs/runtime/src/embedded/postgres.ts). */
const EMBEDDED_DATABASE = "carbontrace";

export function startService(site: ServiceSite, extraEnv: Record<string, string> = {}): RunningService {
  const child = spawn(process.execPath, serviceArguments(), {
    env: {
      ...forwardedEnv(),
      PORT: String(site.port),
      DATA_DIR: site.dataDir,
      LOG_FORMAT: "json",
      EMBEDDED_POSTGRES_PORT: String(site.postgresPort),
      EMBEDDED_ANVIL_PORT: String(site.anvilPort),
      ...site.env,
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const logs: string[] = [];
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString().split("\n")) {
      if (line.trim() === "") continue;
      logs.push(line);
      if (logs.length > 400) logs.shift();
      if (line.includes('"code":"INTERNAL"') && site.unexpected.length < 50) site.unexpected.push(line);
    }
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, logs };
}

export function baseUrl(site: ServiceSite): string {
  return `http://127.0.0.1:${String(site.port)}`;
}

/** The service as the bench's participant helpers expect it (they register partners through the admin key). */
export async function benchView(site: ServiceSite): Promise<BenchService> {
  const adminKey = (await readFile(join(site.dataDir, "keys", "admin-api-key"), "utf8")).trim();
  return {
    url: baseUrl(site),
    adminKey,
    admin: new CarbonTraceClient({ baseUrl: baseUrl(site), apiKey: adminKey }),
    databaseUrl: await databaseUrl(site),
    rpcUrl: `http://127.0.0.1:${String(site.anvilPort)}`,
    dataDir: site.dataDir,
    // The fault suite stops the service itself, by signal.
    stop: () => Promise.resolve(),
  };
}

export async function databaseUrl(site: ServiceSite): Promise<string> {
  const password = (await readFile(join(site.dataDir, "keys", "postgres.password"), "utf8")).trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${String(site.postgresPort)}/${EMBEDDED_DATABASE}`;
}

export interface Health {
  readonly status: string;
  readonly anchoring?: {
    readonly status: string;
    readonly lastAnchorAt: string | null;
    readonly backlog?: { readonly events: number; readonly oldestAgeSeconds: number | null };
    readonly lastFailure?: { readonly cause: string; readonly code: string };
  };
  readonly chain?: { readonly account?: string };
}

/** /health's answer, or undefined while nothing answers. */
export async function readHealth(site: ServiceSite): Promise<Health | undefined> {
  try {
    const response = await fetch(`${baseUrl(site)}/health`, { signal: AbortSignal.timeout(10_000) });
    return (await response.json()) as Health;
  } catch {
    return undefined;
  }
}

/** Waits until `accept` holds for /health; resolves with the answer, rejects after `timeoutMs`. */
export async function waitForHealth(
  site: ServiceSite,
  what: string,
  accept: (health: Health) => boolean,
  timeoutMs: number,
): Promise<Health> {
  const deadline = Date.now() + timeoutMs;
  let last: Health | undefined;
  while (Date.now() < deadline) {
    last = await readHealth(site);
    if (last !== undefined && accept(last)) return last;
    await sleep(250);
  }
  throw new Error(`${what}: not within ${String(timeoutMs / 1000)} s; last /health: ${JSON.stringify(last)}`);
}

/** PIDs of the embedded engines the service recorded in its DATA_DIR. */
export async function enginePids(site: ServiceSite): Promise<{ postgres?: number; anvil?: number }> {
  const read = async (path: string): Promise<number | undefined> => {
    const text = await readFile(join(site.dataDir, path), "utf8").catch(() => "");
    const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  };
  const [postgres, anvil] = await Promise.all([read("postgres/postmaster.pid"), read("chain/anvil.pid")]);
  return { ...(postgres === undefined ? {} : { postgres }), ...(anvil === undefined ? {} : { anvil }) };
}

/** A process and every process below it (PostgreSQL's backends are children of the postmaster). */
async function processTree(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // Field 4 (ppid) follows the command name in parentheses, which may itself contain spaces.
    const ppid = Number.parseInt(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1] ?? "", 10);
    if (Number.isInteger(ppid)) parents.set(Number(entry), ppid);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

export function signal(pids: readonly number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  }
}

/**
 * Sends `name` to a process and every process below it, listing the tree before and after signalling the root: a
 * postmaster may fork a backend between a listing and the signal, and that backend went on serving a "frozen"
 * database (seen once in a loaded e2e run: /health answered 200). A stopped root forks nothing more, so the second
 * listing is complete; a killed root's children are no longer its own, so the first one counts.
 */
export async function signalTree(pid: number, name: NodeJS.Signals): Promise<void> {
  const before = await processTree(pid);
  signal([pid], name);
  const after = await processTree(pid);
  signal(
    [...new Set([...before, ...after])].filter((other) => other !== pid),
    name,
  );
}
