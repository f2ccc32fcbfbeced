import { Controller, Get, Param, Post, Res, UploadedFile, UseInterceptors } from "@nestjs/common";
import { FileInterceptor } from "@nestjs/platform-express";
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from "@nestjs/swagger";
import type { Response } from "express";
import { DomainError } from "#common";
import { CurrentPrincipal, ParticipantOnly, Public } from "../auth/access.decorator.js";
import type { Principal } from "../auth/principal.js";
import { EvidenceService } from "./evidence.service.js";
import { EVIDENCE_MEDIA_TYPES } from "./media-type.js";

export class EvidenceDto {
  @ApiProperty({ example: "bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am" })
  cid!: string;

  @ApiProperty({ enum: EVIDENCE_MEDIA_TYPES })
  mediaType!: string;

  @ApiProperty()
  byteSize!: number;

  @ApiProperty({ description: "SHA-256 of the bytes, hex" })
  sha256!: string;

  @ApiProperty({ example: "/evidence/bafkrei…" })
  url!: string;
}

interface UploadedMulterFile {
  readonly buffer: Buffer;
  readonly mimetype: string;
  readonly originalname: string;
}

@ApiTags("evidence")
@Controller("evidence")
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Post()
  @ParticipantOnly()
  @ApiBearerAuth()
  @UseInterceptors(FileInterceptor("file"))
  @ApiOperation({
    summary: "Store an evidence file (photo, delivery note, meter reading) in IPFS; returns its CID",
    description: `multipart/form-data with one part named "file". Accepted types: ${EVIDENCE_MEDIA_TYPES.join(", ")}; the content must match the declared type.`,
  })
  @ApiConsumes("multipart/form-data")
  @ApiBody({
    schema: { type: "object", properties: { file: { type: "string", format: "binary" } }, required: ["file"] },
  })
  @ApiCreatedResponse({ type: EvidenceDto })
  async upload(
    @CurrentPrincipal() principal: Principal,
    @UploadedFile() file: UploadedMulterFile | undefined,
  ): Promise<EvidenceDto> {
    if (principal.kind !== "participant") throw new DomainError("AUTH.FORBIDDEN", "forbidden", "Participants only");
    if (file === undefined) {
      throw new DomainError(
        "EVIDENCE.FILE_MISSING",
        "invalid",
        'Send the file as multipart/form-data in a part named "file"',
      );
    }
    const record = await this.evidence.store(
      { bytes: file.buffer, declaredType: file.mimetype, fileName: file.originalname },
      principal.participant.id,
    );
    return {
      cid: record.cid,
      mediaType: record.mediaType,
      byteSize: record.byteSize,
      sha256: record.sha256,
      url: `/evidence/${record.cid}`,
    };
  }

  @Get(":cid")
  @Public()
  @ApiOperation({ summary: "The bytes of an evidence file (anyone can re-hash them to its CID)" })
  async download(@Param("cid") cid: string, @Res() response: Response): Promise<void> {
    const { record, bytes } = await this.evidence.read(cid);
    response
      .status(200)
      .set({
        "Content-Type": record.mediaType,
        "Content-Length": String(bytes.byteLength),
        "Cache-Control": "public, max-age=31536000, immutable",
        ETag: `"${record.cid}"`,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        "Content-Disposition": `inline${record.fileName === null ? "" : `; filename*=UTF-8''${encodeURIComponent(record.fileName)}`}`,
      })
      .end(Buffer.from(bytes));
  }
}
