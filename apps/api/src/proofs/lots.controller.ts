import { Body, Controller, Get, Param, Post, Req } from "@nestjs/common";
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from "@nestjs/swagger";
import { IsInt, IsObject, IsString, Matches, Max, Min } from "class-validator";
import type { Request } from "express";
import { DomainError } from "#common";
import type { AttestationRecord } from "#database";
import type { ProofBundle, VerificationReport } from "#proof";
import { CurrentPrincipal, ParticipantOnly, Public } from "../auth/access.decorator.js";
import type { Principal } from "../auth/principal.js";
import { baseUrlOf, lotIdOf } from "../common/urls.js";
import { AttestationService } from "./attestation.service.js";
import { ProofService, type EventProof } from "./proof.service.js";

export class AttestDto {
  @ApiProperty({ description: "The AttestationStatement (docs/proof-bundle.md)" })
  @IsObject()
  statement!: Record<string, unknown>;

  @ApiProperty({ description: "EIP-712 signature by the certifier (TraceLedger domain)" })
  @IsString()
  @Matches(/^0x[0-9a-fA-F]{130}$/)
  signature!: string;

  @ApiProperty({
    description: "The nonce signed with (decimal uint256, any the certifier has not used: nonces are unordered)",
    example: "271828182845904523536",
  })
  @IsString()
  @Matches(/^(0|[1-9][0-9]{0,77})$/, { message: "nonce must be a decimal uint256" })
  nonce!: string;

  @ApiProperty({ description: "Unix time (seconds) after which the ledger refuses the signature", example: 1767225600 })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  deadline!: number;
}

@ApiTags("proofs")
@Controller()
export class ProofsController {
  constructor(
    private readonly proofs: ProofService,
    private readonly attestations: AttestationService,
  ) {}

  @Get("events/:eventID/proof")
  @Public()
  @ApiOperation({
    summary:
      "Everything needed to verify one event offline: event, hash, signer, signature, leaf, Merkle proof, root and where it is anchored",
  })
  eventProof(@Param("eventID") eventId: string): Promise<EventProof> {
    return this.proofs.eventProof(eventId);
  }

  @Get("lots/:gtin/:lot")
  @Public()
  @ApiOperation({ summary: "A lot's mass balance" })
  async lot(@Param("gtin") gtin: string, @Param("lot") lot: string): Promise<Record<string, unknown>> {
    return { ...(await this.proofs.requireLot(lotIdOf(gtin, lot))) };
  }

  @Get("lots/:gtin/:lot/bundle")
  @Public()
  @ApiOperation({
    summary:
      "The proof bundle of a lot: its whole upstream graph, proofs, evidence, participants (docs/proof-bundle.md)",
  })
  @ApiOkResponse({ description: "CarbonTraceProofBundle version 1" })
  bundle(@Param("gtin") gtin: string, @Param("lot") lot: string, @Req() request: Request): Promise<ProofBundle> {
    return this.proofs.bundle(lotIdOf(gtin, lot), `${baseUrlOf(request)}/evidence/{cid}`);
  }

  @Get("lots/:gtin/:lot/verification")
  @Public()
  @ApiOperation({ summary: "The lot's bundle verified by the service itself, against its ledger and IPFS node" })
  async verification(
    @Param("gtin") gtin: string,
    @Param("lot") lot: string,
    @Req() request: Request,
  ): Promise<VerificationReport> {
    const bundle = await this.proofs.bundle(lotIdOf(gtin, lot), `${baseUrlOf(request)}/evidence/{cid}`);
    return this.proofs.verification(bundle);
  }

  @Get("lots/:gtin/:lot/attestations")
  @Public()
  async listAttestations(@Param("gtin") gtin: string, @Param("lot") lot: string): Promise<AttestationRecord[]> {
    return this.proofs.attestationsOf(lotIdOf(gtin, lot));
  }

  @Post("lots/:gtin/:lot/attestations")
  @ParticipantOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: "A certifier's signed attestation about the lot's bundle; recorded on TraceLedger" })
  @ApiCreatedResponse({ description: "The attestation and its ledger status" })
  async attest(
    @Param("gtin") gtin: string,
    @Param("lot") lot: string,
    @Body() body: AttestDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AttestationRecord> {
    if (principal.kind !== "participant") throw new DomainError("AUTH.FORBIDDEN", "forbidden", "Participants only");
    const found = await this.proofs.requireLot(lotIdOf(gtin, lot));
    return this.attestations.attest(principal.participant, found, body.statement, body.signature, {
      nonce: body.nonce,
      deadline: body.deadline,
    });
  }
}
