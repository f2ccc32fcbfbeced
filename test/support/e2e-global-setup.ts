import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { silentLogger } from "#common";
import { startEmbeddedPostgres } from "#runtime";

/**
 * Jest global setup of the e2e run: one PostgreSQL cluster for all suites (each suite creates its own databases
 * on it, test/support/postgres.ts), started once instead of an initdb and a start per file. Its URL reaches the
 * suites through the environment; the teardown stops it.
 *
 * Jest loads this file with Node's own loader, outside its module system: it imports no relative module (Node
 * would not map `./x.js` to `x.ts`), and the libs come from the build (`npm test` builds first).
 */
export default async function setup(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "carbontrace-e2e-pg-"));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as user "postgres" and must enter it
  const server = await startEmbeddedPostgres({
    dir: join(dir, "postgres"),
    passwordFile: join(dir, "keys", "postgres.password"),
    port: 0,
    log: silentLogger,
  });
  await withoutDurability(server.url);
  // The name test/support/postgres.ts reads (SHARED_POSTGRES_ENV).
  process.env.CARBONTRACE_TEST_POSTGRES_URL = server.url;
  (globalThis as { carbontraceE2eTeardown?: () => Promise<void> }).carbontraceE2eTeardown = async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

/**
 * This cluster is thrown away at the end of the run and never outlives a crash of the machine: it need not wait for
 * the disk on every commit, and the suites' thousands of small transactions and CREATE DATABASEs run faster without.
 * (Tests of durability kill services with their own embedded PostgreSQL, which keeps the product's settings.)
 */
async function withoutDurability(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const setting of ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]) {
      await client.query(`ALTER SYSTEM SET ${setting}`);
    }
    await client.query("SELECT pg_reload_conf()");
  } finally {
    await client.end();
  }
}
