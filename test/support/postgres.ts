import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { silentLogger } from "#common";
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from "#runtime";
import { tempDir } from "./temp.js";

/** A real PostgreSQL 17 cluster in a temporary directory, for one test file. */
export interface TestPostgres {
  readonly server: EmbeddedPostgresServer;
  /** A fresh, empty database on the cluster. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const dir = await tempDir("pg");
  const server = await startEmbeddedPostgres({
    dir: join(dir.path, "postgres"),
    passwordFile: join(dir.path, "keys", "postgres.password"),
    port: 0,
    log: silentLogger,
  });
  return {
    server,
    createDatabase: async () => {
      const name = `test_${randomBytes(6).toString("hex")}`;
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      return server.url.replace(/\/carbontrace$/, `/${name}`);
    },
    stop: async () => {
      await server.stop();
      await dir.remove();
    },
  };
}
