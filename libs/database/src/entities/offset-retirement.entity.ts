import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from "typeorm";
import { CreditHoldingEntity } from "./credit-holding.entity.js";
import { LotEntity } from "./lot.entity.js";

/**
 * Credits of a holding retired for a product lot, and their retirement on OffsetRegistry. A range is reserved
 * here ("pending") before the transaction is sent, so two requests can never retire the same serials.
 */
@Entity({ name: "offset_retirement" })
@Check("CHK_offset_retirement_range", `"first_serial" <= "last_serial"`)
@Check("CHK_offset_retirement_status", `"status" IN ('pending', 'retired', 'failed')`)
@Exclusion(
  "EX_offset_retirement_range",
  `USING gist ("registry" WITH =, "serial_block" WITH =, numrange("first_serial", "last_serial", '[]') WITH &&) WHERE ("status" <> 'failed')`,
)
export class OffsetRetirementEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_offset_retirement" })
  id!: string;

  @Index("IDX_offset_retirement_holding")
  @Column({ name: "holding_id", type: "uuid" })
  holdingId!: string;

  @Index("IDX_offset_retirement_lot")
  @Column({ name: "lot_id", type: "text" })
  lotId!: string;

  @Column({ type: "text" })
  registry!: string;

  @Column({ name: "serial_block", type: "text" })
  serialBlock!: string;

  @Column({ name: "first_serial", type: "numeric", precision: 78, scale: 0 })
  firstSerial!: string;

  @Column({ name: "last_serial", type: "numeric", precision: 78, scale: 0 })
  lastSerial!: string;

  /** The retired sub-range written in the registry's serial format. */
  @Column({ type: "text" })
  serial!: string;

  /** One credit is one tonne: (last − first + 1) × 1000. */
  @Column({ name: "quantity_kg", type: "numeric" })
  quantityKg!: string;

  @Column({ type: "text" })
  beneficiary!: string;

  @Column({ type: "text", nullable: true })
  reason!: string | null;

  /** "pending" until OffsetRegistry retired it, then "retired"; "failed" (range released) with the reason. */
  @Column({ type: "text" })
  status!: string;

  @Column({ name: "tx_hash", type: "text", nullable: true })
  txHash!: string | null;

  @Column({ name: "block_number", type: "bigint", nullable: true })
  blockNumber!: string | null;

  @Column({ name: "chain_retirement_id", type: "bigint", nullable: true })
  chainRetirementId!: string | null;

  @Column({ name: "retired_at", type: "timestamptz", nullable: true })
  retiredAt!: Date | null;

  @Column({ name: "last_error", type: "text", nullable: true })
  lastError!: string | null;

  @Column({ name: "requested_by", type: "uuid", nullable: true })
  requestedBy!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @ManyToOne(() => CreditHoldingEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "holding_id", foreignKeyConstraintName: "FK_offset_retirement_holding" })
  holding!: Relation<CreditHoldingEntity>;

  @ManyToOne(() => LotEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "lot_id", foreignKeyConstraintName: "FK_offset_retirement_lot" })
  lot!: Relation<LotEntity>;
}
