import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { EpcisEventEntity } from "./epcis-event.entity.js";

/** Events captured but not yet in a batch: written in the capture transaction, drained by the anchoring worker. */
@Entity({ name: "anchor_outbox" })
export class AnchorOutboxEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_anchor_outbox", name: "event_hash", type: "text" })
  eventHash!: string;

  @Index("IDX_anchor_outbox_enqueued_at")
  @CreateDateColumn({ name: "enqueued_at", type: "timestamptz" })
  enqueuedAt!: Date;

  @ManyToOne(() => EpcisEventEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "event_hash", foreignKeyConstraintName: "FK_anchor_outbox_event" })
  event!: Relation<EpcisEventEntity>;
}
