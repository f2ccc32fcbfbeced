import type { CreditRetirement, Ledger, RetiredOnChain } from "#ledger";
import { retireCredits } from "#ledger";

/** Injection token of the OffsetLedger: the part of the chain the offsets feature talks to. */
export const OFFSET_LEDGER = Symbol("OFFSET_LEDGER");

/** OffsetRegistry as the offsets feature uses it: where it is, and retiring a serial range (idempotently). */
export interface OffsetLedger {
  readonly chainId: bigint;
  /** The OffsetRegistry contract's address. */
  readonly offsetRegistry: string;
  /** Resolves with the on-chain retirement; rejects with a CHAIN.* DomainError (`unavailable` when unreachable). */
  retire(retirement: CreditRetirement): Promise<RetiredOnChain>;
}

export function offsetLedgerOf(ledger: Ledger): OffsetLedger {
  return {
    chainId: ledger.chain.chainId,
    offsetRegistry: ledger.addresses.OffsetRegistry,
    retire: (retirement) =>
      retireCredits(ledger.offsetRegistry, retirement, { fromBlock: ledger.deployBlockOf("OffsetRegistry") }),
  };
}
