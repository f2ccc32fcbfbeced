import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from "@nestjs/common";
import {
  ApiBasicAuth,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from "@nestjs/swagger";
import type { Request, Response } from "express";
import { DomainError } from "#common";
import { PACT_EVENT_TYPES } from "#pact";
import { PactAccess } from "../auth/access.decorator.js";
import { AuthFailureLimiter } from "../auth/auth-failures.js";
import { requirePactBody } from "./pact-body.js";
import { baseUrlOf } from "../common/urls.js";
import { OAuthErrorFilter } from "./oauth-error.filter.js";
import { PactAuthService } from "./pact-auth.service.js";
import { PactErrorFilter } from "./pact-error.filter.js";
import { ApiOAuthErrors, ApiPactErrors } from "./pact-openapi.js";
import { PactGuard } from "./pact.guard.js";
import { PactService } from "./pact.service.js";

function clientOf(request: Request) {
  if (request.pactClient === undefined) throw new DomainError("PACT.INVALID_TOKEN", "unauthenticated", "No token");
  return request.pactClient;
}

/** PACT Technical Specifications v3: Action Authenticate (RFC 6749 client credentials). */
@ApiTags("pact")
@ApiBasicAuth()
@ApiOAuthErrors()
@Controller()
@PactAccess() // its own authentication: HTTP Basic client credentials, checked by the action itself
@UseFilters(OAuthErrorFilter)
export class PactTokenController {
  constructor(
    private readonly auth: PactAuthService,
    private readonly failures: AuthFailureLimiter,
  ) {}

  @Post("auth/token")
  @HttpCode(200)
  @Header("Cache-Control", "no-store")
  @ApiConsumes("application/x-www-form-urlencoded")
  @ApiBody({
    schema: {
      type: "object",
      required: ["grant_type"],
      properties: { grant_type: { type: "string", enum: ["client_credentials"] } },
    },
  })
  @ApiOperation({
    summary:
      "PACT Action Authenticate: OAuth2 client credentials (HTTP Basic client_id:client_secret, body grant_type=client_credentials) → bearer token",
  })
  token(
    @Req() request: Request,
    @Body() body: Record<string, unknown> | undefined,
  ): Promise<{ access_token: string; token_type: "Bearer"; expires_in: number }> {
    return this.failures.guard(request, () => this.auth.token(request.headers.authorization, body?.grant_type));
  }
}

/** PACT Technical Specifications v3: ListFootprints, GetFootprint, Events. */
@ApiTags("pact")
@ApiBearerAuth()
@ApiPactErrors()
@Controller("3")
@PactAccess()
@UseGuards(PactGuard)
@UseFilters(PactErrorFilter)
export class PactController {
  constructor(private readonly pact: PactService) {}

  @Get("footprints")
  @ApiOperation({
    summary:
      "PACT Action ListFootprints: filters productId, companyId, geography, classification (repeatable: any of), validOn, validAfter, validBefore, status; paging limit/offset with a Link rel=next",
  })
  @ApiOkResponse({ description: "{ data: ProductFootprint[] }" })
  async list(
    @Req() request: Request,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ data: Array<Record<string, unknown>> }> {
    const { data, next } = await this.pact.list(clientOf(request), query);
    if (next !== undefined) {
      const url = new URL(`${baseUrlOf(request)}${request.path}`);
      for (const [key, value] of Object.entries(query)) {
        if (key === "offset" || key === "limit" || key === "cursor") continue;
        for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
      }
      url.searchParams.set("limit", String(next.limit));
      if ("cursor" in next) url.searchParams.set("cursor", next.cursor);
      else url.searchParams.set("offset", String(next.offset));
      response.setHeader("Link", `<${url.toString()}>; rel="next"`);
    }
    return { data };
  }

  @Get("footprints/:id")
  @ApiOperation({ summary: "PACT Action GetFootprint" })
  @ApiOkResponse({ description: "{ data: ProductFootprint }" })
  async get(@Req() request: Request, @Param("id") id: string): Promise<{ data: Record<string, unknown> }> {
    return { data: await this.pact.get(clientOf(request), id) };
  }

  @Post("events")
  @HttpCode(200)
  @ApiBody({
    schema: {
      type: "object",
      description: "A CloudEvent 1.0 in structured JSON mode with the PACT v3 event data",
      required: ["type", "specversion", "id", "source", "time", "data"],
      properties: {
        type: { type: "string", enum: Object.values(PACT_EVENT_TYPES) },
        specversion: { type: "string", enum: ["1.0"] },
        id: { type: "string", minLength: 1, maxLength: 500 },
        source: { type: "string", minLength: 1, maxLength: 2000, example: "https://pact.customer.example" },
        time: { type: "string", format: "date-time" },
        data: { type: "object", description: "The event's data: productIds and filters, or the footprints" },
      },
    },
  })
  @ApiOperation({
    summary:
      "PACT Action Events (CloudEvents, structured JSON): RequestCreated is answered asynchronously to the client's registered host; Published, RequestFulfilled and RequestRejected are recorded",
  })
  async events(@Req() request: Request, @Body() body: unknown, @Res() response: Response): Promise<void> {
    requirePactBody(request);
    await this.pact.receive(clientOf(request), body, baseUrlOf(request));
    response.status(200).end();
  }
}
