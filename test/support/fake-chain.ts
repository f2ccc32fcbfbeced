// The chain boundary for service unit tests, kept in memory: what OffsetRegistry and TraceLedger's AccessControl
// answer, and how they fail. Failures go through the real decoding (toChainError over an ethers error carrying
// the contract's own custom-error data), so services see exactly the DomainErrors the real adapters give them.
// The e2e tests (test/api) run the same services against the real contracts on anvil.
import { makeError, toBeHex } from "ethers";
import { ChainJobRunner, type ChainJobChain } from "#anchoring";
import { silentLogger } from "#common";
import {
  creditBlockKey,
  OffsetRegistry__factory,
  toChainError,
  type CreditRetirement,
  type RecordedTransaction,
  type ResendOutcome,
  type RetiredOnChain,
  type SentState,
  type SignedTransaction,
} from "#ledger";
import type { OffsetLedger } from "../../apps/api/src/offsets/offset-ledger.js";
import type { RoleRegistry } from "../../apps/api/src/participants/role-registry.js";
import { InMemoryChainJobs } from "./in-memory/chain-jobs.js";

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

/**
 * The chain's transactions: each send is signed (handed to `record` first, as SerialSigner does) and mined at once
 * in its own block. What the chain-job runner asks of a real node (a receipt, or nothing) it answers from these.
 */
export class FakeTransactions implements ChainJobChain {
  private readonly mined = new Map<string, number>();

  async send(record: (signed: SignedTransaction) => Promise<void>): Promise<{ hash: string; blockNumber: number }> {
    const nonce = this.mined.size;
    const hash = toBeHex(nonce + 1, 32);
    await record({ hash, nonce, raw: `0x02${hash.slice(2)}` });
    const blockNumber = 100 + nonce;
    this.mined.set(hash, blockNumber);
    return { hash, blockNumber };
  }

  state(sent: RecordedTransaction): Promise<SentState> {
    const blockNumber = this.mined.get(sent.hash);
    return Promise.resolve(
      blockNumber === undefined ? { state: "unknown" } : { state: "mined", hash: sent.hash, blockNumber },
    );
  }

  resend(): Promise<ResendOutcome> {
    return Promise.resolve("dropped");
  }
}

/** A chain-job runner over an in-memory outbox and `chain`: what services run their transactions through. */
export function inMemoryJobs(chain: FakeTransactions): { runner: ChainJobRunner; rows: InMemoryChainJobs } {
  const rows = new InMemoryChainJobs();
  return { runner: new ChainJobRunner(rows, chain, silentLogger), rows };
}

/** TraceLedger's AccessControl roles in memory; `failWith` makes every call throw until cleared. */
export class FakeRoleRegistry implements RoleRegistry {
  readonly held = new Set<string>();
  failWith: (() => Error) | undefined;
  readonly sent: Array<{ change: "grant" | "revoke"; role: string; account: string }> = [];

  constructor(readonly transactions = new FakeTransactions()) {}

  hasRole(role: string, account: string): Promise<boolean> {
    this.fail();
    return Promise.resolve(this.held.has(`${role} ${account}`));
  }

  async sendRoleChange(
    change: "grant" | "revoke",
    role: string,
    account: string,
    record: (signed: SignedTransaction) => Promise<void>,
  ): Promise<unknown> {
    this.fail();
    const sent = await this.transactions.send(record);
    if (change === "grant") this.held.add(`${role} ${account}`);
    else this.held.delete(`${role} ${account}`);
    this.sent.push({ change, role, account });
    return sent;
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

  constructor(readonly transactions = new FakeTransactions()) {}

  find(retirement: CreditRetirement): Promise<RetiredOnChain | undefined> {
    if (this.failWith !== undefined) return Promise.reject(toChainError(this.failWith()));
    const same = this.retired.find((r) => sameRetirement(r, retirement));
    return Promise.resolve(same === undefined ? undefined : onChain(same));
  }

  /** Retires the range as OffsetRegistry.retire would (from any sender): refused on overlap, at estimation. */
  async send(
    retirement: CreditRetirement,
    record: (signed: SignedTransaction) => Promise<void> = () => Promise.resolve(),
  ): Promise<RetiredOnChain> {
    try {
      if (this.failWith !== undefined) throw this.failWith();
      const overlap = this.retired.find(
        (r) =>
          creditBlockKey(r.registry, r.serialBlock) === creditBlockKey(retirement.registry, retirement.serialBlock) &&
          r.firstSerial <= retirement.lastSerial &&
          retirement.firstSerial <= r.lastSerial,
      );
      if (overlap !== undefined) throw reverted(overlapData(retirement, overlap));
    } catch (error) {
      // The ledger adapter rejects with the decoded DomainError, never with ethers' own error.
      throw toChainError(error);
    }
    const { hash, blockNumber } = await this.transactions.send(record);
    const recorded = { ...retirement, retirementId: this.retired.length + 1, txHash: hash, blockNumber };
    this.retired.push(recorded);
    return onChain(recorded);
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
