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
import { ParticipantEntity } from "./participant.entity.js";

/**
 * OAuth2 client credentials of a PACT data recipient. A client created by a participant sees that participant's
 * footprints; one created by the administrator sees all. Optionally it names the recipient's own PACT host
 * (`callback_url`) and the credentials to post answers to its Action Events there.
 */
@Entity({ name: "pact_client" })
@Unique("UQ_pact_client_client_id", ["clientId"])
export class PactClientEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_pact_client" })
  id!: string;

  /** The OAuth2 client_id, `ctpc_<hex>`. */
  @Column({ name: "client_id", type: "text" })
  clientId!: string;

  @Column({ name: "secret_sha256", type: "bytea" })
  secretSha256!: Buffer;

  @Column({ type: "text" })
  name!: string;

  /** The data owner whose footprints the client may read; null: every footprint (created by the administrator). */
  @Column({ name: "owner_id", type: "uuid", nullable: true })
  ownerId!: string | null;

  /** Base URL of the recipient's PACT host: the only `source` whose requests are answered. */
  @Column({ name: "callback_url", type: "text", nullable: true })
  callbackUrl!: string | null;

  @Column({ name: "callback_client_id", type: "text", nullable: true })
  callbackClientId!: string | null;

  /** The recipient host's client secret, sealed with the custody master key. */
  @Column({ name: "callback_secret", type: "bytea", nullable: true, select: false })
  callbackSecret!: Buffer | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @Column({ name: "revoked_at", type: "timestamptz", nullable: true })
  revokedAt!: Date | null;

  @ManyToOne(() => ParticipantEntity, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "owner_id", foreignKeyConstraintName: "FK_pact_client_owner" })
  owner!: Relation<ParticipantEntity> | null;
}
