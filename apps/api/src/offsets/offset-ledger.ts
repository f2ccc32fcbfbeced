import type { CreditRetirement, Ledger, RetiredOnChain, SignedTransaction } from "#ledger";
import { findRetirement, sendRetirement } from "#ledger";

/** Injection token of the OffsetLedger: the part of the chain the offsets feature talks to. */
export const OFFSET_LEDGER = Symbol("OFFSET_LEDGER");

/** OffsetRegistry as the offsets feature uses it: where it is, finding a retirement, and sending one. */
export interface OffsetLedger {
  readonly chainId: bigint;
  /** The OffsetRegistry contract's address. */
  readonly offsetRegistry: string;
  /** The retirement of exactly this range for this lot, if the chain has it (whoever sent it). */
  find(retirement: CreditRetirement): Promise<RetiredOnChain | undefined>;
  /**
   * Signs the retirement, hands the signed transaction to `record`, then broadcasts it; rejects with a CHAIN.*
   * DomainError (`unavailable` when unreachable, the contract's own error when it refuses).
   */
  send(retirement: CreditRetirement, record: (signed: SignedTransaction) => Promise<void>): Promise<unknown>;
}

export function offsetLedgerOf(ledger: Ledger): OffsetLedger {
  return {
    chainId: ledger.chain.chainId,
    offsetRegistry: ledger.addresses.OffsetRegistry,
    find: (retirement) =>
      findRetirement(ledger.offsetRegistry, retirement, { fromBlock: ledger.deployBlockOf("OffsetRegistry") }),
    send: (retirement, record) =>
      sendRetirement(ledger.offsetRegistry, retirement, (request) => ledger.chain.signer.sendRecorded(request, record)),
  };
}
