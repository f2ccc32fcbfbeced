import { Column, CreateDateColumn, Entity, PrimaryColumn } from "typeorm";

/**
 * One version of a product model (stages, expected activities and ranges, baseline): versions are appended,
 * never changed, so a footprint or a spot check can always name the model version it was read with.
 */
@Entity({ name: "product_model" })
export class ProductModelEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_product_model", type: "text" })
  id!: string;

  @PrimaryColumn({ primaryKeyConstraintName: "PK_product_model", type: "integer" })
  version!: number;

  /** The model as declared (validated by the footprint library's schema). */
  @Column({ type: "jsonb" })
  body!: Record<string, unknown>;

  /** The GTIN-14s it models (copied from the body, so that a lot's model is found in SQL). */
  @Column({ type: "text", array: true })
  gtins!: string[];

  /** The participant that declared it; null when the administrator did. */
  @Column({ name: "created_by", type: "uuid", nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;
}
