import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from "typeorm";
import { FootprintCalculationEntity } from "./footprint-calculation.entity.js";
import { LotEntity } from "./lot.entity.js";
import { ParticipantEntity } from "./participant.entity.js";

/**
 * A published PACT ProductFootprint of a lot. The document is immutable; publishing again for the same lot
 * creates a new footprint (naming this one in `precedingPfIds`) and marks this one Deprecated.
 */
@Entity({ name: "product_footprint" })
@Check("CHK_product_footprint_status", `"status" IN ('Active', 'Deprecated')`)
@Index("UQ_product_footprint_active_lot", ["lotId"], { unique: true, where: `"status" = 'Active'` })
export class ProductFootprintEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_product_footprint" })
  id!: string;

  @Index("IDX_product_footprint_lot")
  @Column({ name: "lot_id", type: "text" })
  lotId!: string;

  @Column({ name: "calculation_id", type: "uuid" })
  calculationId!: string;

  /** The data owner: the participant that published it. */
  @Index("IDX_product_footprint_owner")
  @Column({ name: "owner_id", type: "uuid" })
  ownerId!: string;

  /** "Active" or "Deprecated". */
  @Column({ type: "text" })
  status!: string;

  /** The ProductFootprint (PACT v3) without `status`, which is the column above. */
  @Column({ type: "jsonb" })
  document!: Record<string, unknown>;

  // Filter columns copied from the document (PACT ListFootprints criteria).
  @Index("IDX_product_footprint_product_ids", { synchronize: false })
  @Column({ name: "product_ids", type: "text", array: true })
  productIds!: string[];

  @Index("IDX_product_footprint_company_ids", { synchronize: false })
  @Column({ name: "company_ids", type: "text", array: true })
  companyIds!: string[];

  @Column({ type: "text", array: true })
  classifications!: string[];

  /** geographyCountry, geographyRegionOrSubregion and geographyCountrySubdivision, where set. */
  @Column({ type: "text", array: true })
  geography!: string[];

  @Column({ name: "validity_start", type: "timestamptz" })
  validityStart!: Date;

  @Column({ name: "validity_end", type: "timestamptz" })
  validityEnd!: Date;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @ManyToOne(() => LotEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "lot_id", foreignKeyConstraintName: "FK_product_footprint_lot" })
  lot!: Relation<LotEntity>;

  @ManyToOne(() => FootprintCalculationEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "calculation_id", foreignKeyConstraintName: "FK_product_footprint_calculation" })
  calculation!: Relation<FootprintCalculationEntity>;

  @ManyToOne(() => ParticipantEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "owner_id", foreignKeyConstraintName: "FK_product_footprint_owner" })
  owner!: Relation<ParticipantEntity>;
}
