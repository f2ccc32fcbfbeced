import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryGeneratedColumn,
  Unique,
  type Relation,
} from "typeorm";
import { ParticipantRoleEntity } from "./participant-role.entity.js";

/** A supply-chain partner (or certifier) that signs events with its Ethereum key. */
@Entity({ name: "participant" })
@Unique("UQ_participant_identifier", ["identifierScheme", "identifier"])
@Unique("UQ_participant_address", ["address"])
@Check(
  "CHK_participant_key_status",
  `"key_status" IN ('set', 'awaiting') AND ("key_status" = 'set' OR NOT "custodial")`,
)
export class ParticipantEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_participant" })
  id!: string;

  @Column({ type: "text" })
  organisation!: string;

  /** "gln", "lei", "uscc" (China unified social credit code) or "other". */
  @Column({ name: "identifier_scheme", type: "text" })
  identifierScheme!: string;

  @Column({ type: "text" })
  identifier!: string;

  @Column({ name: "display_name_zh", type: "text" })
  displayNameZh!: string;

  @Column({ name: "display_name_en", type: "text" })
  displayNameEn!: string;

  /** ISO 3166-1 alpha-2 country of the participant's sites: the region of activities that name none. */
  @Column({ type: "text", nullable: true })
  country!: string | null;

  /** GS1 Company Prefixes the participant owns: it is the brand owner of GTINs under them (names the products). */
  @Column({ name: "company_prefixes", type: "text", array: true, default: () => "'{}'" })
  companyPrefixes!: string[];

  /** GLNs of the participant's sites (besides its own GLN): locations its events may name. */
  @Column({ type: "text", array: true, default: () => "'{}'" })
  locations!: string[];

  /** Checksummed Ethereum address of the key that signs this participant's events. */
  @Column({ type: "text" })
  address!: string;

  /**
   * `set`: `address` is the participant's key. `awaiting`: a self-custody participant whose person creates its key
   * in the console; `address` is a placeholder no one holds a key for, and its roles wait.
   */
  @Column({ name: "key_status", type: "text", default: "set" })
  keyStatus!: string;

  /** The service holds the key (encrypted) and signs for the participant. */
  @Column({ type: "boolean" })
  custodial!: boolean;

  /** AES-256-GCM ciphertext of the custodial key; null for self-custody. Never returned or logged. */
  @Column({ name: "encrypted_key", type: "bytea", nullable: true, select: false })
  encryptedKey!: Buffer | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @OneToMany(() => ParticipantRoleEntity, (role) => role.participant, { cascade: ["insert"] })
  roles!: Relation<ParticipantRoleEntity[]>;
}
