import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from "typeorm";
import { NamedQueryEntity } from "./named-query.entity.js";

/**
 * A webhook subscription to a named query: on every newly recorded matching event (`stream`), or on a schedule.
 * `after_seq` is the recording position of the last event it was sent (or of the newest one when it subscribed).
 */
@Entity({ name: "epcis_subscription" })
@Check("CHK_epcis_subscription_trigger", `"stream" OR "schedule" IS NOT NULL`)
@Index("IDX_epcis_subscription_query", ["queryId"])
export class SubscriptionEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_epcis_subscription" })
  id!: string;

  @Column({ name: "query_id", type: "uuid" })
  queryId!: string;

  @Column({ type: "text" })
  dest!: string;

  /** The subscriber's signatureToken, sealed (custody vault): it keys the GS1-Signature HMAC. */
  @Column({ name: "sealed_token", type: "text", nullable: true })
  sealedToken!: string | null;

  @Column({ type: "boolean" })
  stream!: boolean;

  @Column({ type: "jsonb", nullable: true })
  schedule!: Record<string, string> | null;

  @Column({ name: "report_if_empty", type: "boolean", default: false })
  reportIfEmpty!: boolean;

  @Column({ name: "after_seq", type: "bigint" })
  afterSeq!: string;

  /** A scheduled subscription's next run. */
  @Column({ name: "next_run_at", type: "timestamptz", nullable: true })
  nextRunAt!: Date | null;

  /** Held by the instance that is turning new events into deliveries for it. */
  @Column({ name: "lease_until", type: "timestamptz", nullable: true })
  leaseUntil!: Date | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @ManyToOne(() => NamedQueryEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "query_id", foreignKeyConstraintName: "FK_epcis_subscription_query" })
  query!: Relation<NamedQueryEntity>;
}
