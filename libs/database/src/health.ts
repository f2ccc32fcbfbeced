import type { DataSource } from "typeorm";

export interface DatabaseHealth {
  readonly status: "ok" | "failing";
  readonly detail: string;
  readonly version?: string;
  readonly migrations?: number;
}

export async function databaseHealth(dataSource: DataSource, embedded: boolean): Promise<DatabaseHealth> {
  try {
    const [row] = await dataSource.query<Array<{ server_version: string }>>("SHOW server_version");
    const [count] = await dataSource.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM "typeorm_migration"');
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
