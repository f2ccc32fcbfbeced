import { Injectable } from "@nestjs/common";
import { DomainError, isUuid } from "#common";
import { KeyVault } from "#custody";
import {
  EventRepository,
  QueryRepository,
  type EventQuery,
  type NamedQueryRecord,
  type StoredEvent,
  type SubscriptionRecord,
} from "#database";
import type { Principal } from "../auth/principal.js";
import { OutboundPolicy } from "../common/outbound.js";
import { parseEventQuery, SUPPORTED_PARAMETERS } from "../events/event-query.js";
import { mergeContexts, provenanceOf, withRecordTime } from "../events/query-document.js";
import { nextRun, parseSchedule, type QuerySchedule } from "./schedule.js";

/** The binding's query names are path segments: kept to characters that need no escaping. */
const QUERY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.~-]{0,63}$/;
const MAX_QUERIES_LISTED = 1000;
const MAX_TOKEN_LENGTH = 512;
/** Parameters a stored query may hold: paging belongs to each run, not to the query. */
const STORABLE = SUPPORTED_PARAMETERS.filter((name) => name !== "perPage" && name !== "nextPageToken");

export interface QueryView {
  readonly name: string;
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly createdAt: string;
}

export interface SubscriptionView {
  readonly subscriptionID: string;
  readonly dest: string;
  readonly createdAt: string;
  readonly stream?: true;
  readonly schedule?: QuerySchedule;
  readonly reportIfEmpty: boolean;
  /** Whether deliveries carry a GS1-Signature (the token itself is never shown again). */
  readonly signed: boolean;
}

/**
 * EPCIS 2.0 named queries and their subscriptions (REST binding `/queries`). Queries belong to whoever created them
 * (a participant, or the administrator): another caller sees none of them, runs none and changes none. A query is
 * run with the same reading rules as GET /events. Webhook subscriptions go only to addresses the outbound policy
 * allows (https, public addresses; PACT_CALLBACK_ALLOW for tests and private deployments), the same rules as PACT
 * callbacks; the subscriber's signatureToken is sealed at rest.
 */
@Injectable()
export class QueriesService {
  constructor(
    private readonly queries: QueryRepository,
    private readonly events: EventRepository,
    private readonly vault: KeyVault,
    private readonly outbound: OutboundPolicy,
  ) {}

  static ownerOf(principal: Principal): string {
    return principal.kind === "participant" ? principal.participant.id : "admin";
  }

  async create(principal: Principal, body: unknown): Promise<QueryView> {
    const { name, parameters } = readDefinition(body);
    const created = await this.queries.createQuery(QueriesService.ownerOf(principal), name, parameters);
    if (created === undefined) {
      throw new DomainError("QUERY.EXISTS", "conflict", `You already have a query named "${name}"`, { name });
    }
    return toView(created);
  }

  async list(principal: Principal, perPage: number, after?: string): Promise<{ queries: QueryView[]; more: boolean }> {
    const limit = Math.min(Math.max(perPage, 1), MAX_QUERIES_LISTED);
    const found = await this.queries.queries(QueriesService.ownerOf(principal), limit + 1, after);
    return { queries: found.slice(0, limit).map(toView), more: found.length > limit };
  }

  async get(principal: Principal, name: string): Promise<QueryView> {
    return toView(await this.require(principal, name));
  }

  async delete(principal: Principal, name: string): Promise<void> {
    if (!(await this.queries.deleteQuery(QueriesService.ownerOf(principal), name))) throw notFound(name);
  }

  /**
   * The stored query with this run's paging (`perPage`, `nextPageToken`: nothing else, the query is stored), as
   * GET /events reads it, and the parameters its page tokens are bound to.
   */
  async eventQuery(
    principal: Principal,
    name: string,
    paging: Readonly<Record<string, unknown>>,
  ): Promise<{ query: EventQuery; params: Record<string, unknown> }> {
    const stored = await this.require(principal, name);
    const other = Object.keys(paging).filter((key) => key !== "perPage" && key !== "nextPageToken");
    if (other.length > 0) {
      throw invalidQuery(`a named query takes only perPage and nextPageToken when run, not ${other.join(", ")}`);
    }
    const params = { ...joined(stored.parameters), ...paging };
    return { query: parseEventQuery(params), params };
  }

  async subscribe(principal: Principal, name: string, body: unknown): Promise<SubscriptionView> {
    const query = await this.require(principal, name);
    const input = await this.readSubscription(body);
    const afterSeq =
      input.initialRecordTime === undefined
        ? await this.events.latestSeq()
        : await this.events.seqBefore(input.initialRecordTime);
    const subscription = await this.queries.subscribe({
      queryId: query.id,
      dest: input.dest,
      sealedToken:
        input.signatureToken === undefined
          ? null
          : this.vault.sealSecret(input.signatureToken, tokenPurpose(input.dest)).toString("base64"),
      stream: input.schedule === undefined,
      schedule: input.schedule ?? null,
      reportIfEmpty: input.reportIfEmpty,
      afterSeq,
      nextRunAt: input.schedule === undefined ? null : (nextRun(input.schedule, new Date()) ?? null),
    });
    return toSubscriptionView(subscription);
  }

  async subscriptions(principal: Principal, name: string): Promise<SubscriptionView[]> {
    const query = await this.require(principal, name);
    return (await this.queries.subscriptions(query.id)).map(toSubscriptionView);
  }

  async subscription(principal: Principal, name: string, id: string): Promise<SubscriptionView> {
    const query = await this.require(principal, name);
    const found = isUuid(id) ? await this.queries.subscription(query.id, id) : undefined;
    if (found === undefined) throw subscriptionNotFound(name, id);
    return toSubscriptionView(found);
  }

  async unsubscribe(principal: Principal, name: string, id: string): Promise<void> {
    const query = await this.require(principal, name);
    if (!isUuid(id) || !(await this.queries.unsubscribe(query.id, id))) throw subscriptionNotFound(name, id);
  }

  /** The signature key of a subscription's deliveries, if its subscriber gave one. */
  tokenOf(subscription: SubscriptionRecord): string | undefined {
    if (subscription.sealedToken === null) return undefined;
    return this.vault.openSecret(Buffer.from(subscription.sealedToken, "base64"), tokenPurpose(subscription.dest));
  }

  private async require(principal: Principal, name: string): Promise<NamedQueryRecord> {
    const query = await this.queries.query(QueriesService.ownerOf(principal), name);
    if (query === undefined) throw notFound(name);
    return query;
  }

  private async readSubscription(body: unknown): Promise<{
    dest: string;
    signatureToken: string | undefined;
    schedule: QuerySchedule | undefined;
    reportIfEmpty: boolean;
    initialRecordTime: Date | undefined;
  }> {
    if (!isObject(body)) throw invalidSubscription("the body must be a JSON object with dest, and stream or schedule");
    const allowed = ["dest", "signatureToken", "stream", "schedule", "reportIfEmpty", "initialRecordTime"];
    const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
    if (unknown.length > 0) throw invalidSubscription(`unknown field(s) ${unknown.join(", ")}`);
    if (typeof body.dest !== "string" || body.dest === "")
      throw invalidSubscription("dest (a webhook URL) is required");
    const dest = (await this.outbound.checkResolved(body.dest)).toString();
    const token = body.signatureToken;
    if (token !== undefined && (typeof token !== "string" || token === "" || token.length > MAX_TOKEN_LENGTH)) {
      throw invalidSubscription(`signatureToken must be a string of 1 to ${String(MAX_TOKEN_LENGTH)} characters`);
    }
    const stream = body.stream;
    if (stream !== undefined && typeof stream !== "boolean") throw invalidSubscription("stream must be true or false");
    if ((stream === true) === (body.schedule !== undefined)) {
      throw invalidSubscription("give either stream: true (every new matching event) or a schedule, not both");
    }
    if (body.reportIfEmpty !== undefined && typeof body.reportIfEmpty !== "boolean") {
      throw invalidSubscription("reportIfEmpty must be true or false");
    }
    if (body.reportIfEmpty === true && stream === true) {
      throw invalidSubscription("reportIfEmpty applies to scheduled subscriptions only");
    }
    return {
      dest,
      signatureToken: token,
      schedule: body.schedule === undefined ? undefined : parseSchedule(body.schedule),
      reportIfEmpty: body.reportIfEmpty === true,
      initialRecordTime: initialRecordTimeOf(body.initialRecordTime),
    };
  }
}

/**
 * The EPCISQueryDocument a subscription delivers: the query's new events as GET /events shows them, with the
 * query's name and the subscription's id.
 */
export function subscriptionDocument(
  queryName: string,
  subscriptionId: string,
  events: readonly StoredEvent[],
): Record<string, unknown> {
  const { context, bodies } = mergeContexts(events);
  return {
    "@context": context,
    type: "EPCISQueryDocument",
    schemaVersion: "2.0",
    creationDate: new Date().toISOString(),
    epcisBody: {
      queryResults: {
        queryName,
        subscriptionID: subscriptionId,
        resultsBody: { eventList: events.map((event, i) => withRecordTime(bodies[i] ?? event.body, event)) },
      },
    },
    "ct:provenance": events.map(provenanceOf),
  };
}

/** The stored parameters as the query string of GET /events writes them (lists comma-separated). */
export function joined(parameters: Readonly<Record<string, readonly string[]>>): Record<string, string> {
  return Object.fromEntries(Object.entries(parameters).map(([key, values]) => [key, values.join(",")]));
}

function readDefinition(body: unknown): { name: string; parameters: Record<string, string[]> } {
  if (!isObject(body)) throw invalidQuery("the body must be { name, query }");
  const unknown = Object.keys(body).filter((key) => key !== "name" && key !== "query");
  if (unknown.length > 0) throw invalidQuery(`unknown field(s) ${unknown.join(", ")}: the body is { name, query }`);
  const { name, query } = body;
  if (typeof name !== "string" || !QUERY_NAME.test(name)) {
    throw invalidQuery("name must be 1 to 64 letters, digits, '-', '_', '.' or '~', starting with a letter or digit");
  }
  if (!isObject(query)) throw invalidQuery("query must be an object of SimpleEventQuery parameters");
  const parameters: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!STORABLE.includes(key)) {
      throw invalidQuery(`query parameter ${key} is not supported; supported: ${STORABLE.join(", ")}`);
    }
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0 || values.some((item) => typeof item !== "string" || item === "" || item.includes(","))) {
      throw invalidQuery(`query.${key} must be a string or a non-empty list of strings without commas`);
    }
    parameters[key] = values as string[];
  }
  parseEventQuery(joined(parameters));
  return { name, parameters };
}

function initialRecordTimeOf(value: unknown): Date | undefined {
  if (value === undefined) return undefined;
  const time = typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : undefined;
  if (time === undefined || Number.isNaN(time.getTime())) {
    throw invalidSubscription("initialRecordTime must be an ISO 8601 date-time");
  }
  return time;
}

function tokenPurpose(dest: string): string {
  return `epcis-subscription:${dest}`;
}

function toView(query: NamedQueryRecord): QueryView {
  return { name: query.name, query: query.parameters, createdAt: query.createdAt.toISOString() };
}

function toSubscriptionView(subscription: SubscriptionRecord): SubscriptionView {
  return {
    subscriptionID: subscription.id,
    dest: subscription.dest,
    createdAt: subscription.createdAt.toISOString(),
    ...(subscription.stream ? { stream: true as const } : {}),
    ...(subscription.schedule === null ? {} : { schedule: subscription.schedule }),
    reportIfEmpty: subscription.reportIfEmpty,
    signed: subscription.sealedToken !== null,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalidQuery(message: string): DomainError {
  return new DomainError("QUERY.INVALID", "invalid", `Not a valid named query: ${message}`);
}

function invalidSubscription(message: string): DomainError {
  return new DomainError("QUERY.SUBSCRIPTION_INVALID", "invalid", `Not a valid subscription: ${message}`);
}

function notFound(name: string): DomainError {
  return new DomainError("QUERY.NOT_FOUND", "not-found", `You have no query named "${name}"`, { name });
}

function subscriptionNotFound(name: string, id: string): DomainError {
  return new DomainError("QUERY.SUBSCRIPTION_NOT_FOUND", "not-found", `Query "${name}" has no subscription ${id}`, {
    name,
    subscriptionID: id,
  });
}
