/** What the verifier needs to read from the ledger; an ethers implementation is in libs/ledger. */
export interface LedgerReader {
  chainId(): Promise<bigint>;
  anchorOf(root: string): Promise<{ batchId: bigint; blockNumber: bigint; anchoredAt: bigint }>;
  hadRoleAt(role: string, account: string, timestamp: bigint): Promise<boolean>;
  attestationsOf(subject: string): Promise<ReadonlyArray<{ certifier: string; statementHash: string }>>;
  /**
   * The `CreditsRetired` events the OffsetRegistry at `registry` emitted in transaction `txHash` (none when the
   * transaction does not exist, failed, or emitted none).
   */
  retirementsIn(registry: string, txHash: string): Promise<readonly RetiredOnLedger[]>;
}

/** One `CreditsRetired` event of OffsetRegistry, as the ledger holds it. */
export interface RetiredOnLedger {
  readonly retirementId: bigint;
  /** The bytes32 the lot is filed under (`offsetLotKey`). */
  readonly lotKey: string;
  readonly registry: string;
  readonly serialBlock: string;
  readonly projectId: string;
  readonly vintage: bigint;
  readonly firstSerial: bigint;
  readonly lastSerial: bigint;
  readonly beneficiary: string;
  readonly quantityKg: bigint;
  readonly blockNumber: bigint;
}

/** Why ledger checks were not done: no source given, or the source stopped answering. */
export class LedgerUnread {
  constructor(readonly reason: string) {}
}

/** A ledger read, or why it could not be made (an unreachable ledger skips checks; it does not fail them). */
export async function fromLedger<T>(
  ledger: LedgerReader | LedgerUnread,
  read: (ledger: LedgerReader) => Promise<T>,
): Promise<T | LedgerUnread> {
  if (ledger instanceof LedgerUnread) return ledger;
  try {
    return await read(ledger);
  } catch (error) {
    return new LedgerUnread(`the ledger could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export type AddCheck = (check: string, subject: string, status: "pass" | "fail" | "skip", detail: string) => void;

/**
 * A reader that asks the source once per distinct read and keeps the answer (a failed read is asked again).
 * `warm` issues a list of reads at once, so that a source that batches concurrent calls (the journey page's
 * JSON-RPC reader, ethers' provider) answers the whole verification in one round trip instead of one per check.
 */
export class MemoLedger implements LedgerReader {
  private readonly answers = new Map<string, Promise<unknown>>();

  constructor(private readonly source: LedgerReader) {}

  chainId(): Promise<bigint> {
    return this.memo("chainId", [], () => this.source.chainId());
  }

  anchorOf(root: string): Promise<{ batchId: bigint; blockNumber: bigint; anchoredAt: bigint }> {
    return this.memo("anchorOf", [root], () => this.source.anchorOf(root));
  }

  hadRoleAt(role: string, account: string, timestamp: bigint): Promise<boolean> {
    return this.memo("hadRoleAt", [role, account.toLowerCase(), timestamp], () =>
      this.source.hadRoleAt(role, account, timestamp),
    );
  }

  attestationsOf(subject: string): Promise<ReadonlyArray<{ certifier: string; statementHash: string }>> {
    return this.memo("attestationsOf", [subject], () => this.source.attestationsOf(subject));
  }

  retirementsIn(registry: string, txHash: string): Promise<readonly RetiredOnLedger[]> {
    return this.memo("retirementsIn", [registry.toLowerCase(), txHash.toLowerCase()], () =>
      this.source.retirementsIn(registry, txHash),
    );
  }

  /** Starts every read at once and waits for all of them; failures stay for the checks to report. */
  async warm(reads: ReadonlyArray<(ledger: LedgerReader) => Promise<unknown>>): Promise<void> {
    await Promise.allSettled(reads.map((read) => read(this)));
  }

  private memo<T>(method: string, args: readonly unknown[], read: () => Promise<T>): Promise<T> {
    const key = `${method}(${args.map(String).join(",")})`;
    const known = this.answers.get(key) as Promise<T> | undefined;
    if (known !== undefined) return known;
    const answer = read();
    this.answers.set(key, answer);
    answer.catch(() => this.answers.delete(key));
    return answer;
  }
}
