import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, Unique, type Relation } from "typeorm";
import { CaptureJobEntity } from "./capture-job.entity.js";
import { EpcisEventEntity } from "./epcis-event.entity.js";
import { ParticipantEntity } from "./participant.entity.js";

/**
 * An EPCIS error declaration: the event posted again with `errorDeclaration`, signed by the participant that
 * signed the event (EIP-712 over the event hash and the declaration), anchored like any event under its own id.
 */
@Entity({ name: "error_declaration" })
@Unique("UQ_error_declaration_event", ["eventHash"])
export class ErrorDeclarationEntity {
  /** The declaration's id (bytes32 hex): what is signed with the event hash and anchored. */
  @PrimaryColumn({ primaryKeyConstraintName: "PK_error_declaration", type: "text" })
  id!: string;

  /** The event declared erroneous. */
  @Column({ name: "event_hash", type: "text" })
  eventHash!: string;

  /** The declaring event as captured (the event with its errorDeclaration). */
  @Column({ type: "jsonb" })
  body!: Record<string, unknown>;

  @Column({ type: "jsonb" })
  context!: unknown;

  /** The errorDeclaration object (declarationTime, reason, correctiveEventIDs…). */
  @Column({ type: "jsonb" })
  declaration!: Record<string, unknown>;

  @Column({ name: "participant_id", type: "uuid" })
  participantId!: string;

  @Column({ type: "text" })
  signer!: string;

  @Column({ type: "text" })
  signature!: string;

  @Column({ type: "boolean" })
  custodial!: boolean;

  @Column({ name: "capture_id", type: "uuid" })
  captureId!: string;

  @Column({ name: "record_time", type: "timestamptz" })
  recordTime!: Date;

  @ManyToOne(() => EpcisEventEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "event_hash", foreignKeyConstraintName: "FK_error_declaration_event" })
  event!: Relation<EpcisEventEntity>;

  @ManyToOne(() => ParticipantEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "participant_id", foreignKeyConstraintName: "FK_error_declaration_participant" })
  participant!: Relation<ParticipantEntity>;

  @ManyToOne(() => CaptureJobEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "capture_id", foreignKeyConstraintName: "FK_error_declaration_capture" })
  capture!: Relation<CaptureJobEntity>;
}
