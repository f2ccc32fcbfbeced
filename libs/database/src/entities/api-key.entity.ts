import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { ParticipantEntity } from "./participant.entity.js";

/** An API key of a participant: only the SHA-256 of its secret is stored. */
@Entity({ name: "api_key" })
export class ApiKeyEntity {
  /** Public part of the key (`ctk_<id>_<secret>`), used to find it. */
  @PrimaryColumn({ primaryKeyConstraintName: "PK_api_key", type: "text" })
  id!: string;

  @Index("IDX_api_key_participant")
  @Column({ name: "participant_id", type: "uuid" })
  participantId!: string;

  @Column({ name: "secret_sha256", type: "bytea" })
  secretSha256!: Buffer;

  @Column({ type: "text", nullable: true })
  label!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @Column({ name: "revoked_at", type: "timestamptz", nullable: true })
  revokedAt!: Date | null;

  @ManyToOne(() => ParticipantEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "participant_id", foreignKeyConstraintName: "FK_api_key_participant" })
  participant!: Relation<ParticipantEntity>;
}
