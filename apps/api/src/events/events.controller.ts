import { Controller, Get, Param, Query, Req, Res } from "@nestjs/common";
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from "@nestjs/swagger";
import type { Request, Response } from "express";
import { documentToXml } from "#epcis";
import { EPCIS_HEADERS } from "../capture/capture.controller.js";
import type { EventQuery } from "#database";
import { pageToken, parseEventQuery } from "./event-query.js";
import { EventsService } from "./events.service.js";
import { eventDocument, mergeContexts, provenanceOf, withRecordTime } from "./query-document.js";

@ApiTags("events")
@ApiBearerAuth()
@Controller("events")
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @ApiOperation({
    summary: "Query events (EPCIS 2.0 REST binding, SimpleEventQuery parameters)",
    description:
      'Returns an EPCISQueryDocument. Lists are comma-separated. Pages follow the `Link: <…>; rel="next"` header. ' +
      "`ct:provenance` says, per event, who signed it and whether the service signed for a custodial participant.",
  })
  @ApiQuery({ name: "eventType", required: false, example: "TransformationEvent" })
  @ApiQuery({ name: "EQ_bizStep", required: false, example: "shipping" })
  @ApiQuery({ name: "GE_eventTime", required: false, example: "2026-01-01T00:00:00Z" })
  @ApiQuery({ name: "LT_eventTime", required: false })
  @ApiQuery({ name: "MATCH_epc", required: false })
  @ApiQuery({ name: "MATCH_anyEPCClass", required: false, example: "urn:epc:class:lgtin:4012345.012345.998877" })
  @ApiQuery({ name: "EQ_bizLocation", required: false })
  @ApiQuery({ name: "perPage", required: false, example: 30 })
  @ApiQuery({ name: "nextPageToken", required: false })
  @ApiProduces("application/ld+json", "application/json", "application/xml")
  @ApiOkResponse({ description: "EPCISQueryDocument: JSON-LD, or the XML binding on Accept: application/xml" })
  async query(
    @Query() params: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Record<string, unknown> | string> {
    return answerEventQuery(this.events, parseEventQuery(params), { params, linkParams: params }, request, response);
  }

  @Get(":eventID")
  @ApiOperation({
    summary: "One event by its eventID (or its CBV event hash); percent-encode it in the path",
    description: "Headers carry provenance: CarbonTrace-Event-Hash, CarbonTrace-Signer, CarbonTrace-Custodial.",
  })
  @ApiParam({ name: "eventID", example: "ni%3A%2F%2F%2Fsha-256%3Bffa4…%3Fver%3DCBV2.0" })
  @ApiProduces("application/ld+json", "application/json", "application/xml")
  @ApiOkResponse({ description: "The event as JSON-LD, or (Accept: application/xml) an EPCISDocument holding it" })
  async get(
    @Param("eventID") eventId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Record<string, unknown> | string> {
    const event = await this.events.event(eventId);
    response.set({
      ...EPCIS_HEADERS,
      "CarbonTrace-Event-Hash": event.eventHash,
      "CarbonTrace-Signer": event.signer,
      "CarbonTrace-Custodial": String(event.custodial),
      ...(event.errorDeclaration === null ? {} : { "CarbonTrace-Retracted": "true" }),
    });
    const document = eventDocument(event);
    return negotiated(request, response, wantsXml(request) ? asEpcisDocument(document) : document);
  }
}

/** One event as the EPCISDocument that holds it: the XML binding has no bare event. */
function asEpcisDocument(document: Record<string, unknown>): Record<string, unknown> {
  const { "@context": context, ...event } = document;
  return {
    "@context": context,
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: new Date().toISOString(),
    epcisBody: { eventList: [event] },
  };
}

/**
 * One page of a query as an EPCISQueryDocument (JSON-LD, or XML on request), with the next page's link. `params`
 * are what the page token is bound to; `linkParams` go into the link (a named query's URL holds the query itself).
 */
export async function answerEventQuery(
  events: EventsService,
  query: EventQuery,
  paging: {
    readonly params: Readonly<Record<string, unknown>>;
    readonly linkParams: Readonly<Record<string, unknown>>;
  },
  request: Request,
  response: Response,
  queryName = "SimpleEventQuery",
): Promise<Record<string, unknown> | string> {
  const { events: page, more } = await events.page(query);
  const last = page.at(-1);
  if (more && last !== undefined) {
    const next = new URLSearchParams(
      Object.entries(paging.linkParams).filter(
        (e): e is [string, string] => typeof e[1] === "string" && e[0] !== "nextPageToken",
      ),
    );
    next.set("nextPageToken", pageToken(last, paging.params));
    response.set("Link", `<${request.baseUrl}${request.path}?${next.toString()}>; rel="next"`);
  }
  response.set(EPCIS_HEADERS);
  const { context, bodies } = mergeContexts(page);
  return negotiated(request, response, {
    "@context": context,
    type: "EPCISQueryDocument",
    schemaVersion: "2.0",
    creationDate: new Date().toISOString(),
    epcisBody: {
      queryResults: {
        queryName,
        resultsBody: { eventList: page.map((event, i) => withRecordTime(bodies[i] ?? event.body, event)) },
      },
    },
    "ct:provenance": page.map(provenanceOf),
  });
}

const JSON_TYPES = ["application/json", "application/ld+json"];
const XML_TYPES = ["application/xml", "text/xml"];

/** `Accept: application/xml` (preferred over JSON) asks for the XML binding; anything else gets JSON-LD. */
function wantsXml(request: Request): boolean {
  const best = request.accepts([...JSON_TYPES, ...XML_TYPES]);
  return typeof best === "string" && XML_TYPES.includes(best);
}

/** The document as JSON-LD, or in the XML binding when the caller asks for it (same events, same hashes). */
function negotiated(
  request: Request,
  response: Response,
  document: Record<string, unknown>,
): Record<string, unknown> | string {
  response.vary("Accept");
  if (!wantsXml(request)) return document;
  response.type("application/xml");
  return documentToXml(document);
}
