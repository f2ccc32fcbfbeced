import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  type Relation,
} from "typeorm";
import { PactClientEntity } from "./pact-client.entity.js";

/** A CloudEvent received on `POST /3/events`, as received. The same event id from the same client is stored once. */
@Entity({ name: "pact_event" })
@Unique("UQ_pact_event_client_event", ["client", "eventId"])
export class PactEventEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_pact_event" })
  id!: string;

  @Column({ name: "client", type: "uuid" })
  client!: string;

  @Column({ name: "event_id", type: "text" })
  eventId!: string;

  @Column({ type: "text" })
  type!: string;

  @Column({ type: "text" })
  source!: string;

  @Column({ type: "jsonb" })
  body!: Record<string, unknown>;

  @CreateDateColumn({ name: "received_at", type: "timestamptz" })
  receivedAt!: Date;

  @ManyToOne(() => PactClientEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "client", foreignKeyConstraintName: "FK_pact_event_client" })
  owner!: Relation<PactClientEntity>;
}
