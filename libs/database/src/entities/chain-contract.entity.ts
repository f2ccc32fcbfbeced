import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from "typeorm";

/** A contract of ours on a chain: which address the service uses for it and where it was deployed. */
@Entity({ name: "chain_contract" })
export class ChainContractEntity {
  /** EIP-155 chain id (bigint in PostgreSQL, string in JavaScript). */
  @PrimaryColumn({ primaryKeyConstraintName: "PK_chain_contract", name: "chain_id", type: "bigint" })
  chainId!: string;

  /** "TraceLedger" or "OffsetRegistry". */
  @PrimaryColumn({ primaryKeyConstraintName: "PK_chain_contract", type: "text" })
  name!: string;

  @Column({ type: "text" })
  address!: string;

  /** Null when the address was configured rather than deployed by this service. */
  @Column({ name: "deploy_tx_hash", type: "text", nullable: true })
  deployTxHash!: string | null;

  @Column({ name: "deploy_block", type: "bigint", nullable: true })
  deployBlock!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt!: Date;
}
