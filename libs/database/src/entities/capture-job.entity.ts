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
import { ParticipantEntity } from "./participant.entity.js";

/**
 * One accepted EPCIS document. Capture is all-or-nothing and synchronous, so a stored job has always
 * finished successfully; a rejected document leaves no job (its problem+json says why).
 */
@Entity({ name: "capture_job" })
export class CaptureJobEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_capture_job" })
  id!: string;

  @Index("IDX_capture_job_participant")
  @Column({ name: "participant_id", type: "uuid" })
  participantId!: string;

  @Column({ name: "event_count", type: "integer" })
  eventCount!: number;

  /** Events this capture stored; the others already existed (same event hash). */
  @Column({ name: "created_count", type: "integer" })
  createdCount!: number;

  /** SHA-256 of the request body as received. */
  @Column({ name: "document_sha256", type: "text" })
  documentSha256!: string;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @Column({ name: "finished_at", type: "timestamptz" })
  finishedAt!: Date;

  @ManyToOne(() => ParticipantEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "participant_id", foreignKeyConstraintName: "FK_capture_job_participant" })
  participant!: Relation<ParticipantEntity>;
}
