import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { EpcisEventEntity } from "./epcis-event.entity.js";

/**
 * Every identifier an event mentions (EPCs, parent, children, inputs, outputs, quantity classes), in the
 * canonical GS1 Digital Link form, so that MATCH_epc / MATCH_anyEPCClass queries use an index.
 */
@Entity({ name: "event_reference" })
@Index("IDX_event_reference_uri", ["uri"])
export class EventReferenceEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_event_reference", name: "event_hash", type: "text" })
  eventHash!: string;

  /** epcList, parentID, childEPCs, inputEPCList, outputEPCList, quantityList, childQuantityList, … */
  @PrimaryColumn({ primaryKeyConstraintName: "PK_event_reference", type: "text" })
  field!: string;

  @PrimaryColumn({ primaryKeyConstraintName: "PK_event_reference", type: "integer" })
  position!: number;

  @Column({ type: "text" })
  uri!: string;

  /** An EPC class (quantity lists) rather than an instance. */
  @Column({ name: "is_class", type: "boolean" })
  isClass!: boolean;

  @Column({ type: "numeric", nullable: true })
  quantity!: string | null;

  @Column({ type: "text", nullable: true })
  uom!: string | null;

  @ManyToOne(() => EpcisEventEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "event_hash", foreignKeyConstraintName: "FK_event_reference_event" })
  event!: Relation<EpcisEventEntity>;
}
