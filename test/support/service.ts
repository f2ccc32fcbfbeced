import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { serviceArguments, serviceEntryPoint } from "#runtime";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = serviceEntryPoint();

/** The built service as `npm start` runs it (`node` with its flags and `dist/service/main.js`), in its own process. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** JSON log lines printed so far. */
  readonly logs: Array<Record<string, unknown>>;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Kills the service and any database or chain node it left running in its DATA_DIR (test teardown). */
  destroy(): Promise<void>;
  exited: Promise<number | null>;
}

/** `group`: in a process group of its own, as a terminal runs it, so that a test can signal the whole group. */
export function spawnService(env: Record<string, string>, options: { group?: boolean } = {}): ServiceProcess {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, serviceArguments(), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.group === true,
  });
  const logs: Array<Record<string, unknown>> = [];
  let buffer = "";
  const collect = (chunk: Buffer): void => {
    buffer += chunk.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ message: line });
      }
    }
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code, signal) => {
      // The service handles SIGTERM, SIGINT and SIGHUP and exits with a code: a signal that ends it anyway (one of
      // those, or a crash such as SIGSEGV or SIGABRT) is said with its last words. Crash tests SIGKILL it on purpose.
      if (code === null && signal !== "SIGKILL") {
        const last = logs
          .slice(-15)
          .map((entry) => JSON.stringify(entry))
          .join("\n  ");
        process.stderr.write(
          `service (pid ${String(child.pid)}) ended by ${String(signal)}; last log lines:\n  ${last}\n`,
        );
      }
      resolve(code);
    }),
  );
  const stop = async (signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    child,
    url: `http://127.0.0.1:${env.PORT ?? "3000"}`,
    logs,
    exited,
    stop,
    destroy: async () => {
      await stop("SIGKILL");
      if (env.DATA_DIR !== undefined) await killRecordedChildren(env.DATA_DIR);
    },
  };
}

/** Whether a process of this PID exists (signal 0 checks without signalling). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** PIDs of the embedded chain node and database a service started in `dataDir`, where recorded. */
export async function recordedChildPids(dataDir: string): Promise<number[]> {
  const read = async (path: string): Promise<number | undefined> => {
    try {
      const pid = Number.parseInt((await readFile(join(dataDir, ...path.split("/")), "utf8")).split("\n")[0] ?? "", 10);
      return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  };
  const pids = await Promise.all([read("chain/anvil.pid"), read("postgres/postmaster.pid")]);
  return pids.filter((pid) => pid !== undefined);
}

async function killRecordedChildren(dataDir: string): Promise<void> {
  for (const pid of await recordedChildPids(dataDir)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

export interface Health {
  status: string;
  chain: { block: number; contracts: Record<string, { address: string }> };
  [key: string]: unknown;
}

/** Polls /health until it says ok; fails with the service's last log lines otherwise. */
export async function waitHealthy(service: ServiceProcess, timeoutMs = 60_000): Promise<Health> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) break;
    try {
      const response = await fetch(`${service.url}/health`);
      const body = (await response.json()) as Health;
      if (response.status === 200 && body.status === "ok") return body;
      last = JSON.stringify(body);
    } catch (error) {
      last = String(error);
    }
    await sleep(250);
  }
  const tail = service.logs
    .slice(-10)
    .map((l) => JSON.stringify(l))
    .join("\n");
  throw new Error(
    `service not healthy within ${timeoutMs} ms (${last}); exit ${String(service.child.exitCode)}\n${tail}`,
  );
}

export function logged(service: ServiceProcess, message: string): Record<string, unknown> | undefined {
  return service.logs.find((line) => line.message === message);
}

/** Runs a query on the service's embedded PostgreSQL (port from its log, password from DATA_DIR/keys). */
export async function queryEmbeddedDatabase(service: ServiceProcess, dataDir: string, sql: string): Promise<unknown[]> {
  const ready = logged(service, "embedded PostgreSQL ready");
  if (ready === undefined) throw new Error("the service did not log its embedded PostgreSQL port");
  const password = (await readFile(join(dataDir, "keys", "postgres.password"), "utf8")).trim();
  const client = new pg.Client({
    host: "127.0.0.1",
    port: Number(ready.port),
    user: "postgres",
    password,
    database: "carbontrace",
  });
  await client.connect();
  try {
    const result = await client.query<Record<string, unknown>>(sql);
    return result.rows;
  } finally {
    await client.end();
  }
}

/**
 * A free port for a service a test starts, below the kernel's ephemeral range (32768–60999 here), so that no
 * engine or client socket of another suite running meanwhile is handed it by the kernel while the service
 * starts (engines pick their ports from that range). Random in 20000–31999, checked free.
 */
export async function freeServicePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
