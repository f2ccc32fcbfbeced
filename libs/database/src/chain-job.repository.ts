import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager, QueryRunner } from "typeorm";
import { DomainError } from "#common";

/** A role's job grants or revokes it, as the role wants it when the job runs. */
export type ChainJobKind = "retirement" | "attestation" | "role";
export type ChainJobStatus = "queued" | "sent" | "done" | "failed";

export interface ChainJobRecord {
  readonly id: string;
  readonly kind: ChainJobKind;
  readonly subject: string;
  readonly status: ChainJobStatus;
  readonly attempts: number;
  readonly txHash: string | null;
  readonly txNonce: number | null;
  readonly txRaw: string | null;
  readonly blockNumber: number | null;
  readonly lastError: string | null;
  /** Set on a leased job: what proves the lease is still this worker's when it writes. */
  readonly leaseToken: string | null;
}

/** A job leased by one worker; its writes are refused once the lease has passed to another. */
export interface LeasedJob extends ChainJobRecord {
  readonly leaseToken: string;
}

interface ChainJobRow {
  id: string;
  kind: ChainJobKind;
  subject: string;
  status: ChainJobStatus;
  attempts: number;
  tx_hash: string | null;
  tx_nonce: number | null;
  tx_raw: string | null;
  leased_by: string | null;
  block_number: string | null;
  last_error: string | null;
  lease_token: string | null;
}

const LIVE = `"status" IN ('queued', 'sent')`;

/** Distinguishes the chain-job workers' presence locks from other advisory locks. */
const WORKER_CLASS = 0x43544a57; // "CTJW"

/**
 * A new job is due for the background passes only this long after it was queued: the request that queued it runs
 * it at once (leasing it by id), and a pass that took it first would leave that request answering "pending".
 * Should the requester die first, a pass sends it then.
 */
export const RUN_BY_REQUESTER_MS = 30_000;

/**
 * The chain-job outbox in PostgreSQL. Leasing takes rows with `FOR UPDATE SKIP LOCKED` (two workers never get
 * the same job) and stamps them with a lease token, this worker's id and an end; every later write names the
 * token, so a worker whose lease passed to another can neither record a send nor finish the job. A lease passes
 * when it ends, or at once when its worker is gone: each worker holds a session advisory lock on its id (on a
 * connection of its own) while it lives, and a lease whose worker's lock is not held any more is free, so a job
 * whose instance was killed is taken up by the next pass, not minutes later.
 */
export class ChainJobRepository {
  /** This worker's id, held as a session advisory lock while it lives (see `present`). */
  readonly worker = randomUUID();
  private presence: QueryRunner | undefined;
  private checking: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  /** Frees this worker's presence lock (its leases become free to others at once). */
  async close(): Promise<void> {
    await this.checking;
    const runner = this.presence;
    this.presence = undefined;
    // Released, the connection goes back to the pool, lock and all: unlock first.
    await runner
      ?.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [WORKER_CLASS, this.worker])
      .catch(() => undefined);
    await runner?.release().catch(() => undefined);
  }

  /** The live job of this subject, created if there is none (idempotent: concurrent callers get the same one). */
  enqueue(kind: ChainJobKind, subject: string): Promise<ChainJobRecord> {
    return enqueueChainJob(this.dataSource, kind, subject);
  }

  /**
   * Leases up to `limit` due jobs no one holds (oldest due first), or the one job `id` whenever it is live and
   * free (a request that wants its transaction now does not wait for a back-off).
   */
  async lease(options: { limit: number; leaseMs: number; id?: string }): Promise<LeasedJob[]> {
    await this.present();
    const due = options.id === undefined ? `"due_at" <= now()` : `"id" = $5`;
    // An UPDATE answers [rows, count] through TypeORM, RETURNING or not. Presence locks are looked for in this
    // database only: pg_locks shows the whole cluster, which may hold other deployments' workers.
    const [rows] = await this.dataSource.query<[ChainJobRow[], number]>(
      `UPDATE "chain_job" SET "lease_token" = gen_random_uuid(), "leased_by" = $3,
         "leased_until" = now() + $2 * interval '1 millisecond'
       WHERE "id" IN (SELECT "id" FROM "chain_job"
         WHERE ${LIVE} AND ${due} AND ("leased_until" IS NULL OR "leased_until" < now() OR NOT EXISTS (
           SELECT 1 FROM pg_locks l WHERE l."locktype" = 'advisory' AND l."granted" AND l."objsubid" = 2
             AND l."database" = (SELECT "oid" FROM pg_database WHERE "datname" = current_database())
             AND l."classid" = $4::int4::oid AND l."objid" = hashtext("leased_by"::text)::oid))
         ORDER BY "due_at", "id" LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [options.limit, options.leaseMs, this.worker, WORKER_CLASS, ...(options.id === undefined ? [] : [options.id])],
    );
    return rows.map(toRecord).filter((job): job is LeasedJob => job.leaseToken !== null);
  }

  /**
   * Holds this worker's presence lock, on a connection of its own, taking it again if that connection was lost
   * (the database restarted: meanwhile others may have taken this worker's leases, and its writes then fail).
   */
  private present(): Promise<void> {
    // One check at a time: two callers must not each open a connection and wait on the other's lock.
    const checked = this.checking.then(() => this.holdPresence());
    this.checking = checked.catch(() => undefined);
    return checked;
  }

  private async holdPresence(): Promise<void> {
    const held = this.presence;
    if (
      held !== undefined &&
      (await held.query("SELECT 1").then(
        () => true,
        () => false,
      ))
    )
      return;
    this.presence = undefined;
    await held?.release().catch(() => undefined);
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.query(`SELECT pg_advisory_lock($1, hashtext($2))`, [WORKER_CLASS, this.worker]);
    } catch (error) {
      await runner.release().catch(() => undefined);
      throw error;
    }
    this.presence = runner;
  }

  /** Records the signed transaction before it is broadcast; throws (nothing is broadcast) if the lease was lost. */
  async markSent(job: LeasedJob, signed: { hash: string; nonce: number; raw: string }): Promise<void> {
    await this.update(
      job,
      `"status" = 'sent', "tx_hash" = $3, "tx_nonce" = $4, "tx_raw" = $5, "attempts" = "attempts" + 1, "last_error" = NULL`,
      [signed.hash, signed.nonce, signed.raw],
    );
  }

  /** Ends the job: done (its transaction is on the chain) or failed (the ledger refuses it). */
  async finish(
    job: LeasedJob,
    outcome: { status: "done" | "failed"; error: string | null; txHash?: string; blockNumber?: number },
  ): Promise<void> {
    await this.update(
      job,
      `"status" = $3, "last_error" = $4, "tx_hash" = COALESCE($5, "tx_hash"), "block_number" = $6,
       "lease_token" = NULL, "leased_by" = NULL, "leased_until" = NULL`,
      [outcome.status, outcome.error, outcome.txHash ?? null, outcome.blockNumber ?? null],
    );
  }

  /** Gives the job back, to be tried again after `delayMs` (queued: send anew; sent: settle what was recorded). */
  async later(
    job: LeasedJob,
    next: { status: "queued" | "sent"; error: string | null; delayMs: number },
  ): Promise<void> {
    await this.update(
      job,
      `"status" = $3, "last_error" = $4, "due_at" = now() + $5 * interval '1 millisecond',
       "lease_token" = NULL, "leased_by" = NULL, "leased_until" = NULL`,
      [next.status, next.error, next.delayMs],
    );
  }

  async job(id: string): Promise<ChainJobRecord | undefined> {
    const [row] = await this.dataSource.query<ChainJobRow[]>(`SELECT * FROM "chain_job" WHERE "id" = $1`, [id]);
    return row === undefined ? undefined : toRecord(row);
  }

  /** The jobs of one subject, oldest first (what was sent for it, and how it ended). */
  async jobsOf(kind: ChainJobKind, subject: string): Promise<ChainJobRecord[]> {
    const rows = await this.dataSource.query<ChainJobRow[]>(
      `SELECT * FROM "chain_job" WHERE "kind" = $1 AND "subject" = $2 ORDER BY "id"`,
      [kind, subject],
    );
    return rows.map(toRecord);
  }

  /** Live jobs per kind and status, and how long the oldest has waited: for health and metrics. */
  async backlog(): Promise<{ live: number; oldest: Date | null }> {
    const [row] = await this.dataSource.query<Array<{ live: string; oldest: Date | null }>>(
      `SELECT count(*) AS "live", min("created_at") AS "oldest" FROM "chain_job" WHERE ${LIVE}`,
    );
    return { live: Number(row?.live ?? 0), oldest: row?.oldest ?? null };
  }

  private async update(job: LeasedJob, set: string, values: unknown[]): Promise<void> {
    const [, affected] = await this.dataSource.query<[unknown, number]>(
      `UPDATE "chain_job" SET ${set}, "updated_at" = now() WHERE "id" = $1 AND "lease_token" = $2`,
      [job.id, job.leaseToken, ...values],
    );
    if (affected !== 1) throw leaseLost(job);
  }
}

/**
 * The live job of this subject, created if there is none (due after RUN_BY_REQUESTER_MS). Repositories call it
 * inside the transaction that writes the subject (a retirement reserved, an attestation stored), so no subject is
 * ever left without its job.
 */
export async function enqueueChainJob(
  manager: EntityManager | DataSource,
  kind: ChainJobKind,
  subject: string,
): Promise<ChainJobRecord> {
  for (;;) {
    const [created] = await manager.query<ChainJobRow[]>(
      `INSERT INTO "chain_job" ("kind", "subject", "due_at") VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT ("kind", "subject") WHERE ${LIVE} DO NOTHING RETURNING *`,
      [kind, subject, RUN_BY_REQUESTER_MS],
    );
    if (created !== undefined) return toRecord(created);
    const [live] = await manager.query<ChainJobRow[]>(
      `SELECT * FROM "chain_job" WHERE "kind" = $1 AND "subject" = $2 AND ${LIVE}`,
      [kind, subject],
    );
    // The live job finished between the two statements: a new one is wanted.
    if (live !== undefined) return toRecord(live);
  }
}

function leaseLost(job: LeasedJob): DomainError {
  return new DomainError(
    "CHAIN.JOB_LEASE_LOST",
    "unavailable",
    `Chain job ${job.id} was taken over by another instance (its lease ran out): left to it`,
    { part: "chain", job: job.id },
  );
}

function toRecord(row: ChainJobRow): ChainJobRecord {
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    txHash: row.tx_hash,
    txNonce: row.tx_nonce,
    txRaw: row.tx_raw,
    blockNumber: row.block_number === null ? null : Number(row.block_number),
    lastError: row.last_error,
    leaseToken: row.lease_token,
  };
}
