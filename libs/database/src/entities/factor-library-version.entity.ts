import { Column, CreateDateColumn, Entity, PrimaryColumn } from "typeorm";

/**
 * One version of the emission factor library. Version N holds every factor added in a version ≤ N that no
 * factor added in a version ≤ N supersedes; versions are never changed, so a calculation that names its version
 * can always be repeated.
 */
@Entity({ name: "factor_library_version" })
export class FactorLibraryVersionEntity {
  @PrimaryColumn({ primaryKeyConstraintName: "PK_factor_library_version", type: "integer" })
  version!: number;

  @Column({ type: "text" })
  description!: string;

  /** "bundled" for the seed from the CSV shipped with the service, "admin" for factors added through the API. */
  @Column({ name: "created_by", type: "text" })
  createdBy!: string;

  /** Factors in the library at this version. */
  @Column({ name: "factor_count", type: "integer" })
  factorCount!: number;

  /** SHA-256 (hex) of the version's factors as canonical JSON (RFC 8785), sorted by id: what an auditor can recompute. */
  @Column({ name: "content_sha256", type: "text" })
  contentSha256!: string;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;
}
