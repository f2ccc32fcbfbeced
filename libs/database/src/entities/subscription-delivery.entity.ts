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
import { SubscriptionEntity } from "./subscription.entity.js";

/** An EPCISQueryDocument to post to a subscriber: an outbox, retried with exponential backoff for up to 72 hours. */
@Entity({ name: "epcis_subscription_delivery" })
@Check("CHK_epcis_subscription_delivery_status", `"status" IN ('pending', 'delivered', 'abandoned')`)
@Index("IDX_epcis_subscription_delivery_due", ["status", "nextAttemptAt"])
@Index("IDX_epcis_subscription_delivery_subscription", ["subscriptionId"])
export class SubscriptionDeliveryEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_epcis_subscription_delivery" })
  id!: string;

  @Column({ name: "subscription_id", type: "uuid" })
  subscriptionId!: string;

  /** The exact bytes posted (the GS1-Signature is computed over them). */
  @Column({ type: "text" })
  body!: string;

  @Column({ type: "text" })
  status!: string;

  @Column({ type: "integer", default: 0 })
  attempts!: number;

  @Column({ name: "next_attempt_at", type: "timestamptz" })
  nextAttemptAt!: Date;

  @Column({ name: "lease_until", type: "timestamptz", nullable: true })
  leaseUntil!: Date | null;

  @Column({ name: "last_error", type: "text", nullable: true })
  lastError!: string | null;

  @Column({ name: "delivered_at", type: "timestamptz", nullable: true })
  deliveredAt!: Date | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @ManyToOne(() => SubscriptionEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "subscription_id", foreignKeyConstraintName: "FK_epcis_subscription_delivery_subscription" })
  subscription!: Relation<SubscriptionEntity>;
}
