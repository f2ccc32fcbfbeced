import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req } from "@nestjs/common";
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOperation, ApiQuery, ApiTags } from "@nestjs/swagger";
import type { Request } from "express";
import { DomainError } from "#common";
import type { BaselineRecord } from "#database";
import { BASELINE_SCHEMA } from "#footprint";
import { PROOF_EXTENSION_SCHEMA } from "#pact";
import { CurrentPrincipal, ParticipantOnly, Public } from "../auth/access.decorator.js";
import type { Principal } from "../auth/principal.js";
import { baseUrlOf, lotIdOf } from "../common/urls.js";
import { FootprintService, type CalculationView } from "./footprint.service.js";
import { PublishFootprintDto } from "./footprints.dto.js";

@ApiTags("footprints")
@Controller()
export class FootprintsController {
  constructor(private readonly footprints: FootprintService) {}

  @Get("lots/:gtin/:lot/footprint")
  @Public()
  @ApiOperation({
    summary:
      "The lot's product carbon footprint from its events: total, per declared unit, stages, every contribution with its factor and source, data quality, baseline comparison and reduction suggestions",
  })
  @ApiQuery({ name: "libraryVersion", required: false, description: "Factor library version (default: latest)" })
  footprint(
    @Param("gtin") gtin: string,
    @Param("lot") lot: string,
    @Query("libraryVersion") libraryVersion?: string,
  ): Promise<CalculationView> {
    return this.footprints.calculate(lotIdOf(gtin, lot), versionOf(libraryVersion));
  }

  @Get("footprints/calculations/:id")
  @Public()
  @ApiOperation({ summary: "A stored footprint calculation, exactly as it was computed (linked from PACT footprints)" })
  calculation(@Param("id") id: string): Promise<Record<string, unknown>> {
    return this.footprints.calculation(id);
  }

  @Get("lots/:gtin/:lot/baseline")
  @Public()
  @ApiOperation({ summary: "The conventional product the lot is compared with (latest declaration)" })
  baseline(@Param("gtin") gtin: string, @Param("lot") lot: string): Promise<BaselineRecord> {
    return this.footprints.baseline(lotIdOf(gtin, lot));
  }

  @Put("lots/:gtin/:lot/baseline")
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      "Declare the baseline (per declared unit, e.g. the same box from virgin PET on grid power); a producer of the lot or the administrator",
  })
  @ApiBody({ schema: BASELINE_SCHEMA as unknown as Record<string, unknown> })
  declareBaseline(
    @Param("gtin") gtin: string,
    @Param("lot") lot: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BaselineRecord> {
    return this.footprints.declareBaseline(
      lotIdOf(gtin, lot),
      body,
      principal.kind === "participant" ? principal.participant : undefined,
    );
  }

  @Post("lots/:gtin/:lot/footprints")
  @HttpCode(201)
  @ParticipantOnly()
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      "Publish the lot's footprint as a PACT v3 ProductFootprint (served by /3/footprints); the previous one of the lot becomes Deprecated",
  })
  @ApiCreatedResponse({ description: "The ProductFootprint" })
  publish(
    @Param("gtin") gtin: string,
    @Param("lot") lot: string,
    @Body() body: PublishFootprintDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<Record<string, unknown>> {
    if (principal.kind !== "participant") throw new DomainError("AUTH.FORBIDDEN", "forbidden", "Participants only");
    return this.footprints.publish(lotIdOf(gtin, lot), principal.participant, body, baseUrlOf(request));
  }

  @Get("lots/:gtin/:lot/footprints")
  @ApiBearerAuth()
  @ApiOperation({ summary: "The PACT ProductFootprints published for the lot, newest first" })
  async published(@Param("gtin") gtin: string, @Param("lot") lot: string): Promise<Array<Record<string, unknown>>> {
    return (await this.footprints.published(lotIdOf(gtin, lot))).map((footprint) => footprint.document);
  }

  @Get("ns/pact/proof/1.0.0/schema.json")
  @Public()
  @ApiOperation({ summary: "JSON Schema of the CarbonTrace proof extension carried by PACT ProductFootprints" })
  extensionSchema(): Record<string, unknown> {
    return PROOF_EXTENSION_SCHEMA;
  }
}

function versionOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(raw)) {
    throw new DomainError("FACTOR.VERSION_INVALID", "invalid", "libraryVersion must be a positive integer", {
      libraryVersion: raw,
    });
  }
  return Number(raw);
}
