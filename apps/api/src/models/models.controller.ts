import { Body, Controller, Get, HttpCode, Param, Post } from "@nestjs/common";
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from "@nestjs/swagger";
import { DomainError } from "#common";
import { PRODUCT_MODEL_SCHEMA } from "#footprint";
import { CurrentPrincipal } from "../auth/access.decorator.js";
import type { Principal } from "../auth/principal.js";
import { ModelsService, type ModelView } from "./models.service.js";

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
  constructor(private readonly models: ModelsService) {}

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
