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
  const driverError = (error as { driverError?: { code?: unknown } } | null)?.driverError;
  const code = driverError?.code ?? (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The constraint a failed statement violated (e.g. "PK_lot"), as PostgreSQL names it. */
export function constraintOf(error: unknown): string | undefined {
  const driverError = (error as { driverError?: { constraint?: unknown } } | null)?.driverError;
  const constraint = driverError?.constraint ?? (error as { constraint?: unknown } | null)?.constraint;
  return typeof constraint === "string" ? constraint : undefined;
}
