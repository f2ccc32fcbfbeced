import { Body, Controller, Get, HttpCode, Param, Post, Req } from "@nestjs/common";
import type { Request } from "express";
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from "@nestjs/swagger";
import { DomainError } from "#common";
import { PRODUCT_MODEL_SCHEMA } from "#footprint";
import { CurrentPrincipal } from "../auth/access.decorator.js";
import type { Principal } from "../auth/principal.js";
import { baseUrlOf } from "../common/urls.js";
import { ModelsService, type ModelView } from "./models.service.js";
import { ReviewService, type DocumentCheck, type ModelReview } from "./review.service.js";

const participantOf = (principal: Principal) => (principal.kind === "participant" ? principal.participant : undefined);

/** A version in a path: a positive integer, else no such version. */
function versionOf(id: string, value: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(value)) {
    throw new DomainError("MODEL.NOT_FOUND", "not-found", `Product model ${id} has no version ${value}`, { id });
  }
  return Number(value);
}

@ApiTags("models")
@ApiBearerAuth()
@Controller("models")
export class ModelsController {
  constructor(
    private readonly models: ModelsService,
    private readonly reviews: ReviewService,
  ) {}

  @Get()
  @ApiOperation({ summary: "Product models (stages, expected activities and ranges, baseline), latest versions" })
  list(): Promise<ModelView[]> {
    return this.models.list();
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary:
      "Declare a product model (version 1): the administrator, or the brand owner of every GTIN it names; one model per GTIN",
  })
  @ApiBody({ schema: PRODUCT_MODEL_SCHEMA as unknown as Record<string, unknown> })
  @ApiCreatedResponse({ description: "The model as stored, with its version" })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<ModelView> {
    return this.models.create(body, participantOf(principal));
  }

  @Get(":id")
  @ApiOperation({ summary: "A product model's latest version" })
  get(@Param("id") id: string): Promise<ModelView> {
    return this.models.get(id);
  }

  @Get(":id/review")
  @ApiOperation({
    summary:
      "A certifier's spot-check list for the model's lots: intensities outside the model's range, required activities not reported, and outliers against the same stage at other participants, with their evidence (certifiers and the administrator)",
  })
  review(
    @Param("id") id: string,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<ModelReview> {
    return this.reviews.review(id, participantOf(principal), baseUrlOf(request));
  }

  @Post(":id/check")
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Before signing: the intensities of an EPCIS document's events against the model's ranges and the same stage at other participants, with warnings in words (zh, en); for a partner, its capture rehearsed and rolled back, so that mass-balance, custody and evidence problems come back as capture's problems; nothing is stored",
  })
  @ApiBody({ schema: { type: "object", description: "An EPCIS 2.0 JSON-LD document, as it would be captured" } })
  check(
    @Param("id") id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DocumentCheck> {
    return this.reviews.check(id, body, participantOf(principal));
  }

  @Get(":id/versions")
  @ApiOperation({ summary: "Every version of a product model, oldest first" })
  versions(@Param("id") id: string): Promise<ModelView[]> {
    return this.models.versions(id);
  }

  @Post(":id/versions")
  @HttpCode(201)
  @ApiOperation({
    summary:
      "Declare the next version of a product model: whoever declared it (as brand owner of its GTINs) or the administrator; earlier versions never change",
  })
  @ApiBody({ schema: PRODUCT_MODEL_SCHEMA as unknown as Record<string, unknown> })
  createVersion(
    @Param("id") id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ModelView> {
    return this.models.createVersion(id, body, participantOf(principal));
  }

  @Get(":id/versions/:version")
  @ApiOperation({ summary: "One version of a product model" })
  version(@Param("id") id: string, @Param("version") version: string): Promise<ModelView> {
    return this.models.get(id, versionOf(id, version));
  }
}
