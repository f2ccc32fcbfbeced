import { DomainError, type ErrorKind } from "#common";
import { isCallException, isError } from "ethers";
import { CONTRACT_INTERFACES } from "./contracts.js";

/** HTTP-facing kind of each revert; anything not listed is "invalid". */
const KIND_OF: Readonly<Record<string, ErrorKind>> = {
  AccessControlUnauthorizedAccount: "forbidden",
  TraceLedgerInvalidCertifierSignature: "forbidden",
  TraceLedgerRootAlreadyAnchored: "conflict",
  TraceLedgerAttestationExists: "conflict",
  OffsetRegistryRangeOverlaps: "conflict",
  OffsetRegistryInvalidHint: "conflict",
  TraceLedgerRootNotAnchored: "not-found",
};

/**
 * Turns whatever ethers threw into a DomainError: a custom-error revert becomes `CHAIN.<SolidityErrorName>`
 * with its decoded arguments; a node that cannot be reached becomes `CHAIN.UNAVAILABLE`.
 */
export function toChainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  const data = revertData(error);
  if (data !== undefined) {
    for (const iface of CONTRACT_INTERFACES) {
      const parsed = iface.parseError(data);
      if (parsed !== null) {
        const args = Object.fromEntries(parsed.fragment.inputs.map((input, i) => [input.name, plain(parsed.args[i])]));
        return new DomainError(
          `CHAIN.${parsed.name}`,
          KIND_OF[parsed.name] ?? "invalid",
          `The ledger rejected the transaction: ${parsed.name}`,
          args,
          { cause: error },
        );
      }
    }
    return new DomainError("CHAIN.REVERTED", "invalid", "The transaction reverted", { data }, { cause: error });
  }
  if (isError(error, "INSUFFICIENT_FUNDS") || (error instanceof Error && /insufficient funds/i.test(error.message))) {
    return new DomainError(
      "CHAIN.INSUFFICIENT_FUNDS",
      "unavailable",
      "The service account cannot pay for gas: the operator must fund it",
      { part: "chain", retryAfterSeconds: 60 },
      { cause: error },
    );
  }
  if (
    isError(error, "NETWORK_ERROR") ||
    isError(error, "TIMEOUT") ||
    isError(error, "SERVER_ERROR") ||
    (error instanceof Error && /ECONNREFUSED|ECONNRESET|fetch failed|socket hang up/i.test(error.message))
  ) {
    return new DomainError(
      "CHAIN.UNAVAILABLE",
      "unavailable",
      "The chain node did not answer: try again shortly",
      { part: "chain", retryAfterSeconds: 10 },
      { cause: error },
    );
  }
  if (
    isError(error, "NONCE_EXPIRED") ||
    isError(error, "REPLACEMENT_UNDERPRICED") ||
    (error instanceof Error &&
      /nonce too low|nonce has already been used|replacement transaction underpriced/i.test(error.message))
  ) {
    // Another sender of the same account took the nonce (an operator's own transaction, another deployment):
    // nothing was sent, and sending again with the next nonce is safe.
    return new DomainError(
      "CHAIN.NONCE_CONFLICT",
      "unavailable",
      "Another transaction of the service account took this nonce: try again",
      { part: "chain", retryAfterSeconds: 5 },
      { cause: error },
    );
  }
  return new DomainError("CHAIN.FAILED", "internal", "A chain operation failed", {}, { cause: error });
}

function revertData(error: unknown): string | undefined {
  if (isCallException(error) && typeof error.data === "string" && error.data.length > 2) return error.data;
  // Some nodes wrap the revert in a JSON-RPC error: { error: { data: "0x…" } }.
  const nested = (error as { error?: { data?: unknown } } | null)?.error?.data;
  return typeof nested === "string" && nested.startsWith("0x") && nested.length > 2 ? nested : undefined;
}

function plain(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  return value;
}
