import type { Response } from "express";
import type { DomainError } from "#common";
import type { PactError } from "#pact";
import { retryAfterOf, STATUS_OF } from "../common/problem-details.js";

/** An error as PACT answers it: `{ code, message }`, its status, and Retry-After / WWW-Authenticate where due. */
export function sendPactError(error: DomainError, response: Response): void {
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
