import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { EpcisEventEntity } from "./epcis-event.entity.js";
import { EvidenceFileEntity } from "./evidence-file.entity.js";

/** Evidence an event links to, by CID, with what kind of document it is. */
@Entity({ name: "event_evidence" })
@Index("IDX_event_evidence_cid", ["cid"])
export class EventEvidenceEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_event_evidence", name: "event_hash", type: "text" })
  eventHash!: string;

  @PrimaryColumn({ primaryKeyConstraintName: "PK_event_evidence", type: "text" })
  cid!: string;

  /** e.g. "weighbridge-ticket", "delivery-note", "meter-reading". */
  @Column({ type: "text", nullable: true })
  kind!: string | null;

  @ManyToOne(() => EpcisEventEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "event_hash", foreignKeyConstraintName: "FK_event_evidence_event" })
  event!: Relation<EpcisEventEntity>;

  @ManyToOne(() => EvidenceFileEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "cid", foreignKeyConstraintName: "FK_event_evidence_file" })
  file!: Relation<EvidenceFileEntity>;
}
