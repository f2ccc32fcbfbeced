import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from "typeorm";
import { ParticipantEntity } from "./participant.entity.js";

/** The history of a participant's roles on the ledger: every grant and revocation, with its transaction. */
@Entity({ name: "participant_role_change" })
@Check("CHK_participant_role_change_action", `"action" IN ('granted', 'revoked')`)
export class ParticipantRoleChangeEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_participant_role_change" })
  id!: string;

  @Index("IDX_participant_role_change_participant")
  @Column({ name: "participant_id", type: "uuid" })
  participantId!: string;

  @Column({ type: "text" })
  role!: string;

  /** "granted" or "revoked". */
  @Column({ type: "text" })
  action!: string;

  @Column({ name: "tx_hash", type: "text", nullable: true })
  txHash!: string | null;

  @CreateDateColumn({ name: "recorded_at", type: "timestamptz" })
  recordedAt!: Date;

  @ManyToOne(() => ParticipantEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "participant_id", foreignKeyConstraintName: "FK_participant_role_change_participant" })
  participant!: Relation<ParticipantEntity>;
}
