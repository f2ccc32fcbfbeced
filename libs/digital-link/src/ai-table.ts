import { type CharacterSet } from "./linters.js";
import { SYNTAX_DICTIONARY } from "./syntax-dictionary.js";

/** One component of an AI value, e.g. `N13,csum,gcppos1` or the optional `[X..17]` that follows it. */
export interface AiComponent {
  readonly cset: CharacterSet;
  readonly min: number;
  readonly max: number;
  readonly optional: boolean;
  readonly linters: readonly string[];
}

/** How an AI may appear in the query string of a Digital Link URI. */
export type DataAttribute = "allowed" | "forbidden" | "unknown-ai";

export interface AiEntry {
  /** The AI digits; empty for an unknown AI whose length its prefix does not fix. */
  readonly ai: string;
  readonly title: string;
  /** Predefined-length AIs (00, 01, 11–17, 31nn, 410–417, …) are not followed by FNC1. */
  readonly fnc1: boolean;
  readonly dataAttribute: DataAttribute;
  readonly components: readonly AiComponent[];
  /** Alternative ordered qualifier lists when this AI is a Digital Link primary key (`dlpkey`). */
  readonly keyQualifiers: readonly (readonly string[])[] | null;
}

export interface LookupOptions {
  readonly permitUnknownAis: boolean;
}

export const MIN_AI_LENGTH = 2;
export const MAX_AI_LENGTH = 4;

const COMPONENT = /^(\[)?([NXYZ])(\.\.)?(\d+)\]?((?:,\w+)*)$/;

function parseComponent(token: string): AiComponent {
  const match = COMPONENT.exec(token);
  if (!match) throw new Error(`syntax dictionary: bad component "${token}"`);
  const [, bracket, cset, range, length = "", linters = ""] = match;
  const max = Number(length);
  return {
    cset: cset as CharacterSet,
    min: range ? 1 : max,
    max,
    optional: bracket !== undefined,
    linters: linters.split(",").filter(Boolean),
  };
}

function parseKeyQualifiers(attributes: readonly string[]): AiEntry["keyQualifiers"] {
  const dlpkey = attributes.find((attribute) => attribute === "dlpkey" || attribute.startsWith("dlpkey="));
  if (dlpkey === undefined) return null;
  if (dlpkey === "dlpkey") return [[]];
  return dlpkey
    .slice("dlpkey=".length)
    .split("|")
    .map((alternative) => alternative.split(","));
}

function aisOfRange(range: string): string[] {
  const [first = "", last = first] = range.split("-");
  const ais: string[] = [];
  for (let n = Number(first); n <= Number(last); n++) ais.push(String(n).padStart(first.length, "0"));
  return ais;
}

function parseDictionaryLine(line: string): AiEntry[] {
  const [definition = "", title = ""] = line.split("#", 2);
  const [range = "", ...tokens] = definition.trim().split(/\s+/);
  const flags = tokens[0] !== undefined && /^[*?]+$/.test(tokens[0]) ? (tokens.shift() ?? "") : "";
  const components = tokens.filter((token) => /^\[?[NXYZ]\d|^\[?[NXYZ]\.\./.test(token)).map(parseComponent);
  const attributes = tokens.filter((token) => !/^\[?[NXYZ]\d|^\[?[NXYZ]\.\./.test(token));
  return aisOfRange(range).map((ai) => ({
    ai,
    title: title.trim(),
    fnc1: !flags.includes("*"),
    dataAttribute: flags.includes("?") ? "allowed" : "forbidden",
    components,
    keyQualifiers: parseKeyQualifiers(attributes),
  }));
}

const ENTRIES: ReadonlyMap<string, AiEntry> = new Map(
  SYNTAX_DICTIONARY.split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap(parseDictionaryLine)
    .map((entry) => [entry.ai, entry]),
);

/** Every AI the dictionary defines, in dictionary order. */
export function dictionaryEntries(): readonly AiEntry[] {
  return [...ENTRIES.values()];
}

/** All AIs sharing their first two digits have the same length; 0 where no AI with that prefix exists. */
const AI_LENGTH_BY_PREFIX: ReadonlyMap<string, number> = new Map(
  [...ENTRIES.keys()].map((ai) => [ai.slice(0, 2), ai.length]),
);

/** Value length of prefixes that the GS1 General Specifications predefine as fixed (used for unknown AIs). */
const FIXED_VALUE_LENGTH_BY_PREFIX: Readonly<Record<string, number>> = {
  "00": 18,
  "01": 14,
  "02": 14,
  "03": 14,
  "04": 16,
  ...Object.fromEntries(["11", "12", "13", "14", "15", "16", "17", "18", "19"].map((p) => [p, 6])),
  "20": 2,
  ...Object.fromEntries(["31", "32", "33", "34", "35", "36"].map((p) => [p, 6])),
  "41": 13,
};

function unknownEntry(ai: string, fixedLength: number | null): AiEntry {
  return {
    ai,
    title: "UNKNOWN",
    fnc1: fixedLength === null,
    dataAttribute: "unknown-ai",
    components: [{ cset: "X", min: fixedLength ?? 1, max: fixedLength ?? 90, optional: false, linters: [] }],
    keyQualifiers: null,
  };
}

/**
 * An AI that the dictionary lacks is accepted ("vivified") only when unknown AIs are permitted and its
 * length agrees with the length that its two-digit prefix implies; mirrors `gs1_lookupAIentry`.
 */
function vivifiedEntry(ai: string): AiEntry | null {
  const prefix = ai.slice(0, 2);
  const lengthByPrefix = AI_LENGTH_BY_PREFIX.get(prefix);
  if (lengthByPrefix === undefined) return unknownEntry("", null);
  if (lengthByPrefix !== ai.length) return null;
  const fixed = FIXED_VALUE_LENGTH_BY_PREFIX[prefix];
  if (ai.length === 3 && fixed === 13) return unknownEntry(ai, 13);
  if (ai.length === 4 && fixed === 6) return unknownEntry(ai, 6);
  return unknownEntry(ai, null);
}

/** The dictionary entry for an exact AI such as "01" or "3103", or null if there is none. */
export function lookupAi(ai: string, options: LookupOptions): AiEntry | null {
  if (ai.length < MIN_AI_LENGTH || ai.length > MAX_AI_LENGTH || !/^[0-9]+$/.test(ai)) return null;
  const entry = ENTRIES.get(ai);
  if (entry) return entry;
  return options.permitUnknownAis ? vivifiedEntry(ai) : null;
}

/** Every path an AI sequence may take, e.g. "01", "01 22", "01 22 10", "01 235", sorted like upstream. */
const KEY_QUALIFIER_SEQUENCES: readonly string[] = [
  ...new Set(
    [...ENTRIES.values()].flatMap((entry) =>
      (entry.keyQualifiers ?? []).flatMap((qualifiers) =>
        orderedSubsets(qualifiers).map((subset) => [entry.ai, ...subset].join(" ")),
      ),
    ),
  ),
].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

const KEY_QUALIFIER_SET: ReadonlySet<string> = new Set(KEY_QUALIFIER_SEQUENCES);

function orderedSubsets(items: readonly string[]): string[][] {
  return items.reduce<string[][]>((subsets, item) => [...subsets, ...subsets.map((s) => [...s, item])], [[]]);
}

export function isPrimaryKey(entry: AiEntry): boolean {
  return entry.keyQualifiers !== null;
}

/** Whether `ais` (primary key first) is a path that GS1 Digital Link allows. */
export function isValidKeyQualifierPath(ais: readonly string[]): boolean {
  return KEY_QUALIFIER_SET.has(ais.join(" "));
}

/** Allowed paths that start with `primaryKey`, in upstream's sorted order (it prefers the first longest). */
export function keyQualifierPathsOf(primaryKey: string): ReadonlyArray<readonly string[]> {
  return KEY_QUALIFIER_PATHS.get(primaryKey) ?? [];
}

/** The sequences split and grouped by primary key once: every URI built or parsed looks its key's paths up. */
const KEY_QUALIFIER_PATHS: ReadonlyMap<string, ReadonlyArray<readonly string[]>> = (() => {
  const paths = new Map<string, Array<readonly string[]>>();
  for (const sequence of KEY_QUALIFIER_SEQUENCES) {
    const ais = Object.freeze(sequence.split(" "));
    const key = ais[0] ?? "";
    paths.set(key, [...(paths.get(key) ?? []), ais]);
  }
  return paths;
})();

/** Convenience alphas (deprecated by GS1, accepted only on request), e.g. /gtin/… for /01/…. */
const CONVENIENCE_ALPHAS: Readonly<Record<string, string>> = {
  cpid: "8010",
  cpsn: "8011",
  cpv: "22",
  gcn: "255",
  gdti: "253",
  giai: "8004",
  ginc: "401",
  gln: "414",
  glnx: "254",
  gmn: "8013",
  grai: "8003",
  gsin: "402",
  gsrn: "8018",
  gsrnp: "8017",
  gtin: "01",
  itip: "8006",
  lot: "10",
  party: "417",
  refno: "8020",
  ser: "21",
  srin: "8019",
  sscc: "00",
};

export function aiOfConvenienceAlpha(alpha: string): string | null {
  return Object.hasOwn(CONVENIENCE_ALPHAS, alpha) ? (CONVENIENCE_ALPHAS[alpha] ?? null) : null;
}
