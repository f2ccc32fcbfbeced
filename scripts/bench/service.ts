import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CarbonTraceClient } from "#client";
import { findFreePort, serviceArguments } from "#runtime";
import { stopOnSignal } from "./on-signal.js";

/** The built service (`npm start`'s entry point) in its own process, on a scratch DATA_DIR, for measurements. */
export interface BenchService {
  readonly url: string;
  readonly adminKey: string;
  readonly admin: CarbonTraceClient;
  /** The embedded PostgreSQL the service stores into (for baselines that write to the same database). */
  readonly databaseUrl: string;
  /** JSON-RPC URL of the embedded anvil the service anchors on (for verifiers reading the ledger). */
  readonly rpcUrl: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/**
 * Settings of the caller's environment that the service started here must see too: where the EPCIS schema is (a
 * machine without the network names a local copy), and the paths any process needs.
 */
export function forwardedEnv(): Record<string, string> {
  const names = ["PATH", "HOME", "EPCIS_JSON_SCHEMA"];
  return Object.fromEntries(
    names.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])),
  );
}

/** The database the embedded runtime creates (libs/runtime/src/embedded/postgres.ts); its index does not export it. */
const EMBEDDED_DATABASE = "carbontrace";

export async function startBenchService(dataDir: string, env: Record<string, string> = {}): Promise<BenchService> {
  // Fixed ports instead of 0, so that the bench can reach the embedded PostgreSQL and anvil without parsing logs.
  const postgresPort = await findFreePort();
  const anvilPort = await findFreePort();
  const { url, stop } = await spawnService({
    DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(postgresPort),
    EMBEDDED_ANVIL_PORT: String(anvilPort),
    ...env,
  });
  const adminKey = (await readFile(join(dataDir, "keys", "admin-api-key"), "utf8")).trim();
  const password = (await readFile(join(dataDir, "keys", "postgres.password"), "utf8")).trim();
  return {
    url,
    adminKey,
    admin: new CarbonTraceClient({ baseUrl: url, apiKey: adminKey }),
    databaseUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${String(postgresPort)}/${EMBEDDED_DATABASE}`,
    rpcUrl: `http://127.0.0.1:${String(anvilPort)}`,
    dataDir,
    stop,
  };
}

/**
 * Another instance of the service beside `first`, as the README's "several instances" runs them: on the first
 * one's database and chain (its embedded PostgreSQL and anvil), with the same service account, administrator key
 * and custody master key; its own DATA_DIR (and so its own embedded IPFS).
 */
export async function startBenchInstance(dataDir: string, first: BenchService): Promise<BenchService> {
  const key = (name: string): Promise<string> =>
    readFile(join(first.dataDir, "keys", name), "utf8").then((value) => value.trim());
  const health = await first.admin.json<{ chain: { contracts: Record<string, { address: string }> } }>(
    "GET",
    "/health",
  );
  const { url, stop } = await spawnService({
    DATA_DIR: dataDir,
    DATABASE_URL: first.databaseUrl,
    RPC_URL: first.rpcUrl,
    CHAIN_PRIVATE_KEY: await key("operator.key"),
    TRACE_LEDGER_ADDRESS: health.chain.contracts.TraceLedger?.address ?? "",
    OFFSET_REGISTRY_ADDRESS: health.chain.contracts.OffsetRegistry?.address ?? "",
    ADMIN_API_KEY: first.adminKey,
    CUSTODY_MASTER_KEY: await key("custody-master.key"),
  });
  return { ...first, url, admin: new CarbonTraceClient({ baseUrl: url, apiKey: first.adminKey }), dataDir, stop };
}

/** The built service in a process of its own, on a port it picks: resolves with its URL once it serves. */
async function spawnService(env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, serviceArguments(), {
    env: { ...forwardedEnv(), PORT: "0", LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  };
  void exited.then(stopOnSignal(stop));
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split("\n").slice(0, -1)) {
        try {
          const entry = JSON.parse(line) as { message?: string; url?: string };
          if (entry.message === "CarbonTrace is serving" && entry.url !== undefined) resolve(entry.url);
        } catch {
          // not a log line
        }
      }
      buffer = buffer.slice(buffer.lastIndexOf("\n") + 1);
    });
    void exited.then((code) => reject(new Error(`the service exited with ${String(code)} before serving`)));
  });
  return { url, stop };
}
