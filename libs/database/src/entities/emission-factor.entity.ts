import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { FactorLibraryVersionEntity } from "./factor-library-version.entity.js";

/** An emission factor with its source and licence. Immutable (a trigger refuses UPDATE and DELETE). */
@Entity({ name: "emission_factor" })
@Index("IDX_emission_factor_choice", ["activity", "region", "year"])
@Index("IDX_emission_factor_region_year", ["region", "year"])
export class EmissionFactorEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_emission_factor", type: "text" })
  id!: string;

  @Column({ type: "text" })
  name!: string;

  @Index("IDX_emission_factor_category")
  @Column({ type: "text" })
  category!: string;

  /** The value as the source gives it, in `unit`. */
  @Column({ type: "numeric" })
  value!: string;

  @Column({ type: "text" })
  unit!: string;

  /** What the factor is per once normalised ("kWh", "t.km", "kg", "L", …). */
  @Column({ name: "per_unit", type: "text" })
  perUnit!: string;

  /** kg (of `gas`) per one `per_unit`. */
  @Column({ name: "kg_per_unit", type: "numeric" })
  kgPerUnit!: string;

  /** "CO2e", or "CO2" where the source counts carbon dioxide only. */
  @Column({ type: "text" })
  gas!: string;

  @Column({ type: "text" })
  region!: string;

  @Column({ type: "integer" })
  year!: number;

  @Column({ type: "text" })
  source!: string;

  @Column({ name: "source_url", type: "text" })
  sourceUrl!: string;

  @Column({ type: "text" })
  licence!: string;

  /** The activity it serves by the factor choice rules ("electricity.grid", "freight.road.hgv", …); null: by id only. */
  @Column({ type: "text", nullable: true })
  activity!: string | null;

  @Column({ name: "added_in", type: "integer" })
  addedIn!: number;

  /** A factor this one replaces from version `added_in` on (a correction); the replaced one stays in older versions. */
  @Index("UQ_emission_factor_supersedes", { unique: true, where: `"supersedes" IS NOT NULL` })
  @Column({ type: "text", nullable: true })
  supersedes!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @ManyToOne(() => FactorLibraryVersionEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "added_in", foreignKeyConstraintName: "FK_emission_factor_version" })
  version!: Relation<FactorLibraryVersionEntity>;

  @ManyToOne(() => EmissionFactorEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "supersedes", foreignKeyConstraintName: "FK_emission_factor_supersedes" })
  superseded!: Relation<EmissionFactorEntity> | null;
}
