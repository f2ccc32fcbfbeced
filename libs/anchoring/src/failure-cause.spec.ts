import { describe, expect, it } from "@jest/globals";
import { makeError } from "ethers";
import { DomainError } from "#common";
import { classify } from "./failure-cause.js";

describe("classify (what an anchoring step failed on)", () => {
  it("reads an empty operator account as funds, whether ethers typed it or only the node's words say so", () => {
    const typed = makeError("insufficient funds for intrinsic transaction cost", "INSUFFICIENT_FUNDS", {
      transaction: {},
    });
    expect(classify(typed)).toMatchObject({ cause: "funds", code: "CHAIN.INSUFFICIENT_FUNDS" });
    const worded = new Error("Insufficient funds for gas * price + value");
    expect(classify(worded).cause).toBe("funds");
  });

  it("reads an unreachable node as chain", () => {
    const refused = new Error("connect ECONNREFUSED 127.0.0.1:8545");
    expect(classify(refused)).toMatchObject({ cause: "chain", code: "CHAIN.UNAVAILABLE" });
  });

  it("reads typed IPFS errors as ipfs, a full store included", () => {
    const full = new DomainError("EVIDENCE.STORE_FULL", "unavailable", "full", { part: "ipfs" });
    expect(classify(full)).toMatchObject({ cause: "ipfs", code: "EVIDENCE.STORE_FULL" });
  });

  it("reads PostgreSQL going away, and any failed query, as database", () => {
    const gone = Object.assign(new Error("Connection terminated unexpectedly"), {});
    expect(classify(gone)).toMatchObject({ cause: "database", code: "DATABASE.UNAVAILABLE" });
    const query = Object.assign(new Error("deadlock detected"), { name: "QueryFailedError" });
    expect(classify(query)).toMatchObject({ cause: "database", code: "DATABASE.QUERY_FAILED" });
  });

  it("keeps any other typed error's code, as other", () => {
    expect(classify(new DomainError("PROOF.BAD", "invalid", "bad")).cause).toBe("other");
  });
});
