import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  type Relation,
} from "typeorm";
import { ParticipantEntity } from "./participant.entity.js";

/** A person who signs in to the partner console for a participant (set up from an invitation). */
@Entity({ name: "console_user" })
@Unique("UQ_console_user_username", ["username"])
export class ConsoleUserEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_console_user" })
  id!: string;

  @Index("IDX_console_user_participant")
  @Column({ name: "participant_id", type: "uuid" })
  participantId!: string;

  /** Lower case, as typed at sign-in. */
  @Column({ type: "text" })
  username!: string;

  /** scrypt, with its parameters and salt (libs/custody). */
  @Column({ name: "passphrase_hash", type: "text" })
  passphraseHash!: string;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @ManyToOne(() => ParticipantEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "participant_id", foreignKeyConstraintName: "FK_console_user_participant" })
  participant!: Relation<ParticipantEntity>;
}
