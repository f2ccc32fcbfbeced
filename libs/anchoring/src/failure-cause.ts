import { DomainError } from "#common";
import { unavailableDatabase } from "#database";
import { toChainError } from "#ledger";

/** What an anchoring step failed on: the operator's fix differs for each. */
export const FAILURE_CAUSES = ["chain", "funds", "ipfs", "database", "other"] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];

/** A failure as health, metrics and logs report it. */
export interface AnchorFailure {
  readonly cause: FailureCause;
  readonly code: string;
  readonly message: string;
}

/**
 * Classifies an error thrown by an anchoring step. Errors reach here already typed where the adapters know
 * them (EVIDENCE.*, DATABASE.*, CHAIN.*); anything else is read as a chain error, since ethers throws untyped.
 */
export function classify(error: unknown): AnchorFailure {
  const database = unavailableDatabase(error);
  if (database === undefined && (error as { name?: unknown } | null)?.name === "QueryFailedError") {
    return { cause: "database", code: "DATABASE.QUERY_FAILED", message: (error as Error).message };
  }
  const typed = database ?? (error instanceof DomainError ? error : toChainError(error));
  return { cause: causeOfCode(typed.code), code: typed.code, message: typed.message };
}

function causeOfCode(code: string): FailureCause {
  if (code === "CHAIN.INSUFFICIENT_FUNDS") return "funds";
  if (code.startsWith("CHAIN.")) return "chain";
  if (code.startsWith("EVIDENCE.")) return "ipfs";
  if (code.startsWith("DATABASE.")) return "database";
  return "other";
}
