import type { NextFunction, Request, Response } from "express";
import { DomainError } from "#common";

declare module "express" {
  interface Request {
    /** A PACT request whose body could not be read: refused after authentication (see deferPactBodyErrors). */
    pactBodyError?: DomainError;
  }
}

/** Whether a path is one of PACT's (`/3/…`), which answer errors in PACT's format. */
export function isPactPath(path: string): boolean {
  return path === "/3" || path.startsWith("/3/");
}

/**
 * A PACT request's body that is not JSON is refused only after the request's token was checked (a caller without
 * one gets 401, as PACT requires, not 400), and in PACT's format: the parser's error is kept on the request and
 * raised by the route (`requirePactBody`) once the guard let it through.
 */
export function deferPactBodyErrors() {
  return (error: unknown, request: Request, _response: Response, next: NextFunction): void => {
    const type = (error as { type?: unknown } | null)?.type;
    if (!isPactPath(request.path) || (type !== "entity.parse.failed" && type !== "encoding.unsupported")) {
      next(error);
      return;
    }
    request.pactBodyError = new DomainError("PACT.BAD_BODY", "invalid", "The request body is not valid JSON", {});
    request.body = undefined;
    next();
  };
}

/** Raises the deferred body error of a PACT request, if any. */
export function requirePactBody(request: Request): void {
  if (request.pactBodyError !== undefined) throw request.pactBodyError;
}
