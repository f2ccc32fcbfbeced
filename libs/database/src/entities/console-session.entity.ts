import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { ConsoleUserEntity } from "./console-user.entity.js";

/** A signed-in browser (`cts_<id>_<secret>` in an HttpOnly cookie): only the SHA-256 of its secret is stored. */
@Entity({ name: "console_session" })
export class ConsoleSessionEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_console_session", type: "text" })
  id!: string;

  @Index("IDX_console_session_user")
  @Column({ name: "user_id", type: "uuid" })
  userId!: string;

  @Column({ name: "secret_sha256", type: "bytea" })
  secretSha256!: Buffer;

  /** The browser, as it said (to tell sessions apart in the list). */
  @Column({ name: "user_agent", type: "text", nullable: true })
  userAgent!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @Column({ name: "last_seen_at", type: "timestamptz" })
  lastSeenAt!: Date;

  @Column({ name: "expires_at", type: "timestamptz" })
  expiresAt!: Date;

  @Column({ name: "revoked_at", type: "timestamptz", nullable: true })
  revokedAt!: Date | null;

  @ManyToOne(() => ConsoleUserEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "user_id", foreignKeyConstraintName: "FK_console_session_user" })
  user!: Relation<ConsoleUserEntity>;
}
