import type { ErrorObject, ValidateFunction } from "ajv";
import precompiledExtensionValidator from "./extension-validator.js";
import { DomainError } from "#common";
import type { Namespaces } from "#epcis";

/**
 * CarbonTrace's EPCIS user extension: the activity data a footprint is computed from, links to evidence files,
 * the process an event performed, and unit masses for counted quantities. Documented in docs/epcis-extension.md;
 * its JSON-LD context is served at /ns/epcis. Every key is namespaced (any prefix bound to CT_NAMESPACE, or
 * the full IRI), so the data is part of the CBV event hash and therefore of what the partner signs.
 */
export const CT_NAMESPACE = "https://carbontrace.org/ns/epcis/";
export const CT_PREFIX = "ct";

export const PROCESSES = [
  "collection",
  "sorting",
  "baling",
  "washing",
  "recycling",
  "pelletising",
  "moulding",
  "assembly",
  "printing",
  "packing",
  "storage",
  "transport",
] as const;
export type Process = (typeof PROCESSES)[number];

/** How an amount was obtained: measured (metered, weighed) and calculated (from primary records) are primary data. */
export const BASES = ["measured", "calculated", "estimated"] as const;
export type Basis = (typeof BASES)[number];

export const TRANSPORT_MODES = ["road", "rail", "sea", "inland_waterway", "air"] as const;
export type TransportMode = (typeof TRANSPORT_MODES)[number];

export const FUEL_UNITS = ["L", "kg", "t", "m3", "kWh"] as const;

interface Sourced {
  /** Defaults to "estimated": nothing counts as primary data unless the partner says how it was obtained. */
  readonly basis: Basis;
  /** An emission factor named explicitly (overrides the factor choice rules). */
  readonly factorId?: string;
  /** CID of the evidence file behind this amount (meter photo, invoice, weighbridge ticket). */
  readonly evidenceCid?: string;
}

export interface ElectricityUse extends Sourced {
  readonly kWh: number;
  /** Grid the electricity came from: ISO 3166 country or a regional grid code, e.g. "CN-EC" (East China). */
  readonly gridRegion: string;
  /** Covered by a renewable energy certificate or a green-power contract. */
  readonly renewable?: boolean;
}

export interface FuelUse extends Sourced {
  readonly fuelType: string;
  readonly amount: number;
  readonly unit: (typeof FUEL_UNITS)[number];
}

export interface TransportLeg extends Sourced {
  readonly mode: TransportMode;
  /** e.g. "hgv_articulated", "hgv_rigid", "van", "container_ship". */
  readonly vehicle?: string;
  readonly distanceKm: number;
  readonly massKg: number;
  readonly from?: string;
  readonly to?: string;
  /** Region of the leg (ISO country), for factor choice. */
  readonly region?: string;
}

export interface MaterialInput extends Sourced {
  readonly material: string;
  readonly origin: "virgin" | "recycled";
  readonly massKg: number;
  /** The tracked lot this material came from, if any. */
  readonly epcClass?: string;
}

export interface EvidenceLink {
  readonly cid: string;
  /** e.g. "weighbridge-ticket", "delivery-note", "meter-photo". */
  readonly kind?: string;
}

export interface UnitMass {
  readonly epcClass: string;
  readonly kgPerUnit: number;
}

export interface Activity {
  readonly electricity: readonly ElectricityUse[];
  readonly fuels: readonly FuelUse[];
  readonly transport: readonly TransportLeg[];
  readonly materials: readonly MaterialInput[];
}

export interface CarbonTraceExtension {
  readonly process?: Process;
  readonly activity: Activity;
  readonly evidence: readonly EvidenceLink[];
  readonly unitMasses: readonly UnitMass[];
  /**
   * Lots the event takes in that have no provenance in CarbonTrace (bought from outside the chain), as the author
   * declares under its signature: what lets a verifier accept a lot without an upstream event.
   */
  readonly externalLots: readonly string[];
}

const positive = { type: "number", exclusiveMinimum: 0 };
const sourced = {
  basis: { enum: BASES },
  factorId: { type: "string", minLength: 1, maxLength: 200 },
  evidenceCid: { type: "string", minLength: 1, maxLength: 200 },
};

export const EXTENSION_SCHEMA = {
  $id: "https://carbontrace.org/ns/epcis/extension.schema.json",
  type: "object",
  additionalProperties: false,
  properties: {
    process: { enum: PROCESSES },
    activity: {
      type: "object",
      additionalProperties: false,
      properties: {
        electricity: {
          type: "array",
          maxItems: 100,
          items: {
            type: "object",
            additionalProperties: false,
            required: ["kWh", "gridRegion"],
            properties: {
              kWh: positive,
              gridRegion: { type: "string", minLength: 2, maxLength: 32 },
              renewable: { type: "boolean" },
              ...sourced,
            },
          },
        },
        fuels: {
          type: "array",
          maxItems: 100,
          items: {
            type: "object",
            additionalProperties: false,
            required: ["fuelType", "amount", "unit"],
            properties: {
              fuelType: { type: "string", minLength: 1, maxLength: 64 },
              amount: positive,
              unit: { enum: FUEL_UNITS },
              ...sourced,
            },
          },
        },
        transport: {
          type: "array",
          maxItems: 100,
          items: {
            type: "object",
            additionalProperties: false,
            required: ["mode", "distanceKm", "massKg"],
            properties: {
              mode: { enum: TRANSPORT_MODES },
              vehicle: { type: "string", minLength: 1, maxLength: 64 },
              distanceKm: positive,
              massKg: positive,
              from: { type: "string", maxLength: 200 },
              to: { type: "string", maxLength: 200 },
              region: { type: "string", minLength: 2, maxLength: 32 },
              ...sourced,
            },
          },
        },
        materials: {
          type: "array",
          maxItems: 100,
          items: {
            type: "object",
            additionalProperties: false,
            required: ["material", "origin", "massKg"],
            properties: {
              material: { type: "string", minLength: 1, maxLength: 64 },
              origin: { enum: ["virgin", "recycled"] },
              massKg: positive,
              epcClass: { type: "string", minLength: 1, maxLength: 500 },
              ...sourced,
            },
          },
        },
      },
    },
    evidence: {
      type: "array",
      maxItems: 100,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["cid"],
        properties: { cid: { type: "string", minLength: 1, maxLength: 200 }, kind: { type: "string", maxLength: 64 } },
      },
    },
    externalLots: {
      type: "array",
      maxItems: 100,
      items: { type: "string", minLength: 1, maxLength: 500 },
    },
    unitMasses: {
      type: "array",
      maxItems: 1000,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["epcClass", "kgPerUnit"],
        properties: { epcClass: { type: "string", minLength: 1, maxLength: 500 }, kgPerUnit: positive },
      },
    },
  },
} as const;

/** Compiled ahead of time (npm run gen:validators): validation without eval, so it runs under a strict CSP. */
const validateExtension = precompiledExtensionValidator as ValidateFunction;

/** Each document's namespaces are asked for our prefixes once per event; they are found once per document. */
const prefixesOf = new WeakMap<Namespaces, ReadonlySet<string>>();

/** The prefixes a document binds to our namespace (usually just "ct"). */
export function ourPrefixes(namespaces: Namespaces): ReadonlySet<string> {
  let prefixes = prefixesOf.get(namespaces);
  if (prefixes === undefined) {
    prefixes = new Set(
      Object.entries(namespaces)
        .filter(([, iri]) => iri === CT_NAMESPACE)
        .map(([prefix]) => prefix),
    );
    prefixesOf.set(namespaces, prefixes);
  }
  return prefixes;
}

/** The local name of a key in our namespace ("ct:activity" → "activity"), or undefined for any other key. */
export function ourLocalName(key: string, prefixes: ReadonlySet<string>): string | undefined {
  if (key.startsWith(CT_NAMESPACE)) return key.slice(CT_NAMESPACE.length);
  const colon = key.indexOf(":");
  return colon > 0 && prefixes.has(key.slice(0, colon)) ? key.slice(colon + 1) : undefined;
}

/** Rewrites namespaced keys to local names, recursively; keys outside our namespace are kept to fail validation. */
function localise(value: unknown, prefixes: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => localise(item, prefixes));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [ourLocalName(key, prefixes) ?? key, localise(inner, prefixes)]),
  );
}

/**
 * Reads and validates our extension on an event. Throws CAPTURE.EXTENSION_INVALID listing every problem.
 */
export function readExtension(
  event: Readonly<Record<string, unknown>>,
  namespaces: Namespaces,
  eventIndex = 0,
): CarbonTraceExtension {
  const prefixes = ourPrefixes(namespaces);
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(event)) {
    const local = ourLocalName(key, prefixes);
    if (local !== undefined) raw[local] = localise(event[key], prefixes);
  }
  if (!validateExtension(raw)) {
    throw new DomainError(
      "CAPTURE.EXTENSION_INVALID",
      "invalid",
      `Event ${eventIndex}: the CarbonTrace extension is invalid: ${describe(validateExtension.errors ?? [])}`,
      { eventIndex, errors: (validateExtension.errors ?? []).map(toProblem) },
    );
  }
  const data = raw as {
    process?: Process;
    activity?: Partial<Record<keyof Activity, Array<Record<string, unknown>>>>;
    evidence?: EvidenceLink[];
    unitMasses?: UnitMass[];
    externalLots?: string[];
  };
  const withBasis = <T>(items: Array<Record<string, unknown>> | undefined): T[] =>
    (items ?? []).map((item) => ({ basis: "estimated", ...item }) as T);
  checkRegions(data.activity, eventIndex);
  return {
    ...(data.process === undefined ? {} : { process: data.process }),
    activity: {
      electricity: withBasis<ElectricityUse>(data.activity?.electricity),
      fuels: withBasis<FuelUse>(data.activity?.fuels),
      transport: withBasis<TransportLeg>(data.activity?.transport),
      materials: withBasis<MaterialInput>(data.activity?.materials),
    },
    evidence: data.evidence ?? [],
    unitMasses: data.unitMasses ?? [],
    externalLots: data.externalLots ?? [],
  };
}

/**
 * A region an emission factor can be chosen for: an ISO 3166-1 alpha-2 country (`CN`), an ISO 3166-2 subdivision
 * or a grid of a country (`CN-ZJ`, `CN-East`, `CN-EC`), `EU`, or `GLOBAL`/`World`. A name such as "Zhejiang"
 * would silently fall back to a worldwide factor, so it is refused where it is written.
 */
const REGION_CODE = /^(?:[A-Za-z]{2}(?:-[A-Za-z0-9]{1,12})?|GLOBAL|World|WORLD)$/;

function checkRegions(
  activity: Partial<Record<keyof Activity, Array<Record<string, unknown>>>> | undefined,
  eventIndex: number,
): void {
  const named = [
    ...(activity?.electricity ?? []).map((item, i) => ({
      value: item.gridRegion,
      path: `electricity[${i}].gridRegion`,
    })),
    ...(activity?.transport ?? []).map((item, i) => ({ value: item.region, path: `transport[${i}].region` })),
    ...(activity?.fuels ?? []).map((item, i) => ({ value: item.region, path: `fuels[${i}].region` })),
  ];
  const bad = named.find((entry) => typeof entry.value === "string" && !REGION_CODE.test(entry.value));
  if (bad === undefined) return;
  throw new DomainError(
    "CAPTURE.REGION_UNKNOWN",
    "invalid",
    `Event ${eventIndex}: ct:${bad.path} "${String(bad.value)}" is not a region code: use an ISO 3166 country or ` +
      "subdivision (CN, CN-ZJ), a grid (CN-East) or GLOBAL, so that the right emission factor is found",
    { eventIndex, field: `ct:activity.${bad.path}`, value: bad.value },
  );
}

/** Every CID the event points to: evidence links and per-activity evidence. */
export function evidenceCidsOf(extension: CarbonTraceExtension): string[] {
  const { activity } = extension;
  const fromActivity = [...activity.electricity, ...activity.fuels, ...activity.transport, ...activity.materials]
    .map((item) => item.evidenceCid)
    .filter((cid): cid is string => cid !== undefined);
  return [...new Set([...extension.evidence.map((link) => link.cid), ...fromActivity])];
}

function toProblem(error: ErrorObject): { path: string; problem: string } {
  return { path: error.instancePath === "" ? "/" : error.instancePath, problem: error.message ?? error.keyword };
}

function describe(errors: readonly ErrorObject[]): string {
  return errors
    .slice(0, 5)
    .map((e) => `${e.instancePath === "" ? "/" : e.instancePath} ${e.message ?? e.keyword}`)
    .join("; ");
}

/** The JSON-LD context we publish for the extension (served at /ns/epcis). */
export const EXTENSION_CONTEXT = {
  "@context": {
    ct: CT_NAMESPACE,
    xsd: "http://www.w3.org/2001/XMLSchema#",
    "ct:kWh": { "@type": "xsd:decimal" },
    "ct:gridRegion": { "@type": "xsd:string" },
    "ct:renewable": { "@type": "xsd:boolean" },
    "ct:fuelType": { "@type": "xsd:string" },
    "ct:amount": { "@type": "xsd:decimal" },
    "ct:unit": { "@type": "xsd:string" },
    "ct:mode": { "@type": "xsd:string" },
    "ct:vehicle": { "@type": "xsd:string" },
    "ct:distanceKm": { "@type": "xsd:decimal" },
    "ct:massKg": { "@type": "xsd:decimal" },
    "ct:from": { "@type": "xsd:string" },
    "ct:to": { "@type": "xsd:string" },
    "ct:region": { "@type": "xsd:string" },
    "ct:material": { "@type": "xsd:string" },
    "ct:origin": { "@type": "xsd:string" },
    "ct:epcClass": { "@type": "@id" },
    "ct:externalLots": { "@type": "@id", "@container": "@set" },
    "ct:basis": { "@type": "xsd:string" },
    "ct:factorId": { "@type": "xsd:string" },
    "ct:evidenceCid": { "@type": "xsd:string" },
    "ct:cid": { "@type": "xsd:string" },
    "ct:kind": { "@type": "xsd:string" },
    "ct:kgPerUnit": { "@type": "xsd:decimal" },
    "ct:eventHash": { "@type": "xsd:string" },
    "ct:signature": { "@type": "xsd:string" },
  },
} as const;
