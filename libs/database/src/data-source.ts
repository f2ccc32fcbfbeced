import { DataSource } from "typeorm";
import type { Logger } from "#common";
import { ENTITIES, MIGRATIONS } from "./schema.js";

/** Arbitrary constant: the advisory lock that serialises migrations across instances sharing a database. */
const MIGRATION_LOCK = 0x43_54_4d_49; // "CTMI"

export function createDataSource(url: string): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: "typeorm_migration",
    synchronize: false,
    migrationsRun: false,
    applicationName: "carbontrace",
    // gen_random_uuid() is built into PostgreSQL 13+; never CREATE EXTENSION (managed databases forbid it).
    uuidExtension: "pgcrypto",
    installExtensions: false,
  });
}

/** Connects and brings the schema up to date with the migrations (one instance at a time). */
export async function openDatabase(url: string, log: Logger): Promise<DataSource> {
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  try {
    await runMigrations(dataSource, log);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

export async function runMigrations(dataSource: DataSource, log: Logger): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: "each" });
    for (const migration of applied) log.info("migration applied", { name: migration.name });
  } finally {
    await runner.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/** SQL the entities would need on top of the migrated schema; empty when entities and migrations agree. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query);
}
