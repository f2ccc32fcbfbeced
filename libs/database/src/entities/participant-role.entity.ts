import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn, type Relation } from "typeorm";
import { ParticipantEntity } from "./participant.entity.js";

/** A role of a participant and whether the ledger has granted it yet. */
@Entity({ name: "participant_role" })
export class ParticipantRoleEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_participant_role", name: "participant_id", type: "uuid" })
  participantId!: string;

  /** "supplier", "recycler", "moulder", "warehouse" or "certifier". */
  @PrimaryColumn({ primaryKeyConstraintName: "PK_participant_role", type: "text" })
  role!: string;

  /** "pending" until the grant is mined, then "granted"; "failed" keeps the last error; "revoking", "revoked". */
  @Column({ name: "chain_status", type: "text", default: "pending" })
  chainStatus!: string;

  @Column({ name: "chain_tx_hash", type: "text", nullable: true })
  chainTxHash!: string | null;

  @Column({ name: "chain_error", type: "text", nullable: true })
  chainError!: string | null;

  /** When the administrator revoked the role (chain_status "revoking" until the ledger has, then "revoked"). */
  @Column({ name: "revoked_at", type: "timestamptz", nullable: true })
  revokedAt!: Date | null;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt!: Date;

  @ManyToOne(() => ParticipantEntity, (participant) => participant.roles, { onDelete: "CASCADE" })
  @JoinColumn({ name: "participant_id", foreignKeyConstraintName: "FK_participant_role_participant" })
  participant!: Relation<ParticipantEntity>;
}
