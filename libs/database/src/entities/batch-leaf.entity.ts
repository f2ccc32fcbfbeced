import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique, type Relation } from "typeorm";
import { AnchorBatchEntity } from "./anchor-batch.entity.js";
import { EpcisEventEntity } from "./epcis-event.entity.js";

/** An event's place in its batch: every event belongs to at most one batch. */
@Entity({ name: "batch_leaf" })
@Unique("UQ_batch_leaf_position", ["batchId", "leafIndex"])
export class BatchLeafEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_batch_leaf", name: "event_hash", type: "text" })
  eventHash!: string;

  @Index("IDX_batch_leaf_batch")
  @Column({ name: "batch_id", type: "integer" })
  batchId!: number;

  /** Index of the value in the tree dump (`values[i]`), which locates the leaf. */
  @Column({ name: "leaf_index", type: "integer" })
  leafIndex!: number;

  /** StandardMerkleTree leaf hash, bytes32 hex. */
  @Column({ type: "text" })
  leaf!: string;

  @ManyToOne(() => EpcisEventEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "event_hash", foreignKeyConstraintName: "FK_batch_leaf_event" })
  event!: Relation<EpcisEventEntity>;

  @ManyToOne(() => AnchorBatchEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "batch_id", foreignKeyConstraintName: "FK_batch_leaf_batch" })
  batch!: Relation<AnchorBatchEntity>;
}
