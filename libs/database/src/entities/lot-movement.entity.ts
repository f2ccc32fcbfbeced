import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { EpcisEventEntity } from "./epcis-event.entity.js";
import { LotEntity } from "./lot.entity.js";

/** How one event changed or observed one lot: the edges of the lot graph the footprint walks. */
@Entity({ name: "lot_movement" })
@Index("IDX_lot_movement_lot", ["lotId"])
export class LotMovementEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_lot_movement", name: "event_hash", type: "text" })
  eventHash!: string;

  @PrimaryColumn({ primaryKeyConstraintName: "PK_lot_movement", name: "lot_id", type: "text" })
  lotId!: string;

  /** "produced" (output), "consumed" (input), "declared" (external lot first seen), "observed" (custody). */
  @PrimaryColumn({ primaryKeyConstraintName: "PK_lot_movement", type: "text" })
  direction!: string;

  @Column({ type: "numeric" })
  quantity!: string;

  @Column({ type: "text" })
  unit!: string;

  /** Mass in kg when known (mass unit, or counted units with a declared unit mass). */
  @Column({ name: "mass_kg", type: "numeric", nullable: true })
  massKg!: string | null;

  /** The event was declared erroneous: its effect on the lot was undone (the row stays, for the record). */
  @Column({ type: "boolean", default: false })
  reversed!: boolean;

  @ManyToOne(() => EpcisEventEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "event_hash", foreignKeyConstraintName: "FK_lot_movement_event" })
  event!: Relation<EpcisEventEntity>;

  @ManyToOne(() => LotEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "lot_id", foreignKeyConstraintName: "FK_lot_movement_lot" })
  lot!: Relation<LotEntity>;
}
