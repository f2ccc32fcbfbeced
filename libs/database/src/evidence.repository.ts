import type { DataSource } from "typeorm";
import { EvidenceFileEntity } from "./entities/evidence-file.entity.js";

export interface EvidenceRecord {
  readonly cid: string;
  readonly mediaType: string;
  readonly byteSize: number;
  readonly sha256: string;
  readonly fileName: string | null;
  readonly uploadedBy: string | null;
  readonly createdAt: Date;
}

/** Evidence files registered through POST /evidence (or found in IPFS at capture). */
export class EvidenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Registers a file; a file uploaded again keeps its first record, but learns its type if that was unknown. */
  async register(record: Omit<EvidenceRecord, "createdAt">): Promise<EvidenceRecord> {
    await this.dataSource.query(
      `INSERT INTO "evidence_file" ("cid", "media_type", "byte_size", "sha256", "file_name", "uploaded_by")
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ("cid") DO UPDATE SET "media_type" = EXCLUDED."media_type", "byte_size" = EXCLUDED."byte_size",
         "sha256" = EXCLUDED."sha256", "file_name" = COALESCE("evidence_file"."file_name", EXCLUDED."file_name"),
         "uploaded_by" = COALESCE("evidence_file"."uploaded_by", EXCLUDED."uploaded_by")
       WHERE "evidence_file"."sha256" = ''`,
      [record.cid, record.mediaType, record.byteSize, record.sha256, record.fileName, record.uploadedBy],
    );
    const stored = await this.find(record.cid);
    if (stored === undefined) throw new Error(`evidence ${record.cid} was not recorded`);
    return stored;
  }

  async find(cid: string): Promise<EvidenceRecord | undefined> {
    const row = await this.dataSource.getRepository(EvidenceFileEntity).findOneBy({ cid });
    return row === null
      ? undefined
      : {
          cid: row.cid,
          mediaType: row.mediaType,
          byteSize: Number(row.byteSize),
          sha256: row.sha256,
          fileName: row.fileName,
          uploadedBy: row.uploadedBy,
          createdAt: row.createdAt,
        };
  }
}
