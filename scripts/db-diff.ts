import { mkdtemp, rm, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { consoleLogger, silentLogger } from "#common";
import { openDatabase, pendingSchemaChanges } from "#database";
import { startEmbeddedPostgres } from "#runtime";

/**
 * `npm run db:diff`: applies every migration to a scratch database (embedded, or DATABASE_URL) and prints the SQL
 * the entities still need — what `typeorm migration:generate` would write. Empty output means entities and
 * migrations agree; paste non-empty output, reviewed, into a new migration.
 */
async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "carbontrace-db-diff-"));
  await chmod(dir, 0o755);
  const server =
    process.env.DATABASE_URL === undefined
      ? await startEmbeddedPostgres({
          dir: join(dir, "postgres"),
          passwordFile: join(dir, "postgres.password"),
          port: 0,
          log: silentLogger,
        })
      : undefined;
  try {
    const dataSource = await openDatabase(
      process.env.DATABASE_URL ?? server?.url ?? "",
      consoleLogger("db-diff", "warn"),
    );
    const statements = await pendingSchemaChanges(dataSource);
    await dataSource.destroy();
    process.stdout.write(statements.map((statement) => `${statement};\n`).join(""));
    process.exitCode = statements.length === 0 ? 0 : 3;
  } finally {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
