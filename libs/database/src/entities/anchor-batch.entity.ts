import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";

/**
 * A Merkle batch of events and its way onto the ledger:
 * built (tree and manifest ready) → sent (signed transaction recorded, then broadcast) → anchored (mined) → final
 * (enough confirmations). The signed transaction is recorded before it is broadcast, so a restart finds it.
 */
@Entity({ name: "anchor_batch" })
@Unique("UQ_anchor_batch_root", ["root"])
export class AnchorBatchEntity {
  @PrimaryGeneratedColumn("increment", { primaryKeyConstraintName: "PK_anchor_batch" })
  id!: number;

  /** Merkle root (bytes32 hex) of the batch's StandardMerkleTree over (eventDigest, signer). */
  @Column({ type: "text" })
  root!: string;

  @Column({ name: "leaf_count", type: "integer" })
  leafCount!: number;

  /**
   * The manifest (leaves in order, the tree, chain and contract) as JSON text: the canonical bytes pinned in IPFS
   * under `manifest_cid` when the service wrote it. Text, not jsonb: nothing queries inside it, and parsing a
   * manifest of thousands of leaves into jsonb cost more than the rest of storing its batch.
   */
  @Column({ type: "text" })
  manifest!: string;

  @Column({ name: "manifest_cid", type: "text" })
  manifestCid!: string;

  @Index("IDX_anchor_batch_status")
  @Column({ type: "text" })
  status!: string;

  @Column({ name: "chain_id", type: "bigint" })
  chainId!: string;

  @Column({ name: "contract", type: "text" })
  contract!: string;

  @Column({ name: "tx_hash", type: "text", nullable: true })
  txHash!: string | null;

  @Column({ name: "tx_nonce", type: "integer", nullable: true })
  txNonce!: number | null;

  /** The signed transaction, to send the very same bytes again after a crash. */
  @Column({ name: "tx_raw", type: "text", nullable: true })
  txRaw!: string | null;

  /** TraceLedger's batch id, from the RootAnchored event. */
  @Column({ name: "chain_batch_id", type: "bigint", nullable: true })
  chainBatchId!: string | null;

  @Column({ name: "block_number", type: "bigint", nullable: true })
  blockNumber!: string | null;

  @Column({ name: "block_hash", type: "text", nullable: true })
  blockHash!: string | null;

  /** Block timestamp of the anchoring transaction. */
  @Column({ name: "anchored_at", type: "timestamptz", nullable: true })
  anchoredAt!: Date | null;

  @Column({ type: "integer", default: 0 })
  attempts!: number;

  @Column({ name: "last_error", type: "text", nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt!: Date;
}
