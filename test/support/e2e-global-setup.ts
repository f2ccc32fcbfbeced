import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  // The name test/support/postgres.ts reads (SHARED_POSTGRES_ENV).
  process.env.CARBONTRACE_TEST_POSTGRES_URL = server.url;
  (globalThis as { carbontraceE2eTeardown?: () => Promise<void> }).carbontraceE2eTeardown = async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
