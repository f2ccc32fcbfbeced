import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { ParticipantEntity } from "./participant.entity.js";

/**
 * A one-time link to the partner console (`cti_<id>_<secret>`), issued by the administrator for a participant:
 * only the SHA-256 of its secret is stored; it expires, and it can be used once.
 */
@Entity({ name: "console_invitation" })
export class ConsoleInvitationEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_console_invitation", type: "text" })
  id!: string;

  @Index("IDX_console_invitation_participant")
  @Column({ name: "participant_id", type: "uuid" })
  participantId!: string;

  @Column({ name: "secret_sha256", type: "bytea" })
  secretSha256!: Buffer;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @Column({ name: "expires_at", type: "timestamptz" })
  expiresAt!: Date;

  @Column({ name: "used_at", type: "timestamptz", nullable: true })
  usedAt!: Date | null;

  @Column({ name: "revoked_at", type: "timestamptz", nullable: true })
  revokedAt!: Date | null;

  @ManyToOne(() => ParticipantEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "participant_id", foreignKeyConstraintName: "FK_console_invitation_participant" })
  participant!: Relation<ParticipantEntity>;
}
