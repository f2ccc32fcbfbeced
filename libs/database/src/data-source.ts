import { DataSource } from "typeorm";
import type { Logger } from "#common";
import { ENTITIES, MIGRATIONS } from "./schema.js";

/** Arbitrary constant: the advisory lock that serialises migrations across instances sharing a database. */
const MIGRATION_LOCK = 0x43_54_4d_49; // "CTMI"

/**
 * Deadlines for serving: a request never waits on PostgreSQL longer than these. A connection that cannot be made
 * in 5 s, a statement running over 15 s (cancelled by the server), a server that stops answering for 20 s
 * (the client gives up: a stalled or frozen server), or a transaction left idle for 60 s all end in an error
 * the API answers as 503 (`unavailableDatabase`), never a hang.
 */
export const DATABASE_DEADLINES = {
  connectMs: 5_000,
  statementMs: 15_000,
  queryMs: 20_000,
  idleInTransactionMs: 60_000,
} as const;

/**
 * A TypeORM data source over `url`. `serving` adds the deadlines above; migrations run without them (a
 * migration over a large table may rightly take minutes).
 */
export function createDataSource(url: string, options: { serving?: boolean } = {}): DataSource {
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
    ...(options.serving === true
      ? {
          extra: {
            connectionTimeoutMillis: DATABASE_DEADLINES.connectMs,
            statement_timeout: DATABASE_DEADLINES.statementMs,
            query_timeout: DATABASE_DEADLINES.queryMs,
            idle_in_transaction_session_timeout: DATABASE_DEADLINES.idleInTransactionMs,
            keepAlive: true,
          },
        }
      : {}),
  });
}

/**
 * Brings the schema up to date with the migrations (one instance at a time, without deadlines), then connects for
 * serving, with the deadlines.
 */
export async function openDatabase(url: string, log: Logger): Promise<DataSource> {
  const migrating = createDataSource(url);
  await migrating.initialize();
  try {
    await runMigrations(migrating, log);
  } finally {
    await migrating.destroy();
  }
  const dataSource = createDataSource(url, { serving: true });
  await dataSource.initialize();
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
