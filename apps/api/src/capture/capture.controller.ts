import { Body, Controller, Get, Headers, HttpCode, Options, Param, Post, Query, Req, Res } from "@nestjs/common";
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from "@nestjs/swagger";
import type { Request, Response } from "express";
import { DomainError } from "#common";
import { EVENT_SIGNATURE_TYPES } from "#proof";
import { CurrentPrincipal, ParticipantOnly, Public } from "../auth/access.decorator.js";
import type { Principal } from "../auth/principal.js";
import { CaptureJobDto, SigningDomainDto } from "./capture.dto.js";
import { CaptureService, type CaptureJob } from "./capture.service.js";

/** The XML binding's media types (the body parser reads them as text; see server.ts). */
export const XML_MEDIA_TYPES = ["application/xml", "text/xml", "application/*+xml"];

export const EPCIS_HEADERS = { "GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0" } as const;

@ApiTags("capture")
@ApiBearerAuth()
@Controller("capture")
export class CaptureController {
  constructor(private readonly capture: CaptureService) {}

  @Options()
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: "Discover the capture interface (GS1 REST binding headers)" })
  discover(@Res({ passthrough: true }) response: Response): void {
    response.set({
      ...EPCIS_HEADERS,
      Allow: "OPTIONS, GET, POST",
      "GS1-EPCIS-Capture-Limit": String(this.capture.limits.maxEvents),
      "GS1-EPCIS-Capture-File-Size-Limit": String(this.capture.limits.maxBytes),
      "GS1-Capture-Error-Behaviour": "rollback",
      "GS1-Extensions": "ct=https://carbontrace.org/ns/epcis/",
    });
  }

  @Get("signing-domain")
  @Public()
  @ApiOperation({ summary: "The EIP-712 domain and types partners sign event hashes with" })
  @ApiOkResponse({ type: SigningDomainDto })
  signingDomain(): SigningDomainDto {
    return {
      domain: { ...this.capture.domain },
      types: { ...EVENT_SIGNATURE_TYPES },
      primaryType: "EpcisEvent",
      message: { eventHash: "bytes32: the sha-256 digest inside the event's ni:///sha-256;…?ver=CBV2.0 hash" },
    };
  }

  @Post()
  @ParticipantOnly()
  @HttpCode(202)
  @ApiOperation({
    summary: "Capture an EPCISDocument (all or nothing)",
    description:
      "Validated against the GS1 EPCIS 2.0 JSON Schema and the CarbonTrace extension; every event must be signed " +
      "(document-level `ct:signatures`) by the calling participant, unless it is custodial. Posting an event again " +
      "creates nothing and reports it as `exists`.",
  })
  @ApiHeader({ name: "GS1-Capture-Error-Behaviour", required: false, description: "Only `rollback` is supported" })
  @ApiConsumes("application/json", "application/ld+json", "application/xml")
  @ApiBody({
    schema: { oneOf: [{ type: "object" }, { type: "string" }] },
    description:
      "EPCISDocument or EPCISQueryDocument: JSON-LD (application/json, application/ld+json) or XML " +
      "(application/xml; EPCIS 2.0, or 1.2; signatures as " +
      "<ct:signatures><ct:entry><ct:eventHash/><ct:signature/></ct:entry></ct:signatures>)",
  })
  @ApiAcceptedResponse({ type: CaptureJobDto, description: "Captured; Location points to the capture job" })
  @ApiConflictResponse({ description: "MASS_BALANCE.* or CAPTURE.ROLE_NOT_ON_CHAIN" })
  async post(
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request & { rawBody?: Buffer },
    @Body() body: unknown,
    @Headers("gs1-capture-error-behaviour") errorBehaviour: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaptureJobDto> {
    if (principal.kind !== "participant") throw new DomainError("AUTH.FORBIDDEN", "forbidden", "Participants only");
    const isXml = request.is(XML_MEDIA_TYPES) !== false;
    if (!isXml && request.is(["application/json", "application/ld+json"]) === false) {
      throw new DomainError(
        "REQUEST.UNSUPPORTED_MEDIA_TYPE",
        "unsupported-media-type",
        "Send the EPCIS document as application/json or application/ld+json (JSON-LD binding), or as " +
          "application/xml (XML binding, EPCIS 2.0 or 1.2)",
      );
    }
    if (errorBehaviour !== undefined && errorBehaviour.toLowerCase() !== "rollback") {
      throw new DomainError(
        "CAPTURE.ERROR_BEHAVIOUR_UNSUPPORTED",
        "invalid",
        `GS1-Capture-Error-Behaviour "${errorBehaviour}" is not supported: documents are captured all or nothing (rollback)`,
      );
    }
    const result =
      typeof body === "string"
        ? await this.capture.captureXml(principal.participant, body, request.rawBody)
        : await this.capture.capture(principal.participant, body, request.rawBody);
    response.set({ ...EPCIS_HEADERS, Location: `/capture/${result.captureId}` });
    const now = new Date().toISOString();
    return {
      captureID: result.captureId,
      createdAt: result.createdAt.toISOString(),
      finishedAt: now,
      running: false,
      success: true,
      captureErrorBehaviour: "rollback",
      errors: [],
      eventCount: result.events.length,
      createdCount: result.events.filter((e) => e.outcome !== "exists").length,
      events: result.events.map((e) => ({ eventID: e.eventId, eventHash: e.eventHash, outcome: e.outcome })),
    };
  }

  @Get()
  @ApiOperation({ summary: "Capture jobs: the caller's own, or all for the administrator" })
  @ApiOkResponse({ type: CaptureJobDto, isArray: true })
  async list(@CurrentPrincipal() principal: Principal, @Query("perPage") perPage?: string): Promise<CaptureJobDto[]> {
    const limit = Math.min(Math.max(Number(perPage ?? 30) || 30, 1), 1000);
    const jobs = await this.capture.jobs(
      principal.kind === "participant" ? principal.participant.id : undefined,
      limit,
    );
    return jobs.map(toDto);
  }

  @Get(":captureID")
  @ApiOperation({ summary: "A capture job and the events it stored" })
  @ApiOkResponse({ type: CaptureJobDto })
  async get(@CurrentPrincipal() principal: Principal, @Param("captureID") id: string): Promise<CaptureJobDto> {
    return toDto(await this.capture.job(principal.kind === "participant" ? principal.participant.id : undefined, id));
  }
}

function toDto({ job, stored }: CaptureJob): CaptureJobDto {
  return {
    captureID: job.id,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt.toISOString(),
    running: false,
    success: true,
    captureErrorBehaviour: "rollback",
    errors: [],
    eventCount: job.eventCount,
    createdCount: job.createdCount,
    events: stored.map((e) => ({ eventID: e.eventId, eventHash: e.eventHash, outcome: "created" })),
  };
}
