import { Column, Entity, PrimaryColumn } from "typeorm";

/**
 * How many batches, and events in them, are in each anchoring status: kept by a trigger on `anchor_batch`, so
 * that `/health` and `/anchoring` read four rows however long the history.
 */
@Entity({ name: "anchor_tally" })
export class AnchorTallyEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_anchor_tally", type: "text" })
  status!: string;

  @Column({ type: "bigint", default: 0 })
  batches!: string;

  @Column({ type: "bigint", default: 0 })
  events!: string;
}
