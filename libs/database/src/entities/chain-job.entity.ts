import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

/**
 * One transaction the service owes the chain (a retirement of credits, a certifier's attestation, a role granted
 * or revoked: one job per role, which makes the chain hold the role as it is wanted when the job runs), from the
 * request to its receipt: queued → sent (the signed transaction recorded, then broadcast) → done, or failed when
 * the ledger refuses it. Any instance may lease a due job (`FOR UPDATE SKIP LOCKED`, then `leased_until`); a job
 * whose instance died is leased again at once (its worker's presence lock is gone) and settled from what it
 * recorded. At most one live (queued or sent) job per subject. Anchors have their own outbox (anchor_batch), as
 * they carry Merkle batches and confirmations, and settle their sent transactions the same way.
 */
@Entity({ name: "chain_job" })
@Check("CHK_chain_job_kind", `"kind" IN ('retirement', 'attestation', 'role')`)
@Check("CHK_chain_job_status", `"status" IN ('queued', 'sent', 'done', 'failed')`)
@Index("UQ_chain_job_live", ["kind", "subject"], { unique: true, where: `"status" IN ('queued', 'sent')` })
@Index("IDX_chain_job_due", ["dueAt"], { where: `"status" IN ('queued', 'sent')` })
export class ChainJobEntity {
  @PrimaryGeneratedColumn("increment", { type: "bigint", primaryKeyConstraintName: "PK_chain_job" })
  id!: string;

  @Column({ type: "text" })
  kind!: string;

  /** What the job is about: a retirement's or an attestation's id, or `<participant id>/<role>`. */
  @Column({ type: "text" })
  subject!: string;

  @Column({ type: "text", default: "queued" })
  status!: string;

  /** Transactions signed for this job so far. */
  @Column({ type: "integer", default: 0 })
  attempts!: number;

  @Column({ name: "tx_hash", type: "text", nullable: true })
  txHash!: string | null;

  @Column({ name: "tx_nonce", type: "integer", nullable: true })
  txNonce!: number | null;

  /** The signed transaction, recorded before it is broadcast: after a crash the same bytes are found or sent again. */
  @Column({ name: "tx_raw", type: "text", nullable: true })
  txRaw!: string | null;

  @Column({ name: "block_number", type: "bigint", nullable: true })
  blockNumber!: string | null;

  @Column({ name: "last_error", type: "text", nullable: true })
  lastError!: string | null;

  /** Which lease the job is under: a worker's writes name it, so one whose lease ran out changes nothing. */
  @Column({ name: "lease_token", type: "uuid", nullable: true })
  leaseToken!: string | null;

  /** The worker holding the lease; the lease is free as soon as that worker's presence lock is gone. */
  @Column({ name: "leased_by", type: "uuid", nullable: true })
  leasedBy!: string | null;

  /** Until when an instance works on it; another instance may take it after. */
  @Column({ name: "leased_until", type: "timestamptz", nullable: true })
  leasedUntil!: Date | null;

  /** Not tried again before (backing off while the chain is unreachable). */
  @Column({ name: "due_at", type: "timestamptz", default: () => "now()" })
  dueAt!: Date;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt!: Date;
}
