import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from "typeorm";
import { ParticipantEntity } from "./participant.entity.js";

/**
 * A product lot (GTIN + lot number) under mass balance: what came into existence (`produced`, including an
 * external lot's declared quantity) bounds what transformations may consume.
 */
@Entity({ name: "lot" })
@Check("CHK_lot_consumed_within_produced", `"consumed" <= "produced"`)
@Check("CHK_lot_non_negative", `"consumed" >= 0 AND "produced" >= 0`)
@Index("IDX_lot_gtin_created", ["gtin", "createdAt"])
export class LotEntity {
  /** Canonical GS1 Digital Link URI: https://id.gs1.org/01/{gtin}/10/{lot} */
  @PrimaryColumn({ primaryKeyConstraintName: "PK_lot", type: "text" })
  id!: string;

  @Column({ type: "text" })
  gtin!: string;

  @Column({ name: "lot_number", type: "text" })
  lotNumber!: string;

  /** "KGM" (masses converted to kg), "EA" (counted units), or another UN/CEFACT code used as given. */
  @Column({ type: "text" })
  unit!: string;

  @Column({ type: "numeric", default: 0 })
  produced!: string;

  @Column({ type: "numeric", default: 0 })
  consumed!: string;

  /** First seen as an input or receipt without any event of ours producing it: no provenance. */
  @Column({ type: "boolean" })
  external!: boolean;

  /** The participant that produced the lot first (or first named it without provenance): only it may produce more. */
  @Column({ name: "originator_id", type: "uuid", nullable: true })
  originatorId!: string | null;

  @ManyToOne(() => ParticipantEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "originator_id", foreignKeyConstraintName: "FK_lot_originator" })
  originator!: Relation<ParticipantEntity> | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;
}
