import { Body, Controller, Delete, Get, HttpCode, Param, Post } from "@nestjs/common";
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from "@nestjs/swagger";
import { DomainError } from "#common";
import { AdminOnly, CurrentPrincipal, ParticipantOnly } from "../auth/access.decorator.js";
import type { Principal } from "../auth/principal.js";
import { PARTICIPANT_ROLES } from "#capture";
import {
  AddCompanyPrefixesDto,
  AddLocationsDto,
  AddRolesDto,
  ApiKeyDto,
  CreateApiKeyDto,
  CreatedParticipantDto,
  CreateParticipantDto,
  ParticipantDto,
  RoleChangeDto,
} from "./dto/participant.dto.js";
import { ParticipantsService, toParticipantDto } from "./participants.service.js";

@ApiTags("participants")
@ApiBearerAuth()
@Controller("participants")
export class ParticipantsController {
  constructor(private readonly participants: ParticipantsService) {}

  @Post()
  @AdminOnly()
  @ApiOperation({
    summary: "Register a participant; its roles are granted on the ledger; returns its first API key once",
  })
  @ApiCreatedResponse({ type: CreatedParticipantDto })
  @ApiConflictResponse({ description: "PARTICIPANT.ALREADY_EXISTS" })
  async register(@Body() body: CreateParticipantDto): Promise<CreatedParticipantDto> {
    const { participant, apiKey } = await this.participants.register(body);
    return Object.assign(toParticipantDto(participant), { apiKey });
  }

  @Get()
  @AdminOnly()
  @ApiOkResponse({ type: ParticipantDto, isArray: true })
  async list(): Promise<ParticipantDto[]> {
    return (await this.participants.list()).map(toParticipantDto);
  }

  @Get("me")
  @ParticipantOnly()
  @ApiOperation({ summary: "The calling participant" })
  @ApiOkResponse({ type: ParticipantDto })
  me(@CurrentPrincipal() principal: Principal): ParticipantDto {
    if (principal.kind !== "participant") throw new DomainError("AUTH.FORBIDDEN", "forbidden", "Not a participant");
    return toParticipantDto(principal.participant);
  }

  @Get(":id")
  @ApiOperation({ summary: "A participant (the administrator, or the participant itself)" })
  @ApiOkResponse({ type: ParticipantDto })
  async get(@Param("id") id: string, @CurrentPrincipal() principal: Principal): Promise<ParticipantDto> {
    if (principal.kind === "participant" && principal.participant.id !== id) {
      throw new DomainError("AUTH.FORBIDDEN", "forbidden", "A participant may only read itself");
    }
    return toParticipantDto(await this.participants.get(id));
  }

  @Post(":id/roles")
  @AdminOnly()
  @ApiOperation({ summary: "Add roles to a participant and grant them on the ledger" })
  @ApiCreatedResponse({ type: ParticipantDto })
  async addRoles(@Param("id") id: string, @Body() body: AddRolesDto): Promise<ParticipantDto> {
    return toParticipantDto(await this.participants.addRoles(id, body.roles));
  }

  @Delete(":id/roles/:role")
  @AdminOnly()
  @ApiOperation({
    summary:
      "Revoke a role: recorded on the ledger (TraceLedger keeps the term in the role's history); capture under it stops at once",
  })
  @ApiOkResponse({ type: ParticipantDto })
  async revokeRole(@Param("id") id: string, @Param("role") role: string): Promise<ParticipantDto> {
    if (!(PARTICIPANT_ROLES as readonly string[]).includes(role)) {
      throw new DomainError("PARTICIPANT.ROLE_UNKNOWN", "invalid", `Unknown role ${role}`, {
        role,
        roles: PARTICIPANT_ROLES,
      });
    }
    return toParticipantDto(await this.participants.revokeRole(id, role));
  }

  @Get(":id/roles/history")
  @ApiOperation({ summary: "Every grant and revocation of the participant's roles on the ledger (admin or self)" })
  @ApiOkResponse({ type: RoleChangeDto, isArray: true })
  async roleHistory(@Param("id") id: string, @CurrentPrincipal() principal: Principal): Promise<RoleChangeDto[]> {
    if (principal.kind === "participant" && principal.participant.id !== id) {
      throw new DomainError("AUTH.FORBIDDEN", "forbidden", "A participant may only read itself");
    }
    return (await this.participants.roleHistory(id)).map((change) => ({
      ...change,
      recordedAt: change.recordedAt.toISOString(),
    }));
  }

  @Post(":id/locations")
  @AdminOnly()
  @ApiOperation({ summary: "Register sites (GLNs) of the participant: places its events may name" })
  @ApiCreatedResponse({ type: ParticipantDto })
  async addLocations(@Param("id") id: string, @Body() body: AddLocationsDto): Promise<ParticipantDto> {
    return toParticipantDto(await this.participants.addLocations(id, body.locations));
  }

  @Post(":id/company-prefixes")
  @AdminOnly()
  @ApiOperation({ summary: "Register GS1 Company Prefixes the participant owns (brand owner of their GTINs)" })
  @ApiCreatedResponse({ type: ParticipantDto })
  async addCompanyPrefixes(@Param("id") id: string, @Body() body: AddCompanyPrefixesDto): Promise<ParticipantDto> {
    return toParticipantDto(await this.participants.addCompanyPrefixes(id, body.companyPrefixes));
  }

  @Post(":id/api-keys")
  @AdminOnly()
  @ApiOperation({ summary: "Issue another API key (shown once)" })
  @ApiCreatedResponse({ type: ApiKeyDto })
  issueKey(@Param("id") id: string, @Body() body: CreateApiKeyDto): Promise<ApiKeyDto> {
    return this.participants.issueKey(id, body.label);
  }

  @Get(":id/api-keys")
  @AdminOnly()
  @ApiOperation({ summary: "List a participant's API keys (ids and labels, never the secrets)" })
  async listKeys(
    @Param("id") id: string,
  ): Promise<Array<{ id: string; label: string | null; createdAt: Date; revokedAt: Date | null }>> {
    await this.participants.get(id);
    return this.participants.listKeys(id);
  }

  @Delete(":id/api-keys/:keyId")
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse({ description: "Revoked" })
  async revokeKey(@Param("id") id: string, @Param("keyId") keyId: string): Promise<void> {
    await this.participants.revokeKey(id, keyId);
  }
}
