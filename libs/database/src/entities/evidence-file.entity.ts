import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { ParticipantEntity } from "./participant.entity.js";

/** A file stored in IPFS through POST /evidence. */
@Entity({ name: "evidence_file" })
export class EvidenceFileEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_evidence_file", type: "text" })
  cid!: string;

  @Column({ name: "media_type", type: "text" })
  mediaType!: string;

  @Column({ name: "byte_size", type: "bigint" })
  byteSize!: string;

  @Column({ type: "text" })
  sha256!: string;

  @Column({ name: "file_name", type: "text", nullable: true })
  fileName!: string | null;

  @Column({ name: "uploaded_by", type: "uuid", nullable: true })
  uploadedBy!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @ManyToOne(() => ParticipantEntity, { onDelete: "SET NULL" })
  @JoinColumn({ name: "uploaded_by", foreignKeyConstraintName: "FK_evidence_file_uploader" })
  uploader!: Relation<ParticipantEntity> | null;
}
