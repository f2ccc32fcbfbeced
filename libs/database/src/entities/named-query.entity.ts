import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from "typeorm";

/**
 * An EPCIS named query (REST binding `/queries`): SimpleEventQuery parameters kept under a name. Names are per
 * owner (a participant's id, or "admin"), so that no partner can read, replace or delete another's queries.
 */
@Entity({ name: "epcis_named_query" })
@Unique("UQ_epcis_named_query_owner_name", ["owner", "name"])
export class NamedQueryEntity {
  @PrimaryGeneratedColumn("uuid", { primaryKeyConstraintName: "PK_epcis_named_query" })
  id!: string;

  @Column({ type: "text" })
  owner!: string;

  @Column({ type: "text" })
  name!: string;

  /** The query parameters as the binding writes them (`EQ_bizStep`, `MATCH_anyEPCClass`, …), values as lists. */
  @Column({ type: "jsonb" })
  parameters!: Record<string, string[]>;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;
}
