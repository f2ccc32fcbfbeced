/**
 * What went wrong, in terms every front end maps the same way: the HTTP filter turns a kind into a status,
 * the CLI into an exit message. Codes are stable and namespaced (`CAPTURE.SIGNATURE_INVALID`); tests and
 * clients match on codes, never on messages.
 */
export type ErrorKind =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "too-large"
  | "headers-too-large"
  | "timeout"
  | "unsupported-media-type"
  | "rate-limited"
  | "unavailable"
  | "internal";

export type ErrorDetails = Readonly<Record<string, unknown>>;

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly details: ErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DomainError";
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
