import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Unique,
  type Relation,
} from "typeorm";
import { CaptureJobEntity } from "./capture-job.entity.js";
import { ParticipantEntity } from "./participant.entity.js";

/** A captured EPCIS event, identified by its CBV 2.0 event hash, with who signed it and how. */
@Entity({ name: "epcis_event" })
@Index("IDX_epcis_event_participant_record", ["participantId", "recordTime"])
@Unique("UQ_epcis_event_event_id", ["eventId"])
export class EpcisEventEntity {
  /** `ni:///sha-256;<hex>?ver=CBV2.0` */
  @PrimaryColumn({ primaryKeyConstraintName: "PK_epcis_event", name: "event_hash", type: "text" })
  eventHash!: string;

  /** The event's `eventID`: the one it was captured with, or its event hash if it had none. */
  @Column({ name: "event_id", type: "text" })
  eventId!: string;

  @Index("IDX_epcis_event_type")
  @Column({ name: "event_type", type: "text" })
  eventType!: string;

  @Column({ type: "text", nullable: true })
  action!: string | null;

  /** Full CBV URI (short names are expanded), so that both forms query alike. */
  @Index("IDX_epcis_event_biz_step")
  @Column({ name: "biz_step", type: "text", nullable: true })
  bizStep!: string | null;

  @Column({ type: "text", nullable: true })
  disposition!: string | null;

  @Column({ name: "read_point", type: "text", nullable: true })
  readPoint!: string | null;

  @Index("IDX_epcis_event_biz_location")
  @Column({ name: "biz_location", type: "text", nullable: true })
  bizLocation!: string | null;

  @Index("IDX_epcis_event_event_time")
  @Column({ name: "event_time", type: "timestamptz" })
  eventTime!: Date;

  @Column({ name: "event_time_zone_offset", type: "text" })
  eventTimeZoneOffset!: string;

  /** When the service stored it (EPCIS recordTime). */
  @Index("IDX_epcis_event_record_time")
  @Column({ name: "record_time", type: "timestamptz" })
  recordTime!: Date;

  /** The event as captured (JSON-LD), with eventID set; recordTime is added when served. */
  @Column({ type: "jsonb" })
  body!: Record<string, unknown>;

  /** The capturing document's @context, needed to expand the event's namespaced extensions. */
  @Column({ type: "jsonb" })
  context!: unknown;

  // Looked up by IDX_epcis_event_participant_record (participant, record time).
  @Column({ name: "participant_id", type: "uuid" })
  participantId!: string;

  /** Supply-chain role under which the event was accepted (its footprint stage). */
  @Column({ type: "text" })
  role!: string;

  /** Checksummed address that signed the event hash (EIP-712). */
  @Column({ type: "text" })
  signer!: string;

  @Column({ type: "text" })
  signature!: string;

  /** Signed by the service with the participant's custodial key. */
  @Column({ type: "boolean" })
  custodial!: boolean;

  @Index("IDX_epcis_event_capture")
  @Column({ name: "capture_id", type: "uuid" })
  captureId!: string;

  /** Set when an error declaration for this event was captured; its lot movements no longer count. */
  @Column({ name: "error_declaration", type: "jsonb", nullable: true })
  errorDeclaration!: Record<string, unknown> | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  /** Recording order (a sequence): bundles list events in it and the verifier replays custody in it. */
  @Index("UQ_epcis_event_seq", { unique: true })
  @Column({ type: "bigint", generated: "identity", generatedIdentity: "BY DEFAULT" })
  seq!: string;

  @ManyToOne(() => ParticipantEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "participant_id", foreignKeyConstraintName: "FK_epcis_event_participant" })
  participant!: Relation<ParticipantEntity>;

  @ManyToOne(() => CaptureJobEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "capture_id", foreignKeyConstraintName: "FK_epcis_event_capture" })
  capture!: Relation<CaptureJobEntity>;
}
