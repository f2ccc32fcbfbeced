import { DomainError } from "#common";

/**
 * Carbon-credit serial numbers as the registries print them. One serial string names a contiguous block of
 * credits (1 credit = 1 t CO2e); each registry numbers its credits inside some scope, the serial block, and a
 * credit is identified by (registry, block, number). Retiring part of a holding splits the range; double
 * retirement is caught by refusing any range that overlaps one already retired in the same block.
 *
 * Formats read (see /data README, "Carbon-credit serial formats"):
 * - Verra VCU: `<batch>-<first>-<last>-VCS-VCU-<other id>-VER-<country>-<sector>-<project>-<DDMMYYYY start>-<DDMMYYYY end>-<flag>`.
 * - Gold Standard: `GS<n>-<n>-<country>-GS<project>-<n>-<vintage>-<batch>-<first>-<last>`. Numbering restarts
 *   in every batch. The last two fields are the range (registry exports show `…-6086-16149-16158`, 10 credits;
 *   here `…-30256-110-5463` is credits 110 to 5463 of batch 30256, 5354 credits): the field before them is the
 *   batch, so it belongs to the block.
 * - ACR: `ACR-<country>-<project>-<vintage>-<batch>-<first> to <last>`.
 * - CAR: `CAR-<n>-<country>-<project>-<n>-<n>-<state>-<vintage>-<batch>-<first> to <last>`.
 * - CDM (Kyoto units): the field order of real CDM strings is unconfirmed, so this library defines its own,
 *   explicit format: `CDM-<originating party ISO2>-<CER|tCER|lCER>-<supplementary unit type>-<first>-<last>-<original commitment period 1|2>-<project id>[-<vintage YYYY>]`.
 *   Without the vintage field the vintage is the last year of the commitment period (2012 or 2020): an upper
 *   bound, not the year the reductions happened.
 */
export type Registry = "VERRA" | "GOLD_STANDARD" | "ACR" | "CAR" | "CDM";

export const REGISTRIES: readonly Registry[] = ["VERRA", "GOLD_STANDARD", "ACR", "CAR", "CDM"];

/** A parsed serial: one contiguous range of credits inside one serial block. */
export interface CreditSerialRange {
  readonly registry: Registry;
  /**
   * The scope inside which serial numbers are unique: the serial with its first and last serial fields removed
   * (for CDM also without the optional vintage field, so both spellings of the same units share a block). For
   * Gold Standard, ACR and CAR that is the prefix up to the range, batch included, because their numbering
   * restarts in every batch. For Verra every other field stays in the key: the parts a registry splits a block
   * into keep batch, project, dates and flag unchanged, so they share it; a string whose fields differ from the
   * registry's record is another (or a mistyped) block, which checking the retirement against the registry
   * catches, not this key. Verra numbers appear to come from one registry-wide sequence (941,412,555 is of the
   * order of all VCUs ever issued), so the key is probably narrower than needed, but never too wide.
   */
  readonly serialBlock: string;
  /** The project identifier as the serial writes it: "3005" (VCS 3005), "GS11603", "1129" (ACR1129). */
  readonly projectId: string;
  /**
   * Vintage year. Verra: the year of the vintage end date (`vintageStart` keeps the start for stricter
   * policies); Gold Standard, ACR, CAR: the vintage field; CDM: see the format above.
   */
  readonly vintage: number;
  /** Start of the monitoring period, ISO date (Verra only). */
  readonly vintageStart?: string;
  /** End of the monitoring period, ISO date (Verra only). */
  readonly vintageEnd?: string;
  /** ISO 3166-1 alpha-2 country of the project (for CDM: the originating party). */
  readonly country?: string;
  /** Unit type where the serial names one: "VCU", "CER", "tCER", "lCER". */
  readonly unitType?: string;
  readonly firstSerial: bigint;
  readonly lastSerial: bigint;
  /** lastSerial − firstSerial + 1 credits, 1 credit = 1 t CO2e. */
  readonly quantity: bigint;
  /** The serial rewritten in the registry's own format (single spaces around "to", no leading zeros). */
  readonly canonical: string;
}

/** The fields range helpers need; a stored range rebuilt from a database row satisfies it. */
export type SerialRangeLike = Pick<CreditSerialRange, "registry" | "serialBlock" | "firstSerial" | "lastSerial">;

export interface ParseSerialOptions {
  /** Clock for the vintage plausibility check (vintage ≤ this year + 1). */
  readonly now?: Date;
}

const MAX_SERIAL_LENGTH = 200;
const EARLIEST_VINTAGE = 1990;
const CDM_UNIT_TYPES = ["CER", "tCER", "lCER"];
const CDM_PERIOD_END: Readonly<Record<string, number>> = { "1": 2012, "2": 2020 };
const REGISTRY_NAMES: Readonly<Record<Registry, string>> = {
  VERRA: "Verra",
  GOLD_STANDARD: "Gold Standard",
  ACR: "ACR",
  CAR: "CAR",
  CDM: "CDM",
};

/**
 * Parses and validates one serial. Without `registry` the registry is recognised from the serial's shape;
 * with it, a serial of another registry is refused (OFFSET.SERIAL_REGISTRY). Errors: OFFSET.SERIAL_FORMAT
 * (shape or a field), OFFSET.SERIAL_RANGE (first > last), OFFSET.VINTAGE (dates or year), all kind "invalid".
 */
export function parseCreditSerial(
  serial: string,
  registry?: Registry,
  options: ParseSerialOptions = {},
): CreditSerialRange {
  const text = serial.trim();
  if (text === "" || text.length > MAX_SERIAL_LENGTH) {
    throw formatError(serial, undefined, `A serial must be 1 to ${MAX_SERIAL_LENGTH} characters long`);
  }
  const detected = detectRegistry(text);
  if (detected === undefined) {
    throw formatError(serial, undefined, "The serial is not in the format of Verra, Gold Standard, ACR, CAR or CDM");
  }
  if (registry !== undefined && registry !== detected) {
    throw new DomainError(
      "OFFSET.SERIAL_REGISTRY",
      "invalid",
      `The serial looks like a ${REGISTRY_NAMES[detected]} serial, not a ${REGISTRY_NAMES[registry]} one`,
      { serial, expected: registry, detected },
    );
  }
  const maxVintage = (options.now ?? new Date()).getUTCFullYear() + 1;
  const reader = new FieldReader(serial, detected, maxVintage);
  switch (detected) {
    case "VERRA":
      return parseVerra(text, reader);
    case "GOLD_STANDARD":
      return parseGoldStandard(text, reader);
    case "ACR":
      return parseAcr(text, reader);
    case "CAR":
      return parseCar(text, reader);
    case "CDM":
      return parseCdm(text, reader);
  }
}

/**
 * The serial of credits `first`..`last` of the same block, in the registry's format. The sub-range must lie
 * inside `parsed` (OFFSET.SERIAL_RANGE otherwise): only credits of the holding can be named.
 */
export function formatSerial(parsed: CreditSerialRange, first: bigint, last: bigint): string {
  checkSubRange(parsed, first, last);
  const parts = parsed.canonical.split("-");
  switch (parsed.registry) {
    case "VERRA":
      return [parts[0], first, last, ...parts.slice(3)].join("-");
    case "CDM":
      return [...parts.slice(0, 4), first, last, ...parts.slice(6)].join("-");
    case "GOLD_STANDARD":
      return [...parts.slice(0, -2), first, last].join("-");
    case "ACR":
    case "CAR":
      return `${parsed.serialBlock}-${first} to ${last}`;
  }
}

/** The first `count` credits of a holding (first..first+count−1), e.g. the part retired for one lot. */
export function subRange(parsed: CreditSerialRange, count: bigint | number): CreditSerialRange {
  const n = creditCount(parsed, count);
  return rangeOf(parsed, parsed.firstSerial, parsed.firstSerial + n - 1n);
}

/** Splits a holding into its first `count` credits and the rest (null when nothing is left). */
export function splitRange(
  parsed: CreditSerialRange,
  count: bigint | number,
): { readonly taken: CreditSerialRange; readonly remaining: CreditSerialRange | null } {
  const taken = subRange(parsed, count);
  const remaining =
    taken.lastSerial === parsed.lastSerial ? null : rangeOf(parsed, taken.lastSerial + 1n, parsed.lastSerial);
  return { taken, remaining };
}

/** Whether two ranges share at least one credit: same registry, same block, intersecting numbers. */
export function rangesOverlap(a: SerialRangeLike, b: SerialRangeLike): boolean {
  return (
    a.registry === b.registry &&
    a.serialBlock === b.serialBlock &&
    a.firstSerial <= b.lastSerial &&
    b.firstSerial <= a.lastSerial
  );
}

function detectRegistry(text: string): Registry | undefined {
  if (/^\d+-\d+-\d+-/.test(text) || /-VCS-|-VCU-/.test(text)) return "VERRA";
  if (text.startsWith("GS")) return "GOLD_STANDARD";
  if (text.startsWith("ACR-")) return "ACR";
  if (text.startsWith("CAR-")) return "CAR";
  if (text.startsWith("CDM-")) return "CDM";
  return undefined;
}

function parseVerra(text: string, r: FieldReader): CreditSerialRange {
  const f = r.split(text, 13, "batch-first-last-VCS-VCU-other id-VER-country-sector-project-start-end-flag");
  const batch = r.digits("batch", f[0]);
  const range = r.range(f[1], f[2]);
  const rest = [
    r.literal("programme", f[3], ["VCS"]),
    r.literal("unit type", f[4], ["VCU"]),
    r.digits("methodology or other id", f[5]),
    r.literal("registry code", f[6], ["VER"]),
    r.country("country", f[7]),
    r.digits("sector", f[8]),
    r.digits("project id", f[9]),
    r.dateField("vintage start date", f[10]),
    r.dateField("vintage end date", f[11]),
    r.digits("flag", f[12]),
  ] as const;
  const [, unitType, , , country, , projectId, start, end] = rest;
  const vintageStart = r.date("vintage start date", start);
  const vintageEnd = r.date("vintage end date", end);
  if (vintageStart > vintageEnd) {
    throw r.vintageError(`The vintage start date ${start} is after the vintage end date ${end}`);
  }
  r.vintageYear("vintage start date", Number(vintageStart.slice(0, 4)));
  const vintage = r.vintageYear("vintage end date", Number(vintageEnd.slice(0, 4)));
  return {
    registry: "VERRA",
    serialBlock: [batch, ...rest].join("-"),
    projectId,
    vintage,
    vintageStart,
    vintageEnd,
    country,
    unitType,
    ...range,
    canonical: [batch, range.firstSerial, range.lastSerial, ...rest].join("-"),
  };
}

function parseGoldStandard(text: string, r: FieldReader): CreditSerialRange {
  const f = r.split(text, 9, "GS1-n-country-GS project-n-vintage-batch-first-last");
  const country = r.country("country", f[2]);
  const projectId = r.pattern("project id", f[3], /^GS\d+$/, 'be "GS" followed by digits');
  const block = [
    r.pattern("programme", f[0], /^GS\d+$/, 'be "GS" followed by digits'),
    r.digits("unit type code", f[1]),
    country,
    projectId,
    r.digits("product code", f[4]),
    r.yearField("vintage", f[5]),
    r.digits("batch", f[6]),
  ].join("-");
  const range = r.range(f[7], f[8]);
  return {
    registry: "GOLD_STANDARD",
    serialBlock: block,
    projectId,
    vintage: r.year("vintage", f[5]),
    country,
    ...range,
    canonical: `${block}-${range.firstSerial}-${range.lastSerial}`,
  };
}

function parseAcr(text: string, r: FieldReader): CreditSerialRange {
  const { head, last } = r.splitTo(text);
  const f = r.split(head, 6, "ACR-country-project-vintage-batch-first");
  const country = r.country("country", f[1]);
  const projectId = r.digits("project id", f[2]);
  const block = [
    r.literal("registry code", f[0], ["ACR"]),
    country,
    projectId,
    r.yearField("vintage", f[3]),
    r.digits("batch", f[4]),
  ].join("-");
  const range = r.range(f[5], last);
  return {
    registry: "ACR",
    serialBlock: block,
    projectId,
    vintage: r.year("vintage", f[3]),
    country,
    ...range,
    canonical: `${block}-${range.firstSerial} to ${range.lastSerial}`,
  };
}

function parseCar(text: string, r: FieldReader): CreditSerialRange {
  const { head, last } = r.splitTo(text);
  const f = r.split(head, 10, "CAR-n-country-project-n-n-state-vintage-batch-first");
  const country = r.country("country", f[2]);
  const projectId = r.digits("project id", f[3]);
  const block = [
    r.literal("registry code", f[0], ["CAR"]),
    r.digits("second field", f[1]),
    country,
    projectId,
    r.digits("fifth field", f[4]),
    r.digits("sixth field", f[5]),
    r.pattern("state", f[6], /^[A-Z]{2}$/, "be two capital letters"),
    r.yearField("vintage", f[7]),
    r.digits("batch", f[8]),
  ].join("-");
  const range = r.range(f[9], last);
  return {
    registry: "CAR",
    serialBlock: block,
    projectId,
    vintage: r.year("vintage", f[7]),
    country,
    ...range,
    canonical: `${block}-${range.firstSerial} to ${range.lastSerial}`,
  };
}

function parseCdm(text: string, r: FieldReader): CreditSerialRange {
  const withVintage = text.split("-").length === 9;
  const f = r.split(
    text,
    withVintage ? 9 : 8,
    "CDM-party-unit type-supplementary type-first-last-period-project[-vintage]",
  );
  const head = [
    r.literal("registry code", f[0], ["CDM"]),
    r.country("originating party", f[1]),
    r.literal("unit type", f[2], CDM_UNIT_TYPES),
    r.digits("supplementary unit type", f[3]),
  ] as const;
  const range = r.range(f[4], f[5]);
  const period = r.literal("commitment period", f[6], Object.keys(CDM_PERIOD_END));
  const projectId = r.digits("project id", f[7]);
  const periodEnd = CDM_PERIOD_END[period] ?? 0;
  const tail: string[] = [period, projectId];
  let vintage = periodEnd;
  if (withVintage) {
    vintage = r.year("vintage", f[8]);
    if (vintage > periodEnd) {
      throw r.vintageError(`The vintage ${vintage} is after the end of commitment period ${period} (${periodEnd})`);
    }
    tail.push(String(vintage));
  }
  return {
    registry: "CDM",
    serialBlock: [...head, period, projectId].join("-"),
    projectId,
    vintage,
    country: head[1],
    unitType: head[2],
    ...range,
    canonical: [...head, range.firstSerial, range.lastSerial, ...tail].join("-"),
  };
}

/** Validates fields one by one and names the field that is wrong in every error. */
class FieldReader {
  constructor(
    private readonly serial: string,
    private readonly registry: Registry,
    private readonly maxVintage: number,
  ) {}

  split(text: string, count: number, layout: string): readonly (string | undefined)[] {
    const fields = text.split("-");
    if (fields.length !== count) {
      throw formatError(
        this.serial,
        this.registry,
        `A ${REGISTRY_NAMES[this.registry]} serial has ${count} fields separated by "-" (${layout}); this one has ${fields.length}`,
      );
    }
    return fields;
  }

  splitTo(text: string): { head: string; last: string } {
    const match = /^(\S+)\s+to\s+(\S+)$/.exec(text);
    if (match?.[1] === undefined || match[2] === undefined) {
      throw formatError(
        this.serial,
        this.registry,
        `A ${REGISTRY_NAMES[this.registry]} serial ends with "<first> to <last>"`,
      );
    }
    return { head: match[1], last: match[2] };
  }

  digits(field: string, value: string | undefined): string {
    return this.pattern(field, value, /^\d+$/, "contain digits only");
  }

  pattern(field: string, value: string | undefined, pattern: RegExp, rule: string): string {
    if (value === undefined || !pattern.test(value)) {
      throw formatError(this.serial, this.registry, `The ${field} "${value ?? ""}" must ${rule}`, field);
    }
    return value;
  }

  literal(field: string, value: string | undefined, allowed: readonly string[]): string {
    if (value === undefined || !allowed.includes(value)) {
      const expected = allowed.map((a) => `"${a}"`).join(" or ");
      throw formatError(this.serial, this.registry, `The ${field} "${value ?? ""}" must be ${expected}`, field);
    }
    return value;
  }

  country(field: string, value: string | undefined): string {
    return this.pattern(field, value, /^[A-Z]{2}$/, "be an ISO 3166 country code of two capital letters");
  }

  range(
    first: string | undefined,
    last: string | undefined,
  ): Pick<CreditSerialRange, "firstSerial" | "lastSerial" | "quantity"> {
    const firstSerial = BigInt(this.digits("first serial number", first));
    const lastSerial = BigInt(this.digits("last serial number", last));
    if (firstSerial > lastSerial) {
      throw new DomainError(
        "OFFSET.SERIAL_RANGE",
        "invalid",
        `The first serial number ${firstSerial} is greater than the last serial number ${lastSerial}`,
        { serial: this.serial, registry: this.registry, field: "firstSerial" },
      );
    }
    return { firstSerial, lastSerial, quantity: lastSerial - firstSerial + 1n };
  }

  /** A field written DDMMYYYY (eight digits); whether it is a real date is checked by `date`. */
  dateField(field: string, value: string | undefined): string {
    return this.pattern(field, value, /^\d{8}$/, "be a date written DDMMYYYY");
  }

  /** A DDMMYYYY date that exists in the calendar, returned as an ISO date. */
  date(field: string, value: string): string {
    const [day, month, year] = [Number(value.slice(0, 2)), Number(value.slice(2, 4)), Number(value.slice(4))];
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      throw this.vintageError(`The ${field} "${value}" is not a real calendar date (DDMMYYYY)`, field);
    }
    return `${value.slice(4)}-${value.slice(2, 4)}-${value.slice(0, 2)}`;
  }

  yearField(field: string, value: string | undefined): string {
    return this.pattern(field, value, /^\d{4}$/, "be a four-digit year");
  }

  year(field: string, value: string | undefined): number {
    return this.vintageYear(field, Number(this.yearField(field, value)));
  }

  vintageYear(field: string, year: number): number {
    if (year < EARLIEST_VINTAGE || year > this.maxVintage) {
      throw this.vintageError(
        `The ${field} year ${year} is not a plausible vintage (${EARLIEST_VINTAGE} to ${this.maxVintage})`,
        field,
      );
    }
    return year;
  }

  vintageError(message: string, field = "vintage"): DomainError {
    return new DomainError("OFFSET.VINTAGE", "invalid", message, {
      serial: this.serial,
      registry: this.registry,
      field,
    });
  }
}

function formatError(serial: string, registry: Registry | undefined, message: string, field?: string): DomainError {
  return new DomainError("OFFSET.SERIAL_FORMAT", "invalid", message, {
    serial,
    ...(registry === undefined ? {} : { registry }),
    ...(field === undefined ? {} : { field }),
  });
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return [4, 6, 9, 11].includes(month) ? 30 : 31;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}

function checkSubRange(parsed: CreditSerialRange, first: bigint, last: bigint): void {
  if (first > last || first < parsed.firstSerial || last > parsed.lastSerial) {
    throw new DomainError(
      "OFFSET.SERIAL_RANGE",
      "invalid",
      `The range ${first} to ${last} is not inside the holding ${parsed.firstSerial} to ${parsed.lastSerial}`,
      { serialBlock: parsed.serialBlock, first: first.toString(), last: last.toString() },
    );
  }
}

function creditCount(parsed: CreditSerialRange, count: bigint | number): bigint {
  const n = typeof count === "bigint" ? count : Number.isSafeInteger(count) ? BigInt(count) : 0n;
  if (n < 1n || n > parsed.quantity) {
    throw new DomainError(
      "OFFSET.SERIAL_RANGE",
      "invalid",
      `The number of credits must be a whole number from 1 to ${parsed.quantity}; got ${String(count)}`,
      { serialBlock: parsed.serialBlock, count: String(count) },
    );
  }
  return n;
}

function rangeOf(parsed: CreditSerialRange, first: bigint, last: bigint): CreditSerialRange {
  return {
    ...parsed,
    firstSerial: first,
    lastSerial: last,
    quantity: last - first + 1n,
    canonical: formatSerial(parsed, first, last),
  };
}
