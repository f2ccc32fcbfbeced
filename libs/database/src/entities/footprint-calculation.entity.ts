import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  type Relation,
} from "typeorm";
import { FactorLibraryVersionEntity } from "./factor-library-version.entity.js";
import { LotEntity } from "./lot.entity.js";

/**
 * A lot's footprint as computed from its upstream events with one library version. The same inputs (events,
 * baseline, library version) give the same row: a recalculation on new data or a new library is a new row.
 */
@Entity({ name: "footprint_calculation" })
@Unique("UQ_footprint_calculation_inputs", ["lotId", "libraryVersion", "inputsSha256"])
export class FootprintCalculationEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_footprint_calculation" })
  id!: string;

  @Index("IDX_footprint_calculation_lot")
  @Column({ name: "lot_id", type: "text" })
  lotId!: string;

  @Column({ name: "library_version", type: "integer" })
  libraryVersion!: number;

  /** SHA-256 (hex) of the canonical engine input (graph and baseline). */
  @Column({ name: "inputs_sha256", type: "text" })
  inputsSha256!: string;

  @Column({ name: "total_kg", type: "numeric" })
  totalKg!: string;

  @Column({ name: "per_unit_kg", type: "numeric" })
  perUnitKg!: string;

  /** The engine's answer: stages, contributions, factors used, data quality, comparison with the baseline. */
  @Column({ type: "jsonb" })
  result!: Record<string, unknown>;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @ManyToOne(() => LotEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "lot_id", foreignKeyConstraintName: "FK_footprint_calculation_lot" })
  lot!: Relation<LotEntity>;

  @ManyToOne(() => FactorLibraryVersionEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "library_version", foreignKeyConstraintName: "FK_footprint_calculation_version" })
  version!: Relation<FactorLibraryVersionEntity>;
}
