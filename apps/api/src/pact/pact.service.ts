import { randomUUID } from "node:crypto";
import { Injectable, Logger } from "@nestjs/common";
import { DomainError } from "#common";
import { FootprintRepository, PactRepository, type FootprintCursor, type PactClientRecord } from "#database";
import {
  PACT_EVENT_TYPES,
  expandGeography,
  criteriaFromEventData,
  criteriaFromQuery,
  parsePactEvent,
  requestFulfilledEvent,
  requestRejectedEvent,
  type FootprintCriteria,
  type PactCloudEvent,
} from "#pact";

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

/** PACT v3 Actions ListFootprints, GetFootprint and Events, for one authenticated client. */
@Injectable()
export class PactService {
  private readonly log = new Logger("pact");

  constructor(
    private readonly footprints: FootprintRepository,
    private readonly repository: PactRepository,
  ) {}

  /**
   * ListFootprints. The next page's link carries a cursor (the last footprint shown), not an offset: a footprint
   * published between two pages comes before the first one and is never shown twice or pushes one out. An
   * `offset` is still read, for links made before.
   */
  async list(
    client: PactClientRecord,
    query: Readonly<Record<string, unknown>>,
  ): Promise<{ data: Array<Record<string, unknown>>; next: NextPage | undefined }> {
    const criteria = criteriaFromQuery(query);
    const limit = pageParameter(query.limit, "limit", DEFAULT_PAGE, 0);
    const offset = pageParameter(query.offset, "offset", 0, 0);
    const after = query.cursor === undefined ? undefined : cursorOf(query.cursor);
    const filter = this.filterFor(client, criteria);
    if (limit === 0) {
      // No footprints asked for; the next page (of the default size, from the same place) when there is one.
      const { footprints } = await this.footprints.list(filter, { limit: 1, offset, ...(after ? { after } : {}) });
      const from = typeof query.cursor === "string" ? { cursor: query.cursor } : { offset };
      return { data: [], next: footprints.length === 0 ? undefined : { ...from, limit: DEFAULT_PAGE } };
    }
    const page = Math.min(limit, MAX_PAGE);
    const { footprints } = await this.footprints.list(filter, { limit: page + 1, offset, ...(after ? { after } : {}) });
    const shown = footprints.slice(0, page);
    const last = shown.at(-1);
    return {
      data: shown.map((footprint) => footprint.document),
      next: footprints.length > page && last !== undefined ? { cursor: encodeCursor(last), limit } : undefined,
    };
  }

  async get(client: PactClientRecord, id: string): Promise<Record<string, unknown>> {
    const footprint = await this.footprints.footprint(id);
    if (footprint === undefined) {
      throw new DomainError("PACT.NO_SUCH_FOOTPRINT", "not-found", `Footprint with ID '${id}' does not exist`, { id });
    }
    if (client.ownerId !== null && footprint.ownerId !== client.ownerId) {
      throw new DomainError("PACT.ACCESS_DENIED", "forbidden", "Access denied", { id });
    }
    return footprint.document;
  }

  /**
   * Accepts an event. A PF Request is answered asynchronously: its answer (Fulfilled with the matching
   * footprints, or Rejected) is queued for the client's registered host, which must be the event's `source`
   * (anything else is refused now, with a 400, rather than answered to an unchecked address). A repeated event
   * id is accepted again without being processed twice.
   */
  async receive(client: PactClientRecord, body: unknown, ownBaseUrl: string): Promise<void> {
    const event = parsePactEvent(body);
    const criteria = event.type === PACT_EVENT_TYPES.requestCreated ? criteriaFromEventData(event.data) : undefined;
    if (criteria !== undefined) this.checkSource(client, event);
    const { record, created } = await this.repository.recordEvent({
      client: client.id,
      eventId: event.id,
      type: event.type,
      source: event.source,
      body: event,
    });
    this.log.log("PACT event received", { client: client.clientId, type: event.type, id: event.id, repeat: !created });
    if (criteria === undefined || client.callbackUrl === null) return;
    const answer = await this.answer(client, event, criteria, ownBaseUrl);
    await this.repository.enqueueDelivery(record.id, eventsUrlOf(client.callbackUrl), answer);
  }

  private async answer(
    client: PactClientRecord,
    request: PactCloudEvent,
    criteria: FootprintCriteria,
    ownBaseUrl: string,
  ): Promise<PactCloudEvent> {
    const { footprints } = await this.footprints.list(this.filterFor(client, criteria), { limit: MAX_PAGE, offset: 0 });
    const common = { id: randomUUID(), source: `${ownBaseUrl}/3/events`, time: new Date(), requestEventId: request.id };
    if (footprints.length === 0) {
      return requestRejectedEvent({
        ...common,
        error: { code: "NotFound", message: "No footprint available to you matches the request's criteria" },
      });
    }
    return requestFulfilledEvent({ ...common, pfs: footprints.map((footprint) => footprint.document) });
  }

  private checkSource(client: PactClientRecord, event: PactCloudEvent): void {
    if (client.callbackUrl === null) {
      throw new DomainError(
        "PACT.NO_CALLBACK",
        "invalid",
        "This client has no registered host to answer requests to: register one (callback) with its credentials",
      );
    }
    if (hostKey(event.source) !== hostKey(client.callbackUrl)) {
      throw new DomainError(
        "PACT.SOURCE_NOT_REGISTERED",
        "invalid",
        `The event's source "${event.source}" is not this client's registered host: answers go only to ${client.callbackUrl}`,
        { source: event.source },
      );
    }
  }

  private filterFor(client: PactClientRecord, criteria: FootprintCriteria) {
    return {
      ...(client.ownerId === null ? {} : { ownerId: client.ownerId }),
      ...(criteria.productId === undefined ? {} : { productIds: criteria.productId }),
      ...(criteria.companyId === undefined ? {} : { companyIds: criteria.companyId }),
      ...(criteria.geography === undefined ? {} : { geography: expandGeography(criteria.geography) }),
      ...(criteria.classification === undefined ? {} : { classifications: criteria.classification }),
      ...(criteria.validOn === undefined ? {} : { validOn: criteria.validOn }),
      ...(criteria.validAfter === undefined ? {} : { validAfter: criteria.validAfter }),
      ...(criteria.validBefore === undefined ? {} : { validBefore: criteria.validBefore }),
      ...(criteria.status === undefined ? {} : { status: criteria.status }),
    };
  }
}

/** Where the next page starts: after a cursor, or (for links from before cursors, and limit=0) at an offset. */
export type NextPage = { readonly limit: number } & ({ readonly cursor: string } | { readonly offset: number });

/** The opaque paging cursor: the last footprint shown (its creation time and id). */
function encodeCursor(last: { createdAt: Date; id: string }): string {
  return Buffer.from(`${last.createdAt.toISOString()}|${last.id}`, "utf8").toString("base64url");
}

function cursorOf(raw: unknown): FootprintCursor {
  const text =
    typeof raw === "string" && /^[A-Za-z0-9_-]{1,200}$/.test(raw) ? Buffer.from(raw, "base64url").toString("utf8") : "";
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|([0-9a-f-]{36})$/.exec(text);
  const createdAt = match === null ? new Date(Number.NaN) : new Date(match[1] ?? "");
  if (match === null || Number.isNaN(createdAt.getTime())) {
    throw new DomainError("PACT.BAD_PAGE", "invalid", "cursor is not one this service gave in a Link header", {
      cursor: raw,
    });
  }
  return { createdAt, id: match[2] ?? "" };
}

function pageParameter(raw: unknown, name: string, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = typeof raw === "string" && /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min) {
    throw new DomainError("PACT.BAD_PAGE", "invalid", `${name} must be an integer ≥ ${String(min)}`, { [name]: raw });
  }
  return value;
}

/** `https://host/path/` and `//host/path/3/events` name the same host: compare without scheme, trailing slash or /3/events. */
export function hostKey(url: string): string {
  return url
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:(?=\/\/)/i, "")
    .replace(/\/+$/, "")
    .replace(/\/3\/events$/, "")
    .toLowerCase();
}

export function eventsUrlOf(base: string): string {
  return `${base.replace(/\/+$/, "")}/3/events`;
}
