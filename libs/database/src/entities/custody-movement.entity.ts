import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { EpcisEventEntity } from "./epcis-event.entity.js";
import { LotEntity } from "./lot.entity.js";

/** What one event changed in one participant's holding of one lot; reversed when the event is retracted. */
@Entity({ name: "custody_movement" })
@Index("IDX_custody_movement_lot", ["lotId"])
export class CustodyMovementEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_custody_movement", name: "event_hash", type: "text" })
  eventHash!: string;

  @PrimaryColumn({ primaryKeyConstraintName: "PK_custody_movement", name: "lot_id", type: "text" })
  lotId!: string;

  @PrimaryColumn({ primaryKeyConstraintName: "PK_custody_movement", name: "participant_id", type: "uuid" })
  participantId!: string;

  /** Change of the quantity held (signed). */
  @Column({ type: "numeric" })
  held!: string;

  /** Change of the quantity in transit to the participant (signed). */
  @Column({ name: "in_transit", type: "numeric" })
  inTransit!: string;

  @Column({ type: "boolean", default: false })
  reversed!: boolean;

  @ManyToOne(() => EpcisEventEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "event_hash", foreignKeyConstraintName: "FK_custody_movement_event" })
  event!: Relation<EpcisEventEntity>;

  @ManyToOne(() => LotEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "lot_id", foreignKeyConstraintName: "FK_custody_movement_lot" })
  lot!: Relation<LotEntity>;
}
