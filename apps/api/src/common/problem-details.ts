import { DomainError, type ErrorKind } from "#common";

/** RFC 9457 problem details, with our stable `code` as an extension member. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** The one place where an error kind becomes an HTTP status. */
export const STATUS_OF: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  "too-large": 413,
  "headers-too-large": 431,
  timeout: 408,
  "unsupported-media-type": 415,
  "rate-limited": 429,
  unavailable: 503,
  internal: 500,
};

const TITLES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/**
 * A tag URI (RFC 4151) per code: stable, unique, and documented in docs/problems.md. RFC 9457 allows
 * non-resolvable type URIs; clients are expected to branch on `code`.
 */
export function problemType(code: string): string {
  return `tag:carbontrace.org,2026:problem:${code}`;
}

export function problemOf(error: DomainError, instance?: string): ProblemDetails {
  const status = STATUS_OF[error.kind];
  return {
    type: problemType(error.code),
    title: TITLES[status] ?? "Error",
    status,
    detail: error.message,
    code: error.code,
    ...(instance === undefined ? {} : { instance }),
    ...error.details,
  };
}

export function titleOf(status: number): string {
  return TITLES[status] ?? "Error";
}

/** `Retry-After` for errors that say when to come back (rate limits, dependencies that are down). */
export function retryAfterOf(error: DomainError): string | undefined {
  const seconds = error.details.retryAfterSeconds;
  return typeof seconds === "number" && Number.isFinite(seconds) ? String(Math.max(0, Math.ceil(seconds))) : undefined;
}
