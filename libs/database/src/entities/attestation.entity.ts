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
import { ParticipantEntity } from "./participant.entity.js";

/** A certifier's signed statement about a lot's proof bundle, and its recording on TraceLedger. */
@Entity({ name: "attestation" })
@Unique("UQ_attestation_statement", ["subject", "certifier", "statementHash"])
export class AttestationEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_attestation" })
  id!: string;

  @Index("IDX_attestation_lot")
  @Column({ name: "lot_id", type: "text" })
  lotId!: string;

  /** The bundle digest attested (bytes32 hex), TraceLedger's `subject`. */
  @Column({ type: "text" })
  subject!: string;

  /** keccak256 of the canonical statement JSON. */
  @Column({ name: "statement_hash", type: "text" })
  statementHash!: string;

  @Column({ type: "jsonb" })
  statement!: Record<string, unknown>;

  /** "verified", "verified_with_qualifications" or "rejected". */
  @Column({ type: "text" })
  verdict!: string;

  @Column({ name: "report_cid", type: "text" })
  reportCid!: string;

  @Column({ name: "participant_id", type: "uuid" })
  participantId!: string;

  /** Address that signed (holds CERTIFIER_ROLE). */
  @Column({ type: "text" })
  certifier!: string;

  @Column({ type: "text" })
  signature!: string;

  /** The unused nonce (decimal uint256) the certifier signed with. */
  @Column({ type: "text", default: "0" })
  nonce!: string;

  /** Unix time after which the ledger refuses the signature. */
  @Column({ type: "bigint", default: 0 })
  deadline!: string;

  /** "pending" until the ledger recorded it, then "recorded"; "failed" with the reason. */
  @Column({ type: "text" })
  status!: string;

  @Column({ name: "tx_hash", type: "text", nullable: true })
  txHash!: string | null;

  @Column({ name: "block_number", type: "bigint", nullable: true })
  blockNumber!: string | null;

  @Column({ name: "recorded_at", type: "timestamptz", nullable: true })
  recordedAt!: Date | null;

  @Column({ name: "last_error", type: "text", nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @ManyToOne(() => ParticipantEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "participant_id", foreignKeyConstraintName: "FK_attestation_participant" })
  participant!: Relation<ParticipantEntity>;
}
