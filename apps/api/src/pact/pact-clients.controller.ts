import { Body, Controller, Delete, Get, HttpCode, Param, Post } from "@nestjs/common";
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from "@nestjs/swagger";
import { Type } from "class-transformer";
import { IsString, IsUrl, Length, ValidateNested } from "class-validator";
import type { DeliveryRecord, PactClientRecord } from "#database";
import { CurrentPrincipal } from "../auth/access.decorator.js";
import type { Principal } from "../auth/principal.js";
import { OptionalObject } from "../common/validation.js";
import { PactAuthService, type ClientOwner } from "./pact-auth.service.js";

export class CallbackDto {
  @ApiProperty({
    example: "https://pact.customer.example",
    description:
      "Base URL of the recipient's PACT host: requests must come from it (`source`), answers go to its /3/events",
  })
  @IsUrl({ require_protocol: true, protocols: ["https", "http"], require_tld: false })
  url!: string;

  @ApiProperty({ description: "Client id CarbonTrace uses at the recipient's host" })
  @IsString()
  @Length(1, 500)
  clientId!: string;

  @ApiProperty({ description: "Its secret (stored sealed under the custody master key, never returned)" })
  @IsString()
  @Length(1, 500)
  clientSecret!: string;
}

export class CreatePactClientDto {
  @ApiProperty({ example: "Customer Ltd. procurement" })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ type: CallbackDto, description: "Needed to answer PF Request Events (asynchronous requests)" })
  @OptionalObject()
  @ValidateNested()
  @Type(() => CallbackDto)
  callback?: CallbackDto;
}

interface ClientView {
  readonly id: string;
  readonly clientId: string;
  readonly name: string;
  readonly owner: string | null;
  readonly callbackUrl: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/**
 * Who may read footprints over PACT. A participant (data owner) issues credentials to its customers, which see
 * its footprints; the administrator's clients see every footprint.
 */
@ApiTags("pact")
@ApiBearerAuth()
@Controller("pact")
export class PactClientsController {
  constructor(private readonly auth: PactAuthService) {}

  @Post("clients")
  @ApiOperation({ summary: "Issue PACT client credentials (the secret is shown once)" })
  @ApiCreatedResponse({ description: "The client, with client_secret and the token URL" })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreatePactClientDto,
  ): Promise<ClientView & { clientSecret: string; tokenPath: string }> {
    const { client, clientSecret } = await this.auth.createClient({
      name: body.name,
      ownerId: principal.kind === "participant" ? principal.participant.id : null,
      ...(body.callback === undefined
        ? {}
        : {
            callback: {
              url: body.callback.url.replace(/\/+$/, ""),
              clientId: body.callback.clientId,
              clientSecret: body.callback.clientSecret,
            },
          }),
    });
    return { ...toView(client), clientSecret, tokenPath: "/auth/token" };
  }

  @Get("clients")
  @ApiOperation({ summary: "PACT clients (a participant sees its own)" })
  async list(@CurrentPrincipal() principal: Principal): Promise<ClientView[]> {
    return (await this.auth.clients(ownerOf(principal))).map(toView);
  }

  @Delete("clients/:id")
  @HttpCode(204)
  @ApiOperation({ summary: "Revoke a PACT client: its tokens stop working at once" })
  async revoke(@CurrentPrincipal() principal: Principal, @Param("id") id: string): Promise<void> {
    await this.auth.revokeClient(ownerOf(principal), id);
  }

  @Get("clients/:id/events")
  @ApiOperation({ summary: "Events a PACT client sent, newest first, with the delivery of each answer" })
  async events(
    @CurrentPrincipal() principal: Principal,
    @Param("id") id: string,
  ): Promise<Array<Record<string, unknown>>> {
    const events = await this.auth.clientEvents(ownerOf(principal), id);
    return events.map(({ event, answer }) => ({
      id: event.eventId,
      type: event.type,
      source: event.source,
      receivedAt: event.receivedAt.toISOString(),
      answer: deliveryView(answer),
    }));
  }
}

function ownerOf(principal: Principal): ClientOwner {
  return principal.kind === "participant" ? principal.participant.id : undefined;
}

function toView(client: PactClientRecord): ClientView {
  return {
    id: client.id,
    clientId: client.clientId,
    name: client.name,
    owner: client.ownerId,
    callbackUrl: client.callbackUrl,
    createdAt: client.createdAt.toISOString(),
    revokedAt: client.revokedAt?.toISOString() ?? null,
  };
}

function deliveryView(delivery: DeliveryRecord | undefined): Record<string, unknown> | null {
  if (delivery === undefined) return null;
  return {
    type: delivery.body.type,
    target: delivery.target,
    status: delivery.status,
    attempts: delivery.attempts,
    lastError: delivery.lastError,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  };
}
