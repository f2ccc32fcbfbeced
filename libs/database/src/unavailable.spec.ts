import { describe, expect, it } from "@jest/globals";
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from "typeorm";
import { unavailableDatabase } from "./unavailable.js";

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe("unavailableDatabase", () => {
  it("names a database that cannot be reached, with when to come back", () => {
    for (const error of [
      withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"),
      new Error("Connection terminated unexpectedly"),
      withCode("terminating connection due to administrator command", "57P01"),
      withCode("the database system is starting up", "57P03"),
      withCode("sorry, too many clients already", "53300"),
      // Found by the fault suite: a request whose connection PostgreSQL dropped meets TypeORM's released runner.
      new QueryRunnerAlreadyReleasedError(),
      new QueryRunnerProviderAlreadyReleasedError(),
    ]) {
      expect(unavailableDatabase(error)).toMatchObject({
        code: "DATABASE.UNAVAILABLE",
        kind: "unavailable",
        details: { part: "database", retryAfterSeconds: 5 },
      });
    }
  });

  it("names a database that did not answer in time", () => {
    const cancelled = withCode("canceling statement due to statement timeout", "57014");
    for (const error of [
      cancelled,
      new QueryFailedError("SELECT 1", [], cancelled),
      new Error("Query read timeout"),
      new Error("timeout exceeded when trying to connect"),
    ]) {
      expect(unavailableDatabase(error)?.code).toBe("DATABASE.TIMEOUT");
    }
  });

  it("leaves every other error alone: a constraint, a syntax error, a bug", () => {
    for (const error of [
      withCode('duplicate key value violates unique constraint "pk"', "23505"),
      withCode("syntax error at or near", "42601"),
      new TypeError("Cannot read properties of undefined"),
      "not an error",
    ]) {
      expect(unavailableDatabase(error)).toBeUndefined();
    }
  });
});
