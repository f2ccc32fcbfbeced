// The chain boundary for service unit tests, kept in memory: what OffsetRegistry and TraceLedger's AccessControl
// answer, and how they fail. Failures go through the real decoding (toChainError over an ethers error carrying
// the contract's own custom-error data), so services see exactly the DomainErrors the real adapters give them.
// The e2e tests (test/api) run the same services against the real contracts on anvil.
import { makeError, toBeHex } from "ethers";
import {
  creditBlockKey,
  OffsetRegistry__factory,
  toChainError,
  type CreditRetirement,
  type RetiredOnChain,
} from "#ledger";
import type { OffsetLedger } from "../../apps/api/src/offsets/offset-ledger.js";
import type { RoleRegistry, SentTransaction } from "../../apps/api/src/participants/role-sync.service.js";

/** The node cannot be reached (what ethers throws when the RPC connection is refused). */
export function unreachable(): Error {
  return new Error("connect ECONNREFUSED 127.0.0.1:8545");
}

/** A revert with `data`, shaped as ethers reports one from eth_estimateGas / eth_call. */
function reverted(data: string): Error {
  return makeError("execution reverted", "CALL_EXCEPTION", {
    action: "estimateGas",
    data,
    reason: null,
    transaction: { to: null, data: "0x" },
    invocation: null,
    revert: null,
  });
}

class Transactions {
  private count = 0;

  next(): SentTransaction {
    this.count += 1;
    const hash = toBeHex(this.count, 32);
    return { hash, wait: () => Promise.resolve({ hash }) };
  }
}

/** TraceLedger's AccessControl roles in memory; `failWith` makes every call throw until cleared. */
export class FakeRoleRegistry implements RoleRegistry {
  readonly held = new Set<string>();
  failWith: (() => Error) | undefined;
  readonly sent: Array<{ change: "grant" | "revoke"; role: string; account: string }> = [];
  private readonly transactions = new Transactions();

  hasRole(role: string, account: string): Promise<boolean> {
    this.fail();
    return Promise.resolve(this.held.has(`${role} ${account}`));
  }

  grantRole(role: string, account: string): Promise<SentTransaction> {
    this.fail();
    this.held.add(`${role} ${account}`);
    this.sent.push({ change: "grant", role, account });
    return Promise.resolve(this.transactions.next());
  }

  revokeRole(role: string, account: string): Promise<SentTransaction> {
    this.fail();
    this.held.delete(`${role} ${account}`);
    this.sent.push({ change: "revoke", role, account });
    return Promise.resolve(this.transactions.next());
  }

  private fail(): void {
    if (this.failWith !== undefined) throw this.failWith();
  }
}

/**
 * OffsetRegistry in memory: retired ranges per registry block, an overlap refused with the contract's own
 * `OffsetRegistryRangeOverlaps`, and the same retirement (same lot, same range) answered again, not retired twice.
 */
export class FakeOffsetLedger implements OffsetLedger {
  readonly chainId = 31337n;
  readonly offsetRegistry = "0x00000000000000000000000000000000000000f0";
  readonly retired: Array<CreditRetirement & RetiredOnChain> = [];
  failWith: (() => Error) | undefined;
  private readonly transactions = new Transactions();

  retire(retirement: CreditRetirement): Promise<RetiredOnChain> {
    try {
      if (this.failWith !== undefined) throw this.failWith();
      const same = this.retired.find((r) => sameRetirement(r, retirement));
      if (same !== undefined) return Promise.resolve(onChain(same));
      const overlap = this.retired.find(
        (r) =>
          creditBlockKey(r.registry, r.serialBlock) === creditBlockKey(retirement.registry, retirement.serialBlock) &&
          r.firstSerial <= retirement.lastSerial &&
          retirement.firstSerial <= r.lastSerial,
      );
      if (overlap !== undefined) throw reverted(overlapData(retirement, overlap));
      const recorded = {
        ...retirement,
        retirementId: this.retired.length + 1,
        txHash: this.transactions.next().hash,
        blockNumber: 100 + this.retired.length,
      };
      this.retired.push(recorded);
      return Promise.resolve(onChain(recorded));
    } catch (error) {
      // retireCredits rejects with the decoded DomainError, never with ethers' own error.
      return Promise.reject(toChainError(error));
    }
  }
}

function overlapData(retirement: CreditRetirement, existing: CreditRetirement): string {
  return OffsetRegistry__factory.createInterface().encodeErrorResult("OffsetRegistryRangeOverlaps", [
    creditBlockKey(retirement.registry, retirement.serialBlock),
    retirement.firstSerial,
    retirement.lastSerial,
    existing.firstSerial,
    existing.lastSerial,
  ]);
}

function sameRetirement(a: CreditRetirement, b: CreditRetirement): boolean {
  return (
    a.registry === b.registry &&
    a.serialBlock === b.serialBlock &&
    a.firstSerial === b.firstSerial &&
    a.lastSerial === b.lastSerial &&
    a.lot === b.lot
  );
}

function onChain(r: RetiredOnChain): RetiredOnChain {
  return { retirementId: r.retirementId, txHash: r.txHash, blockNumber: r.blockNumber };
}
