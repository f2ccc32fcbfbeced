import { DomainError } from "#common";

/** How long a client should wait before trying again once PostgreSQL is back (Retry-After). */
const RETRY_AFTER_SECONDS = 5;

/** Node socket errors that mean the server cannot be reached. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * SQLSTATEs that say the database, not the request, is the problem: class 08 (connection exception),
 * 53300 (too many connections), 57P01–57P03 (shut down, crashed, starting up).
 */
function isUnavailableState(state: string): boolean {
  return state.startsWith("08") || ["53300", "57P01", "57P02", "57P03"].includes(state);
}

/** 57014: a statement cancelled by statement_timeout; 25P03: a transaction idle past its deadline. */
const TIMEOUT_STATES = new Set(["57014", "25P03"]);

/** node-postgres's own words for a connection that broke or a server that did not answer. */
const CLIENT_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /Client has encountered a connection error/i,
  /the database system is (shutting down|starting up|in recovery mode)/i,
];

/**
 * TypeORM's names for a query on a connection it already gave up: when PostgreSQL drops a connection mid-request
 * (killed, restarting), TypeORM releases the runner, and the request's next query fails with one of these.
 */
const RELEASED_RUNNER_ERRORS = new Set(["QueryRunnerAlreadyReleasedError", "QueryRunnerProviderAlreadyReleasedError"]);

/**
 * The error PostgreSQL's absence or slowness causes, as the API should answer it (503 with Retry-After, the part
 * named), or undefined when the error is something else. Looks through TypeORM's wrapper (`driverError`) and
 * causes.
 */
export function unavailableDatabase(error: unknown): DomainError | undefined {
  // Errors may come from another realm (node's own, under a VM): read them as objects, not by `instanceof`.
  for (let current: unknown = error, depth = 0; isObject(current) && depth < 5; depth += 1) {
    const { code } = current;
    const message = typeof current.message === "string" ? current.message : "";
    if (typeof current.name === "string" && RELEASED_RUNNER_ERRORS.has(current.name)) return unavailable(false, error);
    const timedOut = typeof code === "string" && TIMEOUT_STATES.has(code);
    const gone =
      (typeof code === "string" &&
        (NETWORK_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && isUnavailableState(code)))) ||
      CLIENT_MESSAGES.some((pattern) => pattern.test(message));
    if (timedOut || gone) return unavailable(timedOut || /timeout/i.test(message), error);
    current = current.driverError ?? current.cause;
  }
  return undefined;
}

function unavailable(slow: boolean, cause: unknown): DomainError {
  return new DomainError(
    slow ? "DATABASE.TIMEOUT" : "DATABASE.UNAVAILABLE",
    "unavailable",
    slow
      ? "The database did not answer in time: try again shortly"
      : "The database cannot be reached: try again shortly",
    { part: "database", retryAfterSeconds: RETRY_AFTER_SECONDS },
    { cause },
  );
}

function isObject(
  value: unknown,
): value is { code?: unknown; name?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } {
  return typeof value === "object" && value !== null;
}
