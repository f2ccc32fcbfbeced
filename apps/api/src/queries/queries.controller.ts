import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from "@nestjs/common";
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from "@nestjs/swagger";
import type { Request, Response } from "express";
import { CurrentPrincipal } from "../auth/access.decorator.js";
import type { Principal } from "../auth/principal.js";
import { EPCIS_HEADERS } from "../capture/capture.controller.js";
import { answerEventQuery } from "../events/events.controller.js";
import { EventsService } from "../events/events.service.js";
import { QueriesService, type QueryView, type SubscriptionView } from "./queries.service.js";

/**
 * EPCIS 2.0 REST binding, named queries and subscriptions: `/queries`, `/queries/{name}`, `/queries/{name}/events`
 * (also a WebSocket stream, see query-streams.ts) and `/queries/{name}/subscriptions` (webhooks).
 */
@ApiTags("queries")
@ApiBearerAuth()
@Controller("queries")
export class QueriesController {
  constructor(
    private readonly queries: QueriesService,
    private readonly events: EventsService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: "Create a named query (SimpleEventQuery parameters, as GET /events takes them)",
    description:
      'Body `{ "name": "myQuery", "query": { "eventType": ["ObjectEvent"], "EQ_bizStep": ["shipping"] } }`. ' +
      "Queries are the caller's own: nobody else sees, runs or deletes them.",
  })
  @ApiBody({ schema: { type: "object", required: ["name", "query"] } })
  @ApiCreatedResponse({ description: "The query; Location names it" })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<QueryView> {
    const created = await this.queries.create(principal, body);
    response.set({ ...EPCIS_HEADERS, Location: `/queries/${created.name}` });
    return created;
  }

  @Get()
  @ApiOperation({ summary: "Your named queries, by name; pages follow the Link rel=next header" })
  @ApiQuery({ name: "perPage", required: false, example: 30 })
  @ApiQuery({ name: "nextPageToken", required: false })
  @ApiOkResponse({ description: "[{ name, query, createdAt }]" })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Query("perPage") perPage?: string,
    @Query("nextPageToken") nextPageToken?: string,
  ): Promise<QueryView[]> {
    const { queries, more } = await this.queries.list(principal, Number(perPage ?? 30) || 30, nextPageToken);
    const last = queries.at(-1);
    if (more && last !== undefined) {
      const next = new URLSearchParams({ perPage: String(queries.length), nextPageToken: last.name });
      response.set("Link", `<${request.baseUrl}${request.path}?${next.toString()}>; rel="next"`);
    }
    response.set(EPCIS_HEADERS);
    return queries;
  }

  @Get(":queryName")
  @ApiOperation({ summary: "One of your named queries" })
  get(@CurrentPrincipal() principal: Principal, @Param("queryName") name: string): Promise<QueryView> {
    return this.queries.get(principal, name);
  }

  @Delete(":queryName")
  @HttpCode(204)
  @ApiOperation({ summary: "Delete a named query and end all its subscriptions" })
  @ApiNoContentResponse()
  async delete(@CurrentPrincipal() principal: Principal, @Param("queryName") name: string): Promise<void> {
    await this.queries.delete(principal, name);
  }

  @Get(":queryName/events")
  @ApiOperation({
    summary: "Run a named query: its events as an EPCISQueryDocument, a page at a time",
    description:
      "JSON-LD, or the XML binding on Accept: application/xml. With `Upgrade: websocket` the same URL streams every " +
      "newly recorded matching event (one EPCISQueryDocument per message).",
  })
  @ApiQuery({ name: "perPage", required: false, example: 30 })
  @ApiQuery({ name: "nextPageToken", required: false })
  @ApiProduces("application/ld+json", "application/json", "application/xml")
  async run(
    @CurrentPrincipal() principal: Principal,
    @Param("queryName") name: string,
    @Query() paging: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Record<string, unknown> | string> {
    const { query, params } = await this.queries.eventQuery(principal, name, paging);
    return answerEventQuery(this.events, query, { params, linkParams: paging }, request, response, name);
  }

  @Post(":queryName/subscriptions")
  @HttpCode(201)
  @ApiOperation({
    summary: "Subscribe a webhook to a named query: every new matching event (stream), or on a schedule",
    description:
      'Body `{ "dest": "https://…", "signatureToken": "…", "stream": true }` or `{ "dest", "schedule": { "hour": "1", ' +
      '"minute": "5" }, "reportIfEmpty": true }`, optionally `initialRecordTime`. Deliveries are EPCISQueryDocuments ' +
      "posted with GS1-EPCIS-Version, GS1-CBV-Version and, with a token, `GS1-Signature: sha256=<HMAC-SHA256 of the " +
      "body, hex>`; retried with backoff for 72 hours. `dest` must be https and public (PACT_CALLBACK_ALLOW for tests).",
  })
  @ApiBody({ schema: { type: "object", required: ["dest"] } })
  @ApiCreatedResponse({ description: "The subscription; Location names it" })
  async subscribe(
    @CurrentPrincipal() principal: Principal,
    @Param("queryName") name: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SubscriptionView> {
    const subscription = await this.queries.subscribe(principal, name, body);
    response.set({ ...EPCIS_HEADERS, Location: `/queries/${name}/subscriptions/${subscription.subscriptionID}` });
    return subscription;
  }

  @Get(":queryName/subscriptions")
  @ApiOperation({ summary: "The query's subscriptions (their tokens are never shown)" })
  subscriptions(
    @CurrentPrincipal() principal: Principal,
    @Param("queryName") name: string,
  ): Promise<SubscriptionView[]> {
    return this.queries.subscriptions(principal, name);
  }

  @Get(":queryName/subscriptions/:subscriptionID")
  @ApiOperation({ summary: "One subscription of the query" })
  subscription(
    @CurrentPrincipal() principal: Principal,
    @Param("queryName") name: string,
    @Param("subscriptionID") id: string,
  ): Promise<SubscriptionView> {
    return this.queries.subscription(principal, name, id);
  }

  @Delete(":queryName/subscriptions/:subscriptionID")
  @HttpCode(204)
  @ApiOperation({ summary: "Unsubscribe (queued deliveries are dropped)" })
  @ApiNoContentResponse()
  async unsubscribe(
    @CurrentPrincipal() principal: Principal,
    @Param("queryName") name: string,
    @Param("subscriptionID") id: string,
  ): Promise<void> {
    await this.queries.unsubscribe(principal, name, id);
  }
}
