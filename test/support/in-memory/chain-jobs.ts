// The chain-job outbox for service unit tests: the same leasing rules as ChainJobRepository on PostgreSQL (one live
// job per subject, due and unleased jobs only, writes refused once the lease is someone else's), without a database.
import { randomUUID } from "node:crypto";
import type { ChainJobRows } from "#anchoring";
import { DomainError } from "#common";
import { RUN_BY_REQUESTER_MS, type ChainJobKind, type ChainJobRecord, type LeasedJob } from "#database";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Row = Mutable<ChainJobRecord> & { dueAt: number; leasedUntil: number };

export class InMemoryChainJobs implements ChainJobRows {
  readonly jobs: Row[] = [];

  enqueue(kind: ChainJobKind, subject: string): Promise<ChainJobRecord> {
    const live = this.jobs.find((j) => j.kind === kind && j.subject === subject && isLive(j));
    if (live !== undefined) return Promise.resolve({ ...live });
    const row: Row = {
      id: String(this.jobs.length + 1),
      kind,
      subject,
      status: "queued",
      attempts: 0,
      txHash: null,
      txNonce: null,
      txRaw: null,
      blockNumber: null,
      lastError: null,
      leaseToken: null,
      dueAt: Date.now() + RUN_BY_REQUESTER_MS,
      leasedUntil: 0,
    };
    this.jobs.push(row);
    return Promise.resolve({ ...row });
  }

  lease(options: { limit: number; leaseMs: number; id?: string }): Promise<LeasedJob[]> {
    const now = Date.now();
    const free = this.jobs
      .filter((j) => isLive(j) && j.leasedUntil < now)
      .filter((j) => (options.id === undefined ? j.dueAt <= now : j.id === options.id))
      .sort((a, b) => a.dueAt - b.dueAt || Number(a.id) - Number(b.id))
      .slice(0, options.limit);
    return Promise.resolve(
      free.map((row) => {
        const leaseToken = randomUUID();
        Object.assign(row, { leaseToken, leasedUntil: now + options.leaseMs });
        return { ...row, leaseToken };
      }),
    );
  }

  markSent(job: LeasedJob, signed: { hash: string; nonce: number; raw: string }): Promise<void> {
    const row = this.leased(job);
    Object.assign(row, {
      status: "sent",
      txHash: signed.hash,
      txNonce: signed.nonce,
      txRaw: signed.raw,
      attempts: row.attempts + 1,
      lastError: null,
    });
    return Promise.resolve();
  }

  finish(
    job: LeasedJob,
    outcome: { status: "done" | "failed"; error: string | null; txHash?: string; blockNumber?: number },
  ): Promise<void> {
    const row = this.leased(job);
    Object.assign(row, {
      status: outcome.status,
      lastError: outcome.error,
      txHash: outcome.txHash ?? row.txHash,
      blockNumber: outcome.blockNumber ?? null,
      leaseToken: null,
      leasedUntil: 0,
    });
    return Promise.resolve();
  }

  later(job: LeasedJob, next: { status: "queued" | "sent"; error: string | null; delayMs: number }): Promise<void> {
    Object.assign(this.leased(job), {
      status: next.status,
      lastError: next.error,
      dueAt: Date.now() + next.delayMs,
      leaseToken: null,
      leasedUntil: 0,
    });
    return Promise.resolve();
  }

  private leased(job: LeasedJob): Row {
    const row = this.jobs.find((j) => j.id === job.id);
    if (row === undefined || row.leaseToken !== job.leaseToken) {
      throw new DomainError("CHAIN.JOB_LEASE_LOST", "unavailable", `Chain job ${job.id} is not leased by this worker`);
    }
    return row;
  }
}

function isLive(job: ChainJobRecord): boolean {
  return job.status === "queued" || job.status === "sent";
}
