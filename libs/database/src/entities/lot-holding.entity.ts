import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { LotEntity } from "./lot.entity.js";
import { ParticipantEntity } from "./participant.entity.js";

/** How much of a lot a participant holds, and how much is in transit to it (shipped, not yet received). */
@Entity({ name: "lot_holding" })
@Check("CHK_lot_holding_non_negative", `"held" >= 0 AND "in_transit" >= 0`)
@Index("IDX_lot_holding_participant", ["participantId"])
export class LotHoldingEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_lot_holding", name: "lot_id", type: "text" })
  lotId!: string;

  @PrimaryColumn({ primaryKeyConstraintName: "PK_lot_holding", name: "participant_id", type: "uuid" })
  participantId!: string;

  @Column({ type: "numeric", default: 0 })
  held!: string;

  @Column({ name: "in_transit", type: "numeric", default: 0 })
  inTransit!: string;

  @ManyToOne(() => LotEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "lot_id", foreignKeyConstraintName: "FK_lot_holding_lot" })
  lot!: Relation<LotEntity>;

  @ManyToOne(() => ParticipantEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "participant_id", foreignKeyConstraintName: "FK_lot_holding_participant" })
  participant!: Relation<ParticipantEntity>;
}
