import { describe, expect, it } from "@jest/globals";
import { DomainError, type ErrorKind } from "#common";
import { problemOf, problemType, STATUS_OF } from "./problem-details.js";

describe("problemOf", () => {
  it("maps every error kind to one HTTP status", () => {
    const expected: Record<ErrorKind, number> = {
      invalid: 400,
      unauthenticated: 401,
      forbidden: 403,
      "not-found": 404,
      conflict: 409,
      "too-large": 413,
      "headers-too-large": 431,
      timeout: 408,
      "rate-limited": 429,
      "unsupported-media-type": 415,
      unavailable: 503,
      internal: 500,
    };
    expect(STATUS_OF).toEqual(expected);
  });

  it("builds RFC 9457 members plus the stable code and the error's details", () => {
    const error = new DomainError("CHAIN.TraceLedgerRootAlreadyAnchored", "conflict", "already anchored", {
      batchId: "3",
    });
    expect(problemOf(error, "/batches/3")).toEqual({
      type: "tag:carbontrace.org,2026:problem:CHAIN.TraceLedgerRootAlreadyAnchored",
      title: "Conflict",
      status: 409,
      detail: "already anchored",
      code: "CHAIN.TraceLedgerRootAlreadyAnchored",
      instance: "/batches/3",
      batchId: "3",
    });
  });

  it("gives each code its own type URI", () => {
    expect(problemType("A.B")).not.toBe(problemType("A.C"));
  });
});
