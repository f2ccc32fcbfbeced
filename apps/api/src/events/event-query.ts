import { createHash } from "node:crypto";
import { DomainError } from "#common";
import { canonicalIdentifier, expandCbv } from "#capture";
import type { EventQuery } from "#database";

export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 1000;

const LIST_PARAMETERS = {
  eventType: "eventTypes",
  EQ_bizStep: "bizSteps",
  EQ_disposition: "dispositions",
  EQ_action: "actions",
  EQ_bizLocation: "bizLocations",
  EQ_readPoint: "readPoints",
  MATCH_epc: "matchEpc",
  MATCH_anyEPC: "matchAnyEpc",
  MATCH_epcClass: "matchEpcClass",
  MATCH_anyEPCClass: "matchAnyEpcClass",
} as const;

const TIME_PARAMETERS = {
  GE_eventTime: "geEventTime",
  LT_eventTime: "ltEventTime",
  GE_recordTime: "geRecordTime",
  LT_recordTime: "ltRecordTime",
} as const;

export const SUPPORTED_PARAMETERS = [
  ...Object.keys(LIST_PARAMETERS),
  ...Object.keys(TIME_PARAMETERS),
  "perPage",
  "nextPageToken",
];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Turns the EPCIS REST query parameters into an EventQuery. Lists are comma-separated; identifiers may be EPC
 * URNs or Digital Link URIs, CBV terms bare or full. Unknown parameters are refused (a typo would otherwise
 * silently widen the result).
 */
export function parseEventQuery(params: Readonly<Record<string, unknown>>): EventQuery {
  const unknown = Object.keys(params).filter((key) => !SUPPORTED_PARAMETERS.includes(key));
  if (unknown.length > 0) {
    throw invalid(
      `Unsupported query parameter(s): ${unknown.join(", ")}; supported: ${SUPPORTED_PARAMETERS.join(", ")}`,
    );
  }
  const query: Mutable<EventQuery> = { limit: perPage(params.perPage) };
  for (const [param, key] of Object.entries(LIST_PARAMETERS)) {
    const values = list(params[param], param);
    if (values === undefined) continue;
    query[key] = values.map((value) => normalise(param, value));
  }
  for (const [param, key] of Object.entries(TIME_PARAMETERS)) {
    const raw = single(params[param], param);
    if (raw === undefined) continue;
    const time = new Date(raw);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(time.getTime())) {
      throw invalid(`${param} must be an ISO 8601 date-time, got "${raw}"`);
    }
    query[key] = time;
  }
  const token = single(params.nextPageToken, "nextPageToken");
  if (token !== undefined) query.after = readPageToken(token, params);
  return query;
}

function normalise(param: string, value: string): string {
  if (param === "EQ_bizStep") return expandCbv(value, "BizStep-") ?? value;
  if (param === "EQ_disposition") return expandCbv(value, "Disp-") ?? value;
  if (param.startsWith("MATCH_") || param === "EQ_bizLocation" || param === "EQ_readPoint")
    return canonicalIdentifier(value);
  return value;
}

function perPage(raw: unknown): number {
  const value = single(raw, "perPage");
  if (value === undefined) return DEFAULT_PER_PAGE;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PER_PAGE)
    throw invalid(`perPage must be an integer from 1 to ${MAX_PER_PAGE}`);
  return n;
}

function single(raw: unknown, name: string): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== "string") throw invalid(`${name} may appear once`);
  return raw;
}

function list(raw: unknown, name: string): string[] | undefined {
  const value = single(raw, name);
  if (value === undefined) return undefined;
  const items = value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  if (items.length === 0) throw invalid(`${name} is empty`);
  return items;
}

/** Opaque to clients: the position after the last event served, bound to the query it came from. */
export function pageToken(
  last: { recordTime: Date; eventHash: string },
  params: Readonly<Record<string, unknown>>,
): string {
  return Buffer.from(
    JSON.stringify({ t: last.recordTime.toISOString(), h: last.eventHash, q: queryFingerprint(params) }),
  ).toString("base64url");
}

function readPageToken(
  token: string,
  params: Readonly<Record<string, unknown>>,
): { recordTime: Date; eventHash: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      t?: unknown;
      h?: unknown;
      q?: unknown;
    };
    if (typeof parsed.t !== "string" || typeof parsed.h !== "string" || parsed.q !== queryFingerprint(params))
      throw new Error("mismatch");
    return { recordTime: new Date(parsed.t), eventHash: parsed.h };
  } catch {
    throw invalid("nextPageToken is not valid for this query (tokens belong to the query that produced them)");
  }
}

function queryFingerprint(params: Readonly<Record<string, unknown>>): string {
  const relevant = Object.entries(params)
    .filter(([key]) => key !== "nextPageToken" && key !== "perPage")
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash("sha256").update(JSON.stringify(relevant)).digest("base64url").slice(0, 16);
}

function invalid(message: string): DomainError {
  return new DomainError("QUERY.PARAMETER_INVALID", "invalid", message);
}
