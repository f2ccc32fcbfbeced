import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { DomainError } from "#common";
import { PROBLEM_CONTENT_TYPE, problemOf, type ProblemDetails } from "./problem-details.js";

/** Deeper than any EPCIS document or API body needs; recursive code downstream is safe below it. */
export const MAX_JSON_DEPTH = 64;

/** A NUL character (PostgreSQL text cannot hold it) or a lone UTF-16 surrogate (not text at all). */
const NOT_TEXT = new RegExp(String.raw`\x00|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]`);

/**
 * Refuses, before any route sees them, inputs that no route can store or walk safely: JSON nested deeper than
 * MAX_JSON_DEPTH (recursive code would overflow its stack), and strings with NUL characters or lone surrogates
 * in the body, the query or the path (PostgreSQL refuses them). Answers with a 400 problem, never a 500.
 */
export function requestHygiene(): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const problem = pathProblem(request) ?? walk(request.query, "query") ?? walk(request.body as unknown, "body");
    if (problem === undefined) {
      next();
      return;
    }
    response
      .status(400)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problemOf(problem, request.originalUrl)));
  };
}

function pathProblem(request: Request): DomainError | undefined {
  let path: string;
  try {
    path = decodeURIComponent(request.path);
  } catch {
    return undefined; // a malformed escape: the router answers it
  }
  return NOT_TEXT.test(path) ? invalidText("path") : undefined;
}

/**
 * Walks a parsed value without recursion: the first problem found, or undefined. Every request body passes here (a
 * 100-event capture holds thousands of values), so it keeps two stacks of plain values instead of allocating a
 * pair per value and an entry per key.
 */
function walk(root: unknown, where: string): DomainError | undefined {
  const values: unknown[] = [root];
  const depths: number[] = [0];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop() ?? 0;
    if (typeof value === "string") {
      if (NOT_TEXT.test(value)) return invalidText(where);
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      return new DomainError(
        "REQUEST.TOO_DEEP",
        "invalid",
        `The ${where} is nested more than ${String(MAX_JSON_DEPTH)} levels deep`,
        { limit: MAX_JSON_DEPTH },
      );
    }
    if (Array.isArray(value)) {
      for (const child of value as unknown[]) {
        values.push(child);
        depths.push(depth + 1);
      }
      continue;
    }
    for (const key of Object.keys(value)) {
      if (NOT_TEXT.test(key)) return invalidText(where);
      values.push((value as Record<string, unknown>)[key]);
      depths.push(depth + 1);
    }
  }
  return undefined;
}

function invalidText(where: string): DomainError {
  return new DomainError(
    "REQUEST.INVALID_TEXT",
    "invalid",
    `The ${where} contains a NUL character or a lone UTF-16 surrogate, which is not text`,
    { where },
  );
}

/**
 * Requests Node's HTTP parser refuses never reach Express: a request line and headers over 16 KiB (an overlong
 * path or query) or bytes that are not HTTP. Node would close them with a bare status line; they get a problem
 * like every other refusal. A client that is already gone is let go.
 */
export function answerParserErrors(server: Pick<Server, "on">): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const problem = parserProblem(error.code);
    const body = JSON.stringify(problem);
    socket.end(
      `HTTP/1.1 ${String(problem.status)} ${problem.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${String(Buffer.byteLength(body))}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

function parserProblem(errorCode: string | undefined): ProblemDetails {
  const error =
    errorCode === "HPE_HEADER_OVERFLOW"
      ? new DomainError("REQUEST.HEADERS_TOO_LARGE", "headers-too-large", "The request line and headers exceed 16 KiB")
      : errorCode === "ERR_HTTP_REQUEST_TIMEOUT"
        ? new DomainError("REQUEST.TIMEOUT", "timeout", "The request was not received in time")
        : new DomainError("REQUEST.MALFORMED_HTTP", "invalid", "The request is not well-formed HTTP/1.1");
  return problemOf(error);
}
