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
import { ProductEntity } from "./product.entity.js";

/** Every name and description a product was given, by whom (null: the administrator) and when. */
@Entity({ name: "product_revision" })
export class ProductRevisionEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_product_revision" })
  id!: string;

  @Index("IDX_product_revision_gtin")
  @Column({ type: "text" })
  gtin!: string;

  @Column({ name: "name_en", type: "text" })
  nameEn!: string;

  @Column({ name: "name_zh", type: "text" })
  nameZh!: string;

  @Column({ name: "description_en", type: "text", nullable: true })
  descriptionEn!: string | null;

  @Column({ name: "description_zh", type: "text", nullable: true })
  descriptionZh!: string | null;

  @Column({ name: "changed_by", type: "uuid", nullable: true })
  changedBy!: string | null;

  @CreateDateColumn({ name: "changed_at", type: "timestamptz" })
  changedAt!: Date;

  @ManyToOne(() => ProductEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "gtin", foreignKeyConstraintName: "FK_product_revision_product" })
  product!: Relation<ProductEntity>;
}
