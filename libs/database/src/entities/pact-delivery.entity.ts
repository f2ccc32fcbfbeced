import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  type Relation,
} from "typeorm";
import { PactEventEntity } from "./pact-event.entity.js";

/**
 * An answer (RequestFulfilled or RequestRejected event) to post to a recipient's PACT host: an outbox retried
 * with exponential backoff until delivered or given up after 72 hours.
 */
@Entity({ name: "pact_delivery" })
@Check("CHK_pact_delivery_status", `"status" IN ('pending', 'delivered', 'abandoned')`)
@Unique("UQ_pact_delivery_request", ["requestId"])
@Index("IDX_pact_delivery_due", ["status", "nextAttemptAt"])
export class PactDeliveryEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_pact_delivery" })
  id!: string;

  /** The request event answered (one answer per request). */
  @Column({ name: "request_id", type: "uuid" })
  requestId!: string;

  /** `<callback_url>/3/events` */
  @Column({ type: "text" })
  target!: string;

  /** The CloudEvent to post. */
  @Column({ type: "jsonb" })
  body!: Record<string, unknown>;

  /** "pending", "delivered" or "abandoned". */
  @Column({ type: "text" })
  status!: string;

  @Column({ type: "integer", default: 0 })
  attempts!: number;

  @Column({ name: "next_attempt_at", type: "timestamptz" })
  nextAttemptAt!: Date;

  @Column({ name: "last_error", type: "text", nullable: true })
  lastError!: string | null;

  @Column({ name: "delivered_at", type: "timestamptz", nullable: true })
  deliveredAt!: Date | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @ManyToOne(() => PactEventEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "request_id", foreignKeyConstraintName: "FK_pact_delivery_request" })
  request!: Relation<PactEventEntity>;
}
