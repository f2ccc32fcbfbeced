import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, Unique, type Relation } from "typeorm";
import { AnchorBatchEntity } from "./anchor-batch.entity.js";

/**
 * A record's place in its batch (an event, or an error declaration by its id): each is in at most one batch. The
 * unique (batch_id, leaf_index) is also the index that finds a batch's leaves.
 */
@Entity({ name: "batch_leaf" })
@Unique("UQ_batch_leaf_position", ["batchId", "leafIndex"])
export class BatchLeafEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_batch_leaf", name: "event_hash", type: "text" })
  eventHash!: string;

  @Column({ name: "batch_id", type: "integer" })
  batchId!: number;

  /** Index of the value in the tree dump (`values[i]`), which locates the leaf. */
  @Column({ name: "leaf_index", type: "integer" })
  leafIndex!: number;

  /** StandardMerkleTree leaf hash, bytes32 hex. */
  @Column({ type: "text" })
  leaf!: string;

  @ManyToOne(() => AnchorBatchEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "batch_id", foreignKeyConstraintName: "FK_batch_leaf_batch" })
  batch!: Relation<AnchorBatchEntity>;
}
