import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from "typeorm";
import { LotEntity } from "./lot.entity.js";

/**
 * The conventional product a lot is compared with (per declared unit). Declarations are kept: the latest one
 * applies, earlier ones stay for the record.
 */
@Entity({ name: "lot_baseline" })
@Index("IDX_lot_baseline_lot", ["lotId", "createdAt"])
export class LotBaselineEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_lot_baseline" })
  id!: string;

  @Column({ name: "lot_id", type: "text" })
  lotId!: string;

  /** { description, year, activities } as the footprint engine reads it. */
  @Column({ type: "jsonb" })
  scenario!: Record<string, unknown>;

  /** Participant that declared it, or null for the administrator. */
  @Column({ name: "declared_by", type: "uuid", nullable: true })
  declaredBy!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @ManyToOne(() => LotEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "lot_id", foreignKeyConstraintName: "FK_lot_baseline_lot" })
  lot!: Relation<LotEntity>;
}
