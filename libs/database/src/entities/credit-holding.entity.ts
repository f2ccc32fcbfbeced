import { Check, Column, CreateDateColumn, Entity, Exclusion, PrimaryGeneratedColumn } from "typeorm";

/** Carbon credits the operator holds on a registry (a serial range of one serial block), ready to retire. */
@Entity({ name: "credit_holding" })
@Check("CHK_credit_holding_range", `"first_serial" <= "last_serial"`)
@Exclusion(
  "EX_credit_holding_range",
  `USING gist ("registry" WITH =, "serial_block" WITH =, numrange("first_serial", "last_serial", '[]') WITH &&)`,
)
export class CreditHoldingEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_credit_holding" })
  id!: string;

  /** VERRA, GOLD_STANDARD, ACR, CAR or CDM. */
  @Column({ type: "text" })
  registry!: string;

  /** The part of the serial within which the registry numbers credits uniquely. */
  @Column({ name: "serial_block", type: "text" })
  serialBlock!: string;

  @Column({ name: "project_id", type: "text" })
  projectId!: string;

  @Column({ type: "integer" })
  vintage!: number;

  @Column({ type: "text", nullable: true })
  country!: string | null;

  @Column({ name: "first_serial", type: "numeric", precision: 78, scale: 0 })
  firstSerial!: string;

  @Column({ name: "last_serial", type: "numeric", precision: 78, scale: 0 })
  lastSerial!: string;

  /** The serial as the registry writes it. */
  @Column({ type: "text" })
  serial!: string;

  /** Every field parsed from the serial. */
  @Column({ type: "jsonb" })
  details!: Record<string, unknown>;

  @Column({ name: "registered_by", type: "uuid", nullable: true })
  registeredBy!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;
}
