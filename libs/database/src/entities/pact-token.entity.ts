import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { PactClientEntity } from "./pact-client.entity.js";

/** An access token issued to a PACT client (only its SHA-256 is stored). */
@Entity({ name: "pact_token" })
export class PactTokenEntity {
  /** SHA-256 (hex) of the token. */
  @PrimaryColumn({ primaryKeyConstraintName: "PK_pact_token", name: "token_sha256", type: "text" })
  tokenSha256!: string;

  @Index("IDX_pact_token_client")
  @Column({ name: "client", type: "uuid" })
  client!: string;

  @Index("IDX_pact_token_expires_at")
  @Column({ name: "expires_at", type: "timestamptz" })
  expiresAt!: Date;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @ManyToOne(() => PactClientEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "client", foreignKeyConstraintName: "FK_pact_token_client" })
  owner!: Relation<PactClientEntity>;
}
