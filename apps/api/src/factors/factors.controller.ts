import { Body, Controller, Get, HttpCode, Param, Post, Query } from "@nestjs/common";
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from "@nestjs/swagger";
import type { LibraryVersionRecord, StoredFactor } from "#database";
import { AdminOnly, Public } from "../auth/access.decorator.js";
import { IntParam } from "../common/validation.js";
import { AddFactorsDto, FactorSearchDto } from "./factors.dto.js";
import { FactorLibraryService } from "./factor-library.service.js";

interface VersionView {
  readonly version: number;
  readonly description: string;
  readonly createdBy: string;
  readonly factorCount: number;
  readonly contentSha256: string;
  readonly createdAt: string;
}

@ApiTags("factors")
@Controller("factors")
export class FactorsController {
  constructor(private readonly library: FactorLibraryService) {}

  @Get()
  @Public()
  @ApiOperation({
    summary:
      "Search the emission factor library (latest version unless `version` is given) by category, region, year, activity or words",
  })
  async search(
    @Query() query: FactorSearchDto,
  ): Promise<{ version: number; factors: StoredFactor[]; next: string | null }> {
    return this.library.search({
      limit: query.limit ?? 100,
      ...(query.version === undefined ? {} : { version: query.version }),
      ...(query.category === undefined ? {} : { category: query.category }),
      ...(query.region === undefined ? {} : { region: query.region }),
      ...(query.year === undefined ? {} : { year: query.year }),
      ...(query.activity === undefined ? {} : { activity: query.activity }),
      ...(query.q === undefined ? {} : { q: query.q }),
      ...(query.after === undefined ? {} : { after: query.after }),
    });
  }

  @Get("versions")
  @Public()
  @ApiOperation({
    summary: "Every library version: what it added, how many factors it holds, the SHA-256 of its content",
  })
  async versions(): Promise<VersionView[]> {
    return (await this.library.versions()).map(toVersionView);
  }

  @Get("versions/:version")
  @Public()
  @ApiOperation({ summary: "One library version with all its factors (`contentSha256` can be recomputed from them)" })
  async version(@Param("version", new IntParam()) version: number): Promise<VersionView & { factors: StoredFactor[] }> {
    const { record, factors } = await this.library.versionWithFactors(version);
    return { ...toVersionView(record), factors };
  }

  @Get(":id")
  @Public()
  @ApiOperation({
    summary: "One factor with its source and licence, the version that added it and any correction of it",
  })
  async factor(@Param("id") id: string): Promise<StoredFactor & { supersededBy: string | null }> {
    return this.library.factor(id);
  }

  @Post()
  @AdminOnly()
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      "Add factors (with their sources) as a new library version; units are normalised and checked against the activity they serve",
  })
  @ApiCreatedResponse({ description: "The new library version" })
  @ApiOkResponse()
  async add(@Body() body: AddFactorsDto): Promise<VersionView> {
    return toVersionView(await this.library.add(body.description, body.factors));
  }
}

function toVersionView(record: LibraryVersionRecord): VersionView {
  return { ...record, createdAt: record.createdAt.toISOString() };
}
