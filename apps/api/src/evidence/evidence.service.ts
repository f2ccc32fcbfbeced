import { createHash } from "node:crypto";
import { Inject, Injectable } from "@nestjs/common";
import { DomainError } from "#common";
import { EvidenceRepository, type EvidenceRecord } from "#database";
import type { EvidenceStore } from "#evidence";
import { EVIDENCE_STORE } from "../runtime.ports.js";
import { checkMediaType } from "./media-type.js";

@Injectable()
export class EvidenceService {
  constructor(
    @Inject(EVIDENCE_STORE) private readonly ipfs: EvidenceStore,
    private readonly evidence: EvidenceRepository,
  ) {}

  /** Stores and pins the file in IPFS; its CID is the one `ipfs add --cid-version=1` gives. */
  async store(
    file: { bytes: Uint8Array; declaredType?: string; fileName?: string },
    uploadedBy: string,
  ): Promise<EvidenceRecord> {
    if (file.bytes.byteLength === 0) {
      throw new DomainError("EVIDENCE.EMPTY", "invalid", "The file is empty");
    }
    const mediaType = checkMediaType(file.declaredType, file.bytes);
    const cid = await this.ipfs.add(file.bytes);
    return this.evidence.register({
      cid,
      mediaType,
      byteSize: file.bytes.byteLength,
      sha256: createHash("sha256").update(file.bytes).digest("hex"),
      fileName: file.fileName ?? null,
      uploadedBy,
    });
  }

  async read(cid: string): Promise<{ record: EvidenceRecord; bytes: Uint8Array }> {
    const record = await this.evidence.find(cid);
    if (record === undefined) throw new DomainError("EVIDENCE.NOT_FOUND", "not-found", `No evidence ${cid}`, { cid });
    return { record, bytes: await this.ipfs.get(cid) };
  }
}
