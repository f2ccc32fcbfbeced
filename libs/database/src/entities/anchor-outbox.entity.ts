import { CreateDateColumn, Entity, Index, PrimaryColumn } from "typeorm";

/**
 * Records (events, and error declarations by their id) captured but not yet in a batch: written in the capture
 * transaction, drained by the anchoring worker.
 */
@Entity({ name: "anchor_outbox" })
export class AnchorOutboxEntity {
  /** An event hash, or an error declaration's id. */
  @PrimaryColumn({ primaryKeyConstraintName: "PK_anchor_outbox", name: "event_hash", type: "text" })
  eventHash!: string;

  @Index("IDX_anchor_outbox_enqueued_at")
  @CreateDateColumn({ name: "enqueued_at", type: "timestamptz" })
  enqueuedAt!: Date;
}
