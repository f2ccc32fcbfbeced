const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `value` is a UUID as PostgreSQL's `uuid` type reads it (8-4-4-4-12 hex). An id that is not one names
 * nothing: callers answer "not found" instead of letting the database refuse the query.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
