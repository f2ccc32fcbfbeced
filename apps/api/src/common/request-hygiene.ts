import type { NextFunction, Request, RequestHandler, Response } from "express";
import { DomainError } from "#common";
import { PROBLEM_CONTENT_TYPE, problemOf } from "./problem-details.js";

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

/** Walks a parsed value without recursion: the first problem found, or undefined. */
function walk(root: unknown, where: string): DomainError | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
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
    for (const [key, child] of Object.entries(value)) {
      if (NOT_TEXT.test(key)) return invalidText(where);
      stack.push({ value: child, depth: depth + 1 });
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
