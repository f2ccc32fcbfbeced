import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from "typeorm";

/** A trade item (GTIN-14) as consumers see it on labels and the journey page, in English and Chinese. */
@Entity({ name: "product" })
@Check("CHK_product_gtin", `"gtin" ~ '^[0-9]{14}$'`)
export class ProductEntity {
  @PrimaryColumn({ type: "text", primaryKeyConstraintName: "PK_product" })
  gtin!: string;

  @Column({ name: "name_en", type: "text" })
  nameEn!: string;

  @Column({ name: "name_zh", type: "text" })
  nameZh!: string;

  @Column({ name: "description_en", type: "text", nullable: true })
  descriptionEn!: string | null;

  @Column({ name: "description_zh", type: "text", nullable: true })
  descriptionZh!: string | null;

  /** Participant that registered it, or null for the administrator. */
  @Column({ name: "registered_by", type: "uuid", nullable: true })
  registeredBy!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt!: Date;
}
