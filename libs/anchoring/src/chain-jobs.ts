import { DomainError, type Logger } from "#common";
import type { ChainJobKind, ChainJobRecord, LeasedJob } from "#database";
import { toChainError, type RecordedTransaction, type ResendOutcome, type SentState } from "#ledger";
import { Failpoints } from "./failpoints.js";

/** The outbox rows the runner works on (ChainJobRepository; in memory in unit tests). */
export interface ChainJobRows {
  enqueue(kind: ChainJobKind, subject: string): Promise<ChainJobRecord>;
  lease(options: { limit: number; leaseMs: number; id?: string }): Promise<LeasedJob[]>;
  markSent(job: LeasedJob, signed: { hash: string; nonce: number; raw: string }): Promise<void>;
  finish(
    job: LeasedJob,
    outcome: { status: "done" | "failed"; error: string | null; txHash?: string; blockNumber?: number },
  ): Promise<void>;
  later(job: LeasedJob, next: { status: "queued" | "sent"; error: string | null; delayMs: number }): Promise<void>;
}

/** What the runner asks of the chain itself, whatever the job: where a recorded transaction is, and resending it. */
export interface ChainJobChain {
  state(sent: RecordedTransaction): Promise<SentState>;
  resend(sent: RecordedTransaction): Promise<ResendOutcome>;
}

/** A transaction's place in the chain, when the job knows it. */
export interface MinedAt {
  readonly hash: string;
  readonly blockNumber: number;
}

/**
 * One kind of job (retiring credits, recording an attestation, granting or revoking a role): how to read its
 * subject, how to tell that the chain already has its effect, how to send it, and what to write when it ends.
 */
export interface ChainJobHandler<S, F> {
  /** The subject as it is now; undefined when it no longer wants this transaction (gone, or superseded). */
  load(subject: string): Promise<S | undefined>;
  /** The job's effect if the chain has it (sent by this job, an earlier attempt, or anyone): never sent twice. */
  find(subject: S): Promise<F | undefined>;
  /**
   * Whether a refusal is tried again (with the back-off of an unreachable chain) instead of ending the job: for
   * refusals the operator can lift (the service account not yet the ledger's registrar).
   */
  readonly retriesRefusals?: boolean;
  /** A refusal if the transaction can no longer be sent at all (a signature past its deadline). */
  expired?(subject: S): DomainError | undefined;
  /** Signs and broadcasts the transaction, handing the signed bytes to `record` before broadcasting them. */
  send(subject: S, record: (signed: { hash: string; nonce: number; raw: string }) => Promise<void>): Promise<unknown>;
  /** The chain has the effect (`tx`: the transaction of this job that put it there, when known). */
  done(subject: S, found: F, tx: MinedAt | undefined): Promise<void>;
  /** The ledger refuses it for good. */
  refused(subject: S, error: DomainError): Promise<void>;
  /** Not on the chain yet (the chain unreachable, a transaction still pending): it will be tried again. */
  waiting(subject: S, error: DomainError | undefined): Promise<void>;
}

/** How a job came out of one pass. */
export type JobOutcome =
  | { readonly state: "done" }
  | { readonly state: "refused"; readonly error: DomainError }
  | { readonly state: "waiting"; readonly error?: DomainError }
  /** Another worker (of this instance or another) holds its lease. */
  | { readonly state: "busy" };

export interface ChainJobOptions {
  /** How long a leased job is a worker's own: longer than any one step (RPC calls time out after 15 s). */
  readonly leaseMs: number;
  /** How long a worker waits for a broadcast transaction to be mined before leaving it for a later pass. */
  readonly receiptWaitMs: number;
  readonly receiptPollMs: number;
  /** Transactions signed for one job before it is given up (each one mined and reverted, or dropped). */
  readonly maxAttempts: number;
}

export const CHAIN_JOB_DEFAULTS: ChainJobOptions = {
  leaseMs: 120_000,
  receiptWaitMs: 60_000,
  receiptPollMs: 250,
  maxAttempts: 5,
};

const MAX_BACKOFF_MS = 60_000;
const PASS_LIMIT = 20;
/** A transaction still pending is looked at again after this long. */
const PENDING_RECHECK_MS = 2_000;
/** A job the chain could not take yet (unreachable) is tried again after this long. */
const UNAVAILABLE_RETRY_MS = 10_000;

type AnyHandler = ChainJobHandler<unknown, unknown>;

/**
 * Sends every transaction the service owes the chain besides anchors, from the chain-job outbox: any instance may
 * run it (each job is leased by one worker at a time), a signed transaction is recorded before it is broadcast,
 * and every pass starts from what the chain says, so a worker dying at any point leaves a job the next lease
 * settles: found on the chain (done), still pending (waited for), unknown to the node (the same bytes sent again)
 * or dropped (sent anew). Nonces are taken by one sender at a time (the service account's SerialSigner).
 */
export class ChainJobRunner {
  private readonly handlers = new Map<ChainJobKind, AnyHandler>();

  constructor(
    private readonly rows: ChainJobRows,
    private readonly chain: ChainJobChain,
    private readonly log: Logger,
    private readonly options: ChainJobOptions = CHAIN_JOB_DEFAULTS,
    private readonly failpoints = new Failpoints(new Set()),
  ) {}

  register<S, F>(kind: ChainJobKind, handler: ChainJobHandler<S, F>): void {
    this.handlers.set(kind, handler);
  }

  enqueue(kind: ChainJobKind, subject: string): Promise<ChainJobRecord> {
    return this.rows.enqueue(kind, subject);
  }

  /** Works on one job now (a request waiting for its transaction), unless another worker holds it. */
  async runNow(id: string): Promise<JobOutcome> {
    const [job] = await this.rows.lease({ id, limit: 1, leaseMs: this.options.leaseMs });
    return job === undefined ? { state: "busy" } : this.process(job);
  }

  /** One pass over the due jobs; resolves with how many it worked on. */
  async pass(): Promise<number> {
    const jobs = await this.rows.lease({ limit: PASS_LIMIT, leaseMs: this.options.leaseMs });
    for (const job of jobs) {
      // One job's trouble (the database gone mid-job) leaves it to its lease's end; the others still run.
      await this.process(job).catch((error: unknown) => {
        this.log.warn("chain job left for a later pass", { job: job.id, error: String(error) });
      });
    }
    return jobs.length;
  }

  private async process(job: LeasedJob): Promise<JobOutcome> {
    const handler = this.handlers.get(job.kind);
    if (handler === undefined) {
      await this.rows.later(job, { status: job.status === "sent" ? "sent" : "queued", error: null, delayMs: 60_000 });
      return { state: "busy" };
    }
    const subject = await handler.load(job.subject).catch(() => undefined);
    if (subject === undefined) {
      // Gone, or superseded (a role revoked while its grant waited): the job has nothing left to send.
      const error = superseded(job);
      await this.rows.finish(job, { status: "failed", error: `${error.code}: ${error.message}` });
      return { state: "refused", error };
    }
    const attempt = new Attempt(job);
    try {
      return await this.advance(handler, subject, attempt);
    } catch (error) {
      try {
        return await this.afterError(handler, subject, attempt, toChainError(error));
      } catch (second) {
        if (second instanceof DomainError && second.code === "CHAIN.JOB_LEASE_LOST") return { state: "busy" };
        throw second;
      }
    }
  }

  private async advance(handler: AnyHandler, subject: unknown, attempt: Attempt): Promise<JobOutcome> {
    const { job } = attempt;
    if (attempt.recorded !== undefined) {
      const settled = await this.settle(handler, subject, attempt, attempt.recorded);
      if (settled !== undefined) return settled;
      attempt.abandonRecorded();
    }
    const found = await handler.find(subject);
    if (found !== undefined) return this.complete(handler, subject, job, found, undefined);
    const refusal = handler.expired?.(subject) ?? this.exhausted(job);
    if (refusal !== undefined) return this.refuse(handler, subject, job, refusal);
    await handler.send(subject, async (signed) => {
      await this.rows.markSent(job, signed);
      attempt.recorded = { hash: signed.hash, raw: signed.raw };
      attempt.signed = true;
      this.failpoints.hit("chain-job.after-tx-recorded");
    });
    this.failpoints.hit("chain-job.after-broadcast");
    const recorded = attempt.recorded;
    if (recorded === undefined) throw new Error(`chain job ${job.id}: the send recorded nothing`);
    this.log.info("chain job sent", { job: job.id, kind: job.kind, tx: recorded.hash });
    return this.afterBroadcast(handler, subject, attempt, await this.waitMined(recorded));
  }

  /**
   * A job recorded as sent: its outcome if the transaction is mined or still pending; undefined when it must be
   * sent anew (reverted, or its nonce taken by another transaction).
   */
  private async settle(
    handler: AnyHandler,
    subject: unknown,
    attempt: Attempt,
    sent: RecordedTransaction,
  ): Promise<JobOutcome | undefined> {
    const { job } = attempt;
    const state = await this.chain.state(sent);
    if (state.state === "unknown") {
      if ((await this.chain.resend(sent)) === "sent") {
        this.log.info("chain job sent again", { job: job.id, kind: job.kind, tx: sent.hash });
        return this.afterBroadcast(handler, subject, attempt, await this.waitMined(sent));
      }
      this.log.warn("chain job's transaction dropped (its nonce was used); sending anew", { job: job.id });
      return undefined;
    }
    return state.state === "reverted" ? undefined : this.afterBroadcast(handler, subject, attempt, state);
  }

  private async afterBroadcast(
    handler: AnyHandler,
    subject: unknown,
    attempt: Attempt,
    state: SentState,
  ): Promise<JobOutcome> {
    const { job } = attempt;
    if (state.state === "pending" || state.state === "unknown") {
      await this.rows.later(job, { status: "sent", error: null, delayMs: PENDING_RECHECK_MS });
      await handler.waiting(subject, undefined);
      return { state: "waiting" };
    }
    const found = await handler.find(subject);
    if (found !== undefined) {
      const tx = state.state === "mined" ? { hash: state.hash, blockNumber: state.blockNumber } : undefined;
      return this.complete(handler, subject, job, found, tx);
    }
    // Reverted, or mined while what the job is for changed: sent anew (the next estimate names any refusal).
    const error = new DomainError(
      "CHAIN.NO_EFFECT",
      "unavailable",
      `Transaction ${state.hash} was mined but the chain does not show what the job wants (it reverted, or what the job is for changed meanwhile): sending anew`,
      { tx: state.hash },
    );
    await this.rows.later(job, { status: "queued", error: `${error.code}: ${error.message}`, delayMs: 0 });
    await handler.waiting(subject, error);
    return { state: "waiting", error };
  }

  private async waitMined(sent: RecordedTransaction): Promise<SentState> {
    const until = Date.now() + this.options.receiptWaitMs;
    for (;;) {
      const state = await this.chain.state(sent);
      if (state.state === "mined" || state.state === "reverted" || Date.now() >= until) return state;
      await new Promise((resolve) => setTimeout(resolve, this.options.receiptPollMs));
    }
  }

  private async complete(
    handler: AnyHandler,
    subject: unknown,
    job: LeasedJob,
    found: unknown,
    tx: MinedAt | undefined,
  ): Promise<JobOutcome> {
    await handler.done(subject, found, tx);
    await this.rows.finish(job, {
      status: "done",
      error: null,
      ...(tx === undefined ? {} : { txHash: tx.hash, blockNumber: tx.blockNumber }),
    });
    this.log.info("chain job done", { job: job.id, kind: job.kind, tx: tx?.hash ?? null });
    return { state: "done" };
  }

  private async refuse(handler: AnyHandler, subject: unknown, job: LeasedJob, error: DomainError): Promise<JobOutcome> {
    await handler.refused(subject, error);
    await this.rows.finish(job, { status: "failed", error: `${error.code}: ${error.message}` });
    this.log.warn("chain job refused by the ledger", { job: job.id, kind: job.kind, code: error.code });
    return { state: "refused", error };
  }

  /**
   * A step failed. The chain may have the effect anyway (an earlier send mined meanwhile): then it is done. An
   * unreachable chain, or anything after the signed transaction was recorded, is tried again later (the recorded
   * bytes are settled first); anything else is the ledger refusing the transaction.
   */
  private async afterError(
    handler: AnyHandler,
    subject: unknown,
    attempt: Attempt,
    error: DomainError,
  ): Promise<JobOutcome> {
    const { job } = attempt;
    if (error.code === "CHAIN.JOB_LEASE_LOST") return { state: "busy" };
    const found = await handler.find(subject).catch(() => undefined);
    if (found !== undefined) return this.complete(handler, subject, job, found, undefined);
    const sent = attempt.recorded !== undefined;
    if (error.kind !== "unavailable" && !sent && handler.retriesRefusals !== true) {
      return this.refuse(handler, subject, job, error);
    }
    const attempts = job.attempts + (attempt.signed ? 1 : 0);
    await this.rows.later(job, {
      status: sent ? "sent" : "queued",
      error: `${error.code}: ${error.message}`,
      delayMs: sent ? backoff(Math.max(1, attempts)) : UNAVAILABLE_RETRY_MS,
    });
    await handler.waiting(subject, error);
    this.log.warn("chain job not on the chain yet; will retry", { job: job.id, kind: job.kind, code: error.code });
    return { state: "waiting", error };
  }

  private exhausted(job: LeasedJob): DomainError | undefined {
    if (job.attempts < this.options.maxAttempts) return undefined;
    return new DomainError(
      "CHAIN.JOB_GAVE_UP",
      "unavailable",
      `${String(job.attempts)} transactions were sent for this and none took effect: given up`,
      { job: job.id, attempts: job.attempts, lastError: job.lastError },
    );
  }
}

/** One lease's work on a job: whether it stands on a recorded transaction, and whether it signed one itself. */
class Attempt {
  /** The transaction the job now stands on (recorded earlier and still worth settling, or signed now). */
  recorded: RecordedTransaction | undefined;
  /** Whether this attempt signed (and recorded) a new transaction. */
  signed = false;

  constructor(readonly job: LeasedJob) {
    if (job.status === "sent") this.recorded = { hash: job.txHash ?? "", raw: job.txRaw };
  }

  /** The recorded transaction can never take effect (reverted, or its nonce taken): the job starts anew. */
  abandonRecorded(): void {
    this.recorded = undefined;
  }
}

function superseded(job: ChainJobRecord): DomainError {
  return new DomainError("CHAIN.JOB_SUPERSEDED", "conflict", `Chain job ${job.id} is no longer wanted`, {
    job: job.id,
  });
}

function backoff(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts - 1, 16));
}
