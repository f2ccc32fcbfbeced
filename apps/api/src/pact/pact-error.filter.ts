import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from "@nestjs/common";
import type { Request, Response } from "express";
import type { DomainError } from "#common";
import type { PactError } from "#pact";
import { logServerError, toDomainError } from "../common/problem-details.filter.js";
import { retryAfterOf, STATUS_OF } from "../common/problem-details.js";

/**
 * PACT routes answer errors in PACT's format (`{ code, message }` as application/json, PACT v3 "Error
 * responses"), not problem+json: PACT clients branch on those codes. Statuses follow our one mapping of error
 * kinds, except where PACT fixes them (NotImplemented is a 400).
 */
@Catch()
export class PactErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger("pact");

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const error = toDomainError(exception, request);
    logServerError(this.logger, error, request, exception);
    if (response.headersSent) return;
    const { status, body } = pactErrorOf(error);
    const retryAfter = retryAfterOf(error);
    if (retryAfter !== undefined) response.setHeader("Retry-After", retryAfter);
    if (status === 401) {
      response.setHeader(
        "WWW-Authenticate",
        `Bearer error="invalid_token", error_description="${body.message.replace(/"/g, "'")}"`,
      );
    }
    response.status(status).type("application/json").send(JSON.stringify(body));
  }
}

export function pactErrorOf(error: DomainError): { status: number; body: PactError } {
  const message = error.message;
  if (error.code === "PACT.TOKEN_EXPIRED") return { status: 401, body: { code: "TokenExpired", message } };
  if (error.code === "PACT.NOT_IMPLEMENTED") return { status: 400, body: { code: "NotImplemented", message } };
  const status = STATUS_OF[error.kind];
  switch (error.kind) {
    case "forbidden":
      return { status, body: { code: "AccessDenied", message } };
    case "not-found":
      return { status, body: { code: "NotFound", message } };
    case "internal":
    case "unavailable":
      return { status, body: { code: "InternalError", message } };
    default:
      return { status, body: { code: "BadRequest", message } };
  }
}
