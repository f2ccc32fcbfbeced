import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { silentLogger } from "#common";
import { startEmbeddedPostgres } from "#runtime";
import { tempDir } from "./temp.js";

/**
 * Set by the e2e run's global setup (test/support/e2e-global-setup.ts): the admin URL of one PostgreSQL cluster
 * that every suite shares, each in databases of its own, instead of an initdb per file.
 */
export const SHARED_POSTGRES_ENV = "CARBONTRACE_TEST_POSTGRES_URL";

/** Real PostgreSQL 17 for one test file: fresh, empty databases on demand. */
export interface TestPostgres {
  /** The admin URL of the cluster. */
  readonly url: string;
  /** A fresh, empty database on the cluster. */
  createDatabase(): Promise<string>;
  /** Drops this file's databases (and stops the cluster if it was this file's own). */
  stop(): Promise<void>;
}

/** The run's shared cluster when there is one, else a cluster of this file's own in a temporary directory. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const shared = process.env[SHARED_POSTGRES_ENV];
  if (shared !== undefined && shared !== "") return databasesOn(shared, () => Promise.resolve());
  return startOwnTestPostgres();
}

/** A cluster of its own in a temporary directory (the e2e global setup's, or a file run without it). */
export async function startOwnTestPostgres(): Promise<TestPostgres & { readonly dir: string }> {
  const dir = await tempDir("pg");
  const server = await startEmbeddedPostgres({
    dir: join(dir.path, "postgres"),
    passwordFile: join(dir.path, "keys", "postgres.password"),
    port: 0,
    log: silentLogger,
  });
  const handle = databasesOn(server.url, async () => {
    await server.stop();
    await dir.remove();
  });
  return { ...handle, dir: dir.path };
}

function databasesOn(url: string, stopCluster: () => Promise<void>): TestPostgres {
  const created: string[] = [];
  const asAdmin = async (sql: string): Promise<void> => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  return {
    url,
    createDatabase: async () => {
      const name = `test_${randomBytes(6).toString("hex")}`;
      await asAdmin(`CREATE DATABASE "${name}"`);
      created.push(name);
      return url.replace(/\/carbontrace$/, `/${name}`);
    },
    stop: async () => {
      // FORCE: a service under test that is still closing its pool must not keep the database alive.
      for (const name of created.splice(0)) await asAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await stopCluster();
    },
  };
}
