import { DomainError } from "#common";

/**
 * The filter criteria of ListFootprints and of a PF Request Event (PACT v3 requires the same set for both).
 * Values of one criterion are alternatives (OR); different criteria must all hold (AND).
 */
export interface FootprintCriteria {
  readonly productId?: readonly string[];
  readonly companyId?: readonly string[];
  readonly geography?: readonly string[];
  readonly classification?: readonly string[];
  readonly validOn?: Date;
  readonly validAfter?: Date;
  readonly validBefore?: Date;
  readonly status?: string;
}

const LIST_CRITERIA = ["productId", "companyId", "geography", "classification"] as const;
const DATE_CRITERIA = ["validOn", "validAfter", "validBefore"] as const;

/** Query parameters other than the criteria that ListFootprints understands. */
const PAGING = new Set(["limit", "offset", "cursor"]);

/**
 * Reads criteria from query parameters (repeated parameters, or comma-free single values). An empty value
 * means "no filter" for that criterion. OData `$filter` (deprecated since v2.2) and unknown parameters are
 * refused with PACT.NOT_IMPLEMENTED rather than silently ignored, except vendor `x-` parameters, which this
 * host does not define and refuses alike.
 */
export function criteriaFromQuery(query: Readonly<Record<string, unknown>>): FootprintCriteria {
  const criteria: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(query)) {
    if (PAGING.has(key)) continue;
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === "string");
    if ((LIST_CRITERIA as readonly string[]).includes(key)) {
      const nonEmpty = values.map((v) => v.trim()).filter((v) => v !== "");
      if (nonEmpty.length > 0) criteria[key] = nonEmpty;
    } else if ((DATE_CRITERIA as readonly string[]).includes(key)) {
      criteria[key] = dateCriterion(key, values);
    } else if (key === "status") {
      if (values.length !== 1) throw badCriterion(key, "give one status");
      criteria.status = values[0];
    } else {
      throw new DomainError(
        "PACT.NOT_IMPLEMENTED",
        "invalid",
        `Filtering by "${key}" is not implemented: use productId, companyId, geography, classification, validOn, validAfter, validBefore or status`,
        { parameter: key },
      );
    }
  }
  return criteria;
}

/** Reads the criteria of a PF Request Event's `data` (the same names, arrays or single values). */
export function criteriaFromEventData(data: Readonly<Record<string, unknown>>): FootprintCriteria {
  const query: Record<string, unknown> = {};
  for (const key of [...LIST_CRITERIA, ...DATE_CRITERIA, "status"]) {
    const value = data[key];
    if (value !== undefined) query[key] = value;
  }
  return criteriaFromQuery(query);
}

/** True when the criteria ask for nothing (every footprint matches). */
export function isUnfiltered(criteria: FootprintCriteria): boolean {
  return Object.keys(criteria).length === 0;
}

function dateCriterion(key: string, values: readonly string[]): Date {
  if (values.length !== 1 || values[0] === undefined) throw badCriterion(key, "give one date-time");
  const text = values[0].trim();
  const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(text)
    ? new Date(text)
    : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw badCriterion(key, `"${text}" is not an RFC 3339 date-time`);
  return date;
}

function badCriterion(key: string, problem: string): DomainError {
  return new DomainError("PACT.BAD_CRITERION", "invalid", `${key}: ${problem}`, { parameter: key });
}
