import type { DataSource } from "typeorm";

export interface DatabaseHealth {
  readonly status: "ok" | "failing";
  readonly detail: string;
  readonly version?: string;
  readonly migrations?: number;
}

export async function databaseHealth(dataSource: DataSource, embedded: boolean): Promise<DatabaseHealth> {
  try {
    const [row] = (await dataSource.query("SHOW server_version")) as Array<{ server_version: string }>;
    const [count] = (await dataSource.query('SELECT count(*)::int AS n FROM "typeorm_migration"')) as Array<{
      n: number;
    }>;
    return {
      status: "ok",
      detail: embedded ? "embedded PostgreSQL" : "PostgreSQL at DATABASE_URL",
      version: row?.server_version,
      migrations: count?.n,
    };
  } catch (error) {
    return { status: "failing", detail: String(error) };
  }
}
