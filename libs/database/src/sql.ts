import type { DataSource, EntityManager } from "typeorm";

/**
 * The rows a statement returns. TypeORM's plain `query()` answers UPDATE/DELETE … RETURNING with
 * `[rows, affected]` rather than the rows, which would make a conditional UPDATE that matched nothing look
 * like a success: ask for the structured result instead. Inside a transaction, pass its manager.
 */
export async function rows<T = Record<string, unknown>>(
  on: DataSource | EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  const runner = "manager" in on ? on.createQueryRunner() : on.queryRunner;
  if (runner === undefined) throw new Error("rows(): an EntityManager outside a transaction has no query runner");
  try {
    const result = await runner.query(sql, parameters, true);
    return result.records as T[];
  } finally {
    if ("manager" in on) await runner.release();
  }
}

/** The PostgreSQL SQLSTATE of a failed statement (e.g. "23505" unique, "23P01" exclusion violation). */
export function pgCode(error: unknown): string | undefined {
  return driverField(error, "code");
}

/** The constraint a failed statement violated (e.g. "PK_lot"), as PostgreSQL names it. */
export function constraintOf(error: unknown): string | undefined {
  return driverField(error, "constraint");
}

/** A text field of pg's error, on TypeORM's QueryFailedError (`driverError`) or on pg's own error. */
function driverField(error: unknown, name: "code" | "constraint"): string | undefined {
  const driverError = (error as { driverError?: Record<string, unknown> } | null)?.driverError;
  const value = driverError?.[name] ?? (error as Record<string, unknown> | null)?.[name];
  return typeof value === "string" ? value : undefined;
}
