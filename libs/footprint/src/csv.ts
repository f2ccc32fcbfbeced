import { DomainError } from "#common";
import { classifiedActivityOf } from "./classification.js";
import type { EmissionFactor } from "./model.js";
import { parseFactorUnit } from "./units.js";

/** The columns of the curated factor set, in order. */
export const FACTOR_CSV_COLUMNS = [
  "id",
  "name",
  "category",
  "value",
  "unit",
  "region",
  "year",
  "source",
  "source_url_or_repo_path",
  "licence",
] as const;

/** A CSV row that did not become a factor, and why. */
export interface SkippedRow {
  readonly id: string;
  readonly reason: string;
}

export interface ParsedFactors {
  readonly factors: EmissionFactor[];
  readonly skipped: SkippedRow[];
}

/**
 * Reads RFC 4180 CSV: fields separated by commas, records by CRLF or LF; a field in double quotes may hold
 * commas, line breaks and doubled quotes ("" → "). A final line break does not make an empty record.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let index = 0;
  while (index < text.length) {
    const char = text.charAt(index);
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
      index += 1;
      continue;
    }
    if (char === '"' && field === "") quoted = true;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      if (char === "\r" && text[index + 1] === "\n") index += 1;
    } else field += char;
    index += 1;
  }
  if (quoted) throw new DomainError("FOOTPRINT.CSV_INVALID", "invalid", "CSV ends inside a quoted field", {});
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/**
 * Parses the factor set (`id,name,category,value,unit,region,year,source,source_url_or_repo_path,licence`) into
 * emission factors. Every data row either becomes a factor or is listed in `skipped` with its reason: a unit that
 * is not an emission factor, an unreadable value or year, a duplicate id, a wrong number of fields. The activity
 * of each factor comes from the classification table; unclassified factors are usable by id only.
 */
export function parseFactorsCsv(text: string): ParsedFactors {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ""));
  checkHeader(header ?? []);
  const factors: EmissionFactor[] = [];
  const skipped: SkippedRow[] = [];
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    if (row.length === 1 && row[0] === "") return;
    const result = factorFromRow(row, index + 2);
    if (typeof result === "string") {
      skipped.push({ id: row[0] ?? "", reason: result });
    } else if (seen.has(result.id)) {
      skipped.push({ id: result.id, reason: `duplicate id (line ${index + 2}): the first row with it is kept` });
    } else {
      seen.add(result.id);
      factors.push(result);
    }
  });
  return { factors, skipped };
}

function checkHeader(header: readonly string[]): void {
  const expected = FACTOR_CSV_COLUMNS.join(",");
  if (header.map((column) => column.trim()).join(",") !== expected) {
    throw new DomainError("FOOTPRINT.CSV_INVALID", "invalid", `Factor CSV header must be "${expected}"`, {
      header: header.join(","),
    });
  }
}

/** The factor of one data row, or why it is skipped. */
function factorFromRow(row: readonly string[], line: number): EmissionFactor | string {
  if (row.length !== FACTOR_CSV_COLUMNS.length) {
    return `line ${line} has ${row.length} fields, ${FACTOR_CSV_COLUMNS.length} expected`;
  }
  const [id = "", name = "", category = "", valueText = "", unit = "", region = "", yearText = ""] = row;
  const [source = "", sourceUrl = "", licence = ""] = row.slice(7);
  if (id.trim() === "") return `line ${line} has no id`;
  const value = Number(valueText);
  if (valueText.trim() === "" || !Number.isFinite(value)) return `value "${valueText}" is not a number`;
  const year = yearOf(yearText);
  if (year === undefined) return `year "${yearText}" is not a year or a range of years`;
  const parsed = parseFactorUnit(unit, value);
  if (parsed === undefined) return `unit "${unit}" is not an emission factor unit`;
  return {
    id: id.trim(),
    name,
    category,
    value,
    unit,
    ...parsed,
    region: region.trim(),
    year,
    source,
    sourceUrl,
    licence,
    activity: classifiedActivityOf(id.trim()),
  };
}

/**
 * "2025", or a range such as "2024-2025" (EPA equivalencies cite two editions): a range takes its first year,
 * from which the figure has been valid, so that events in either year can use it.
 */
function yearOf(text: string): number | undefined {
  const match = /^(\d{4})(?:\s*[-–]\s*(\d{4}))?$/.exec(text.trim());
  if (match === null) return undefined;
  return Number(match[1]);
}
