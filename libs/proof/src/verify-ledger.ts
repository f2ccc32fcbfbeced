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
