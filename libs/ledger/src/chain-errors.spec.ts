import { describe, expect, it } from "@jest/globals";
import { makeError } from "ethers";
import { DomainError } from "#common";
import { toChainError } from "./chain-errors.js";
import { OffsetRegistry__factory, TraceLedger__factory } from "./contracts.js";

const root = `0x${"11".repeat(32)}`;

/** What ethers throws for a reverted call: an Error with code CALL_EXCEPTION and the revert data. */
function callException(data: string): Error {
  return Object.assign(new Error("execution reverted"), { code: "CALL_EXCEPTION", data });
}

describe("toChainError", () => {
  it("decodes a TraceLedger custom error with its arguments", () => {
    const data = TraceLedger__factory.createInterface().encodeErrorResult("TraceLedgerRootAlreadyAnchored", [root, 7]);
    const error = toChainError(callException(data));
    expect(error.code).toBe("CHAIN.TraceLedgerRootAlreadyAnchored");
    expect(error.kind).toBe("conflict");
    expect(error.details).toEqual({ root, batchId: "7" });
  });

  it("decodes an OffsetRegistry overlap as a conflict", () => {
    const data = OffsetRegistry__factory.createInterface().encodeErrorResult("OffsetRegistryRangeOverlaps", [
      root,
      10,
      20,
      15,
      30,
    ]);
    const error = toChainError(callException(data));
    expect(error.code).toBe("CHAIN.OffsetRegistryRangeOverlaps");
    expect(error.kind).toBe("conflict");
    expect(error.details).toMatchObject({ firstSerial: "10", existingLast: "30" });
  });

  it("maps OpenZeppelin's missing-role error to forbidden", () => {
    const data = TraceLedger__factory.createInterface().encodeErrorResult("AccessControlUnauthorizedAccount", [
      "0x0000000000000000000000000000000000000001",
      root,
    ]);
    const error = toChainError(callException(data));
    expect(error.code).toBe("CHAIN.AccessControlUnauthorizedAccount");
    expect(error.kind).toBe("forbidden");
  });

  it("reads revert data nested in a JSON-RPC error", () => {
    const data = TraceLedger__factory.createInterface().encodeErrorResult("TraceLedgerEmptyRoot", []);
    expect(toChainError({ error: { code: 3, data } }).code).toBe("CHAIN.TraceLedgerEmptyRoot");
  });

  it("keeps an unknown revert as CHAIN.REVERTED", () => {
    expect(toChainError(callException("0xdeadbeef")).code).toBe("CHAIN.REVERTED");
  });

  it("reports an unreachable node as unavailable", () => {
    const refused = new Error("connect ECONNREFUSED 127.0.0.1:8545");
    expect(toChainError(refused)).toMatchObject({ code: "CHAIN.UNAVAILABLE", kind: "unavailable" });
    const network = makeError("network down", "NETWORK_ERROR", { event: "x" });
    expect(toChainError(network)).toMatchObject({ code: "CHAIN.UNAVAILABLE", kind: "unavailable" });
  });

  it("reports a nonce another sender took as a retryable CHAIN.NONCE_CONFLICT (nothing was sent)", () => {
    const conflict = { code: "CHAIN.NONCE_CONFLICT", kind: "unavailable" };
    expect(toChainError(makeError("nonce has already been used", "NONCE_EXPIRED", { transaction: {} }))).toMatchObject(
      conflict,
    );
    expect(toChainError(new Error("nonce too low: next nonce 7, tx nonce 6"))).toMatchObject(conflict);
    expect(toChainError(new Error("replacement transaction underpriced"))).toMatchObject(conflict);
  });

  it("passes domain errors through and hides anything else behind CHAIN.FAILED", () => {
    const domain = new DomainError("X.Y", "invalid", "x");
    expect(toChainError(domain)).toBe(domain);
    expect(toChainError(new Error("boom"))).toMatchObject({ code: "CHAIN.FAILED", kind: "internal" });
  });
});
