import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, type LoggerService } from "@nestjs/common";
import type { Request, Response } from "express";
import { isPactPath } from "../pact/pact-body.js";
import { sendPactError } from "../pact/pact-errors.js";
import { DomainError, isDomainError } from "#common";
import { unavailableDatabase } from "#database";
import { PROBLEM_CONTENT_TYPE, problemOf, retryAfterOf } from "./problem-details.js";

/** Codes for errors raised by the HTTP layer itself (routing, body parsing, size limits). */
const HTTP_CODES: Readonly<Record<number, [string, DomainError["kind"]]>> = {
  400: ["REQUEST.INVALID", "invalid"],
  401: ["AUTH.UNAUTHENTICATED", "unauthenticated"],
  403: ["AUTH.FORBIDDEN", "forbidden"],
  404: ["HTTP.NOT_FOUND", "not-found"],
  413: ["REQUEST.TOO_LARGE", "too-large"],
  415: ["REQUEST.UNSUPPORTED_MEDIA_TYPE", "unsupported-media-type"],
};

/**
 * Every error leaves the API as RFC 9457 problem+json. Domain errors keep their code; Nest's own HTTP
 * exceptions get an HTTP.* / REQUEST.* code; anything else is logged and becomes a 500 that reveals nothing.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: LoggerService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const error = toDomainError(exception, request);
    logServerError(this.logger, error, request, exception);
    if (response.headersSent) return;
    // PACT's paths answer every error in PACT's format, even one no PACT route saw (an unknown /3/ path).
    if (isPactPath(request.path)) {
      sendPactError(error, response);
      return;
    }
    const problem = problemOf(error, request.originalUrl);
    if (error.kind === "unauthenticated") response.setHeader("WWW-Authenticate", "Bearer");
    const retryAfter = retryAfterOf(error);
    if (retryAfter !== undefined) response.setHeader("Retry-After", retryAfter);
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}

/** Errors that are ours, not the caller's, are logged with their cause (which the response never reveals). */
export function logServerError(logger: LoggerService, error: DomainError, request: Request, exception: unknown): void {
  if (error.kind !== "internal" && error.kind !== "unavailable") return;
  logger.error(
    error.message,
    { code: error.code, method: request.method, path: request.path, cause: describe(error.cause ?? exception) },
    "http",
  );
}

/** Any exception as a domain error: domain errors as they are, framework errors with HTTP.* / REQUEST.* codes. */
export function toDomainError(exception: unknown, request: Request): DomainError {
  if (isDomainError(exception)) return exception;
  // Nest wraps body-parser failures (bad JSON, too large) in an HttpException with the original as cause.
  const parserError = exception instanceof HttpException ? exception.cause : exception;
  if (isBodyParserError(parserError)) return fromBodyParserError(parserError);
  if (exception instanceof HttpException) return fromHttpException(exception, request);
  // PostgreSQL down or stalled is the service's dependency failing, not a bug: 503 with Retry-After.
  const database = unavailableDatabase(exception);
  if (database !== undefined) return database;
  return new DomainError("INTERNAL", "internal", "An unexpected error occurred", {}, { cause: exception });
}

function fromHttpException(exception: HttpException, request: Request): DomainError {
  const status = exception.getStatus();
  const [code, kind] = HTTP_CODES[status] ?? [`HTTP.${status}`, status >= 500 ? "internal" : "invalid"];
  if (status === 404) {
    return new DomainError(code, kind, `No route for ${request.method} ${request.path}`);
  }
  const body = exception.getResponse();
  const message = typeof body === "object" && "message" in body ? body.message : exception.message;
  return new DomainError(code, kind, Array.isArray(message) ? message.join("; ") : String(message));
}

interface BodyParserError {
  readonly type: string;
  readonly status: number;
  readonly message: string;
  readonly limit?: number;
}

function isBodyParserError(value: unknown): value is BodyParserError {
  return (
    value instanceof Error &&
    "type" in value &&
    typeof value.type === "string" &&
    "status" in value &&
    typeof value.status === "number"
  );
}

function fromBodyParserError(error: BodyParserError): DomainError {
  switch (error.type) {
    case "entity.parse.failed":
      return new DomainError("REQUEST.MALFORMED_JSON", "invalid", `The body is not valid JSON: ${error.message}`);
    case "entity.too.large":
      return new DomainError(
        "REQUEST.TOO_LARGE",
        "too-large",
        `The body exceeds the limit of ${String(error.limit)} bytes`,
        {
          limit: error.limit,
        },
      );
    case "encoding.unsupported":
    case "charset.unsupported":
      return new DomainError("REQUEST.UNSUPPORTED_MEDIA_TYPE", "unsupported-media-type", error.message);
    default:
      return new DomainError("REQUEST.INVALID", "invalid", error.message);
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.stack ?? value.message;
  return String(value);
}
