/**
 * The "constrained canonical" GS1 Digital Link URI of CBV 2.0 event hashing: domain https://id.gs1.org, no query
 * string, AI codes instead of short names, GTINs padded to 14 digits, no CPV (22), and only the finest level of
 * identification (a serial drops the lot).
 */
const ID_GS1_ORG = "https://id.gs1.org/";

const SHORT_NAMES: Readonly<Record<string, string>> = {
  gtin: "01",
  itip: "8006",
  cpid: "8010",
  gln: "414",
  party: "417",
  gsrnp: "8017",
  gsrn: "8018",
  gcn: "255",
  sscc: "00",
  gdti: "253",
  ginc: "401",
  gsin: "402",
  grai: "8003",
  giai: "8004",
  cpv: "22",
  lot: "10",
  ser: "21",
};

/** Characters the reference accepts in alphanumeric Digital Link values (no '%': escaped values stay as they are). */
const DL_CHAR = String.raw`["'\-.0-9;-?A-Z_a-z]`;
const alphanumeric = (max: number): RegExp => new RegExp(`^${DL_CHAR}{0,${max}}$`);

const PRIMARY_KEYS: Readonly<Record<string, RegExp>> = {
  "00": /^\d{18}$/,
  "01": /^\d{14}$/,
  "253": new RegExp(`^\\d{13}${DL_CHAR}{0,17}$`),
  "255": /^\d{13,25}$/,
  "401": alphanumeric(30),
  "402": /^\d{17}$/,
  "414": /^\d{13}$/,
  "417": /^\d{13}$/,
  "8003": new RegExp(`^\\d{14}${DL_CHAR}{0,16}$`),
  "8004": alphanumeric(30),
  "8006": /^\d{18}$/,
  "8010": /^[#\-/0-9A-Z]{0,30}$/,
  "8017": /^\d{18}$/,
  "8018": /^\d{18}$/,
};

const QUALIFIERS: Readonly<Record<string, RegExp>> = {
  "10": alphanumeric(20),
  "21": alphanumeric(20),
  "22": alphanumeric(20),
  "235": alphanumeric(28),
  "254": alphanumeric(20),
  "8011": /^\d{0,12}$/,
};

/** Qualifier sequences each primary key accepts, in Digital Link order. */
const QUALIFIER_PATHS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  "01": [["22", "10", "21"], ["235"]],
  "8006": [["22", "10", "21"]],
  "414": [["254"]],
  "8010": [["8011"]],
};

type Element = readonly [ai: string, value: string];

/** The constrained canonical form, or undefined when the URI is no (valid) GS1 Digital Link URI. */
export function canonicalDigitalLink(uri: string): string | undefined {
  const withoutQuery = uri.split("?", 1)[0] ?? "";
  const match = /^https?:\/\/[^/]*\/(.*)$/.exec(withoutQuery);
  if (match === null || withoutQuery.includes("#")) return undefined;
  const segments = (match[1] ?? "").split("/");
  const start = segments.findIndex(
    (segment, index) => Object.hasOwn(PRIMARY_KEYS, aiOf(segment)) && /^\d{4}./.test(segments[index + 1] ?? ""),
  );
  const [primary, ...qualifiers] = start < 0 ? [] : (elementsOf(segments.slice(start)) ?? []);
  return primary === undefined ? undefined : canonicalPath(primary, qualifiers);
}

function aiOf(segment: string): string {
  return own(SHORT_NAMES, segment) ?? segment;
}

/** Path segments are arbitrary text: never let one reach Object.prototype ("constructor", "toString"…). */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function elementsOf(segments: readonly string[]): Element[] | undefined {
  if (segments.length % 2 !== 0 || segments.includes("")) return undefined;
  const elements: Element[] = [];
  for (let index = 0; index < segments.length; index += 2) {
    elements.push([aiOf(segments[index] ?? ""), segments[index + 1] ?? ""]);
  }
  return elements;
}

function canonicalPath([key, rawValue]: Element, qualifiers: readonly Element[]): string | undefined {
  const value = key === "01" ? paddedGtin(rawValue) : rawValue;
  const valid =
    (own(PRIMARY_KEYS, key)?.test(value) ?? false) && qualifiers.every(([ai, text]) => own(QUALIFIERS, ai)?.test(text));
  if (!valid) {
    return undefined;
  }
  if (
    !inDigitalLinkOrder(
      key,
      qualifiers.map(([ai]) => ai),
    )
  )
    return undefined;
  const finest = finestQualifier(qualifiers);
  return `${ID_GS1_ORG}${key}/${value}${finest === undefined ? "" : `/${finest[0]}/${finest[1]}`}`;
}

/** GTIN-8, -12 and -13 become GTIN-14 by leading zeros. */
function paddedGtin(value: string): string {
  return /^(\d{8}|\d{12}|\d{13})$/.test(value) ? value.padStart(14, "0") : value;
}

function inDigitalLinkOrder(key: string, ais: readonly string[]): boolean {
  if (ais.length === 0) return true;
  return (own(QUALIFIER_PATHS, key) ?? []).some((sequence) => isOrderedSubset(ais, sequence));
}

function isOrderedSubset(ais: readonly string[], sequence: readonly string[]): boolean {
  let cursor = 0;
  for (const ai of ais) {
    cursor = sequence.indexOf(ai, cursor) + 1;
    if (cursor === 0) return false;
  }
  return true;
}

/** The CPV never identifies; a serial outranks a lot. */
function finestQualifier(qualifiers: readonly Element[]): Element | undefined {
  const kept = qualifiers.filter(([ai]) => ai !== "22");
  return kept.find(([ai]) => ai === "21") ?? kept[0];
}
