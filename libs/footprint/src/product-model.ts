import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { DomainError } from "#common";
import { BASELINE_SCHEMA, parseBaselineScenario } from "./baseline-input.js";
import type { BaselineScenario, FootprintEvent, FootprintLot } from "./model.js";

/**
 * Product models ("online modelling"): the stages of a product's chain in order, what each stage is expected to
 * report and in which range, the declared unit and the conventional product to compare with. The footprint's stage
 * names, the journey page's wording and the data-quality checks read the model; the engine itself does not need
 * one (a lot without a model is computed the same way, with generic stage names).
 */

export interface Localized {
  readonly en: string;
  readonly zh: string;
}

/** The ledger roles a stage is recorded under (TraceLedger `<ROLE>_ROLE`); a model names them in its own words. */
export const MODEL_ROLES = ["supplier", "recycler", "moulder", "warehouse"] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

/** The kinds of step a partner records: one console form each. */
export const STEP_KINDS = ["produce", "transform", "ship", "receive", "store"] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/**
 * An activity a stage is expected to report, with the plausible range of its intensity. Ranges are plausibility
 * bounds for spot checks (a value outside is flagged for a certifier, never refused), not emission data.
 */
export interface ExpectedActivity {
  readonly kind: "electricity" | "fuel" | "transport" | "material";
  readonly label: Localized;
  /** The unit the partner reports in. */
  readonly unit: "kWh" | "m3" | "L" | "kg" | "km";
  /**
   * What the range is per: per kg of the stage's output (kWh/kg, m3/kg, kg/kg) or per transport leg (km). A
   * material's "kg-output" intensity is its share of the output mass (e.g. 1.02 kg of pellets per kg of boxes).
   */
  readonly per: "kg-output" | "leg";
  readonly range: { readonly min: number; readonly max: number };
  /** The stage's form asks for it; a missing value is a data-quality warning. */
  readonly required: boolean;
  /** For fuels and materials: which one (e.g. "natural_gas", "PET"). */
  readonly subject?: string;
  /** The factor used when the partner names none (an id of the factor library), and why it is the default. */
  readonly defaultFactor?: { readonly id: string; readonly why: string };
  /** Evidence the form asks for with this activity (e.g. a meter photo). */
  readonly evidence?: "meter-photo" | "delivery-note" | "weighbridge-ticket" | "invoice";
}

export interface ModelStage {
  /** Unique within the model, e.g. "collection". */
  readonly key: string;
  readonly role: ModelRole;
  readonly name: Localized;
  /** The steps a partner records at this stage, in order. */
  readonly steps: readonly StepKind[];
  /** The `ct:process` its making step declares, when it has one. */
  readonly process?: string;
  readonly activities: readonly ExpectedActivity[];
  /** What the stage makes (GTIN-14, name, counted in kg or pieces): what its partners' forms offer. */
  readonly outputs?: readonly StageOutput[];
}

export interface StageOutput {
  readonly gtin: string;
  readonly name: Localized;
  /** KGM: a mass (kg, t); EA: pieces. */
  readonly unit: "KGM" | "EA";
}

export interface ProductModel {
  /** A slug: lowercase letters, digits and hyphens. */
  readonly id: string;
  /** 1, 2, …: a new version never changes an old one. */
  readonly version: number;
  readonly name: Localized;
  readonly description: Localized;
  /** GTIN-14s of the products it models; a lot of one of them is computed and shown with this model. */
  readonly gtins: readonly string[];
  /** One item (EA) or one kilogram (KGM). */
  readonly declaredUnit: "EA" | "KGM";
  /** Mass of one item, kg (EA only). */
  readonly unitMassKg?: number;
  readonly stages: readonly ModelStage[];
  /** The conventional product per declared unit. */
  readonly baseline: BaselineScenario;
  /** Where the model's numbers come from (factor sources are in the factor library). */
  readonly sources: readonly string[];
}

const localized = {
  type: "object",
  additionalProperties: false,
  required: ["en", "zh"],
  properties: {
    en: { type: "string", minLength: 1, maxLength: 200 },
    zh: { type: "string", minLength: 1, maxLength: 200 },
  },
} as const;

const nonNegative = { type: "number", minimum: 0, maximum: 1e9 };

/** JSON Schema of a product model as the API accepts it (the version is assigned by the service). */
export const PRODUCT_MODEL_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["id", "name", "description", "gtins", "declaredUnit", "stages", "baseline", "sources"],
  properties: {
    id: { type: "string", pattern: "^[a-z0-9]+(-[a-z0-9]+)*$", maxLength: 64 },
    version: { type: "integer", minimum: 1 },
    name: localized,
    description: localized,
    gtins: {
      type: "array",
      minItems: 1,
      maxItems: 100,
      uniqueItems: true,
      items: { type: "string", pattern: "^[0-9]{14}$" },
    },
    declaredUnit: { enum: ["EA", "KGM"] },
    unitMassKg: { type: "number", exclusiveMinimum: 0, maximum: 1e6 },
    stages: {
      type: "array",
      minItems: 1,
      maxItems: 20,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["key", "role", "name", "steps", "activities"],
        properties: {
          key: { type: "string", pattern: "^[a-z0-9]+(-[a-z0-9]+)*$", maxLength: 64 },
          role: { enum: MODEL_ROLES },
          name: localized,
          steps: { type: "array", minItems: 1, maxItems: 5, uniqueItems: true, items: { enum: STEP_KINDS } },
          process: { type: "string", minLength: 1, maxLength: 64 },
          outputs: {
            type: "array",
            maxItems: 20,
            items: {
              type: "object",
              additionalProperties: false,
              required: ["gtin", "name", "unit"],
              properties: {
                gtin: { type: "string", pattern: "^[0-9]{14}$" },
                name: localized,
                unit: { enum: ["KGM", "EA"] },
              },
            },
          },
          activities: {
            type: "array",
            maxItems: 20,
            items: {
              type: "object",
              additionalProperties: false,
              required: ["kind", "label", "unit", "per", "range", "required"],
              properties: {
                kind: { enum: ["electricity", "fuel", "transport", "material"] },
                label: localized,
                unit: { enum: ["kWh", "m3", "L", "kg", "km"] },
                per: { enum: ["kg-output", "leg"] },
                range: {
                  type: "object",
                  additionalProperties: false,
                  required: ["min", "max"],
                  properties: { min: nonNegative, max: nonNegative },
                },
                required: { type: "boolean" },
                subject: { type: "string", minLength: 1, maxLength: 64 },
                defaultFactor: {
                  type: "object",
                  additionalProperties: false,
                  required: ["id", "why"],
                  properties: {
                    id: { type: "string", minLength: 1, maxLength: 200 },
                    why: { type: "string", minLength: 1, maxLength: 1000 },
                  },
                },
                evidence: { enum: ["meter-photo", "delivery-note", "weighbridge-ticket", "invoice"] },
              },
            },
          },
        },
      },
    },
    baseline: BASELINE_SCHEMA,
    sources: { type: "array", minItems: 1, maxItems: 50, items: { type: "string", minLength: 1, maxLength: 1000 } },
  },
} as const;

/** A model as declared: the version is the service's to give. */
type DeclaredModel = Omit<ProductModel, "version"> & { readonly version?: number };

let compiled: ValidateFunction<DeclaredModel> | undefined;

/** Compiled on first use, as the baseline's validator is (the journey page's CSP forbids `new Function`). */
function validator(): ValidateFunction<DeclaredModel> {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile<DeclaredModel>(PRODUCT_MODEL_SCHEMA);
  return compiled;
}

function invalid(errors: readonly string[]): DomainError {
  return new DomainError(
    "MODEL.INVALID",
    "invalid",
    `The product model is not valid: ${errors.slice(0, 5).join("; ")}`,
    {
      errors,
    },
  );
}

/**
 * A product model as declared: the schema, then what a schema cannot say (unique stage keys, ranges in order,
 * GTIN check digits, an item mass for models per item). `version` is the caller's to set; a declared one is kept.
 */
export function parseProductModel(value: unknown, version = 1): ProductModel {
  const validate = validator();
  if (!validate(value)) throw invalid((validate.errors ?? []).map(describe));
  const declared: DeclaredModel = value;
  const errors = [
    ...duplicates(declared.stages.map((stage) => stage.key)).map((key) => `/stages stage key "${key}" is repeated`),
    ...declared.stages.flatMap((stage, s) =>
      stage.activities
        .map((activity, a) => ({ activity, a }))
        .filter(({ activity }) => activity.range.min > activity.range.max)
        .map(({ a }) => `/stages/${String(s)}/activities/${String(a)}/range min is above max`),
    ),
    ...declared.gtins.filter((gtin) => !validGtin(gtin)).map((gtin) => `/gtins ${gtin} has a wrong check digit`),
    ...declared.stages.flatMap((stage, s) =>
      (stage.outputs ?? [])
        .map((output, o) => ({ output, o }))
        .filter(({ output }) => !validGtin(output.gtin))
        .map(
          ({ output, o }) => `/stages/${String(s)}/outputs/${String(o)}/gtin ${output.gtin} has a wrong check digit`,
        ),
    ),
    ...(declared.declaredUnit === "EA" && declared.unitMassKg === undefined
      ? ["/unitMassKg is required when the declared unit is one item (EA)"]
      : []),
  ];
  if (errors.length > 0) throw invalid(errors);
  return { ...declared, version: declared.version ?? version, baseline: parseBaselineScenario(declared.baseline) };
}

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((value, i) => values.indexOf(value) !== i))];
}

/** GS1 mod-10 check digit of a GTIN-14. */
function validGtin(gtin: string): boolean {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(gtin[12 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(gtin[13]);
}

function describe(error: ErrorObject): string {
  return `${error.instancePath === "" ? "/" : error.instancePath} ${error.message ?? error.keyword}`;
}

/** The model's stage an event belongs to: the first stage of its role whose process matches, else of its role. */
export function modelStageOf(model: ProductModel, role: string, process: string | undefined): ModelStage | undefined {
  const ofRole = model.stages.filter((stage) => stage.role === role);
  return ofRole.find((stage) => process !== undefined && stage.process === process) ?? ofRole[0];
}

/** One reported intensity of an event, compared with its model's range. */
export interface IntensityCheck {
  readonly eventHash: string;
  readonly stage: string;
  readonly activity: ExpectedActivity["kind"];
  readonly subject: string | null;
  readonly unit: string;
  readonly per: ExpectedActivity["per"];
  readonly value: number;
  readonly range: { readonly min: number; readonly max: number };
  /** "in-range", "below", "above", or "missing" (a required activity the event does not report). */
  readonly status: "in-range" | "below" | "above" | "missing";
}

/**
 * The intensities an event reports (kWh and fuel per kg of what it produced, material per kg produced, km per
 * transport leg), each compared with the range its model stage expects. A produced lot counted in kg weighs its
 * amount; a counted one, its declared item mass. Events that produce nothing have no per-output intensities;
 * their transport legs are still checked.
 */
export function checkIntensities(
  model: ProductModel,
  event: FootprintEvent,
  lots: readonly FootprintLot[] = [],
): IntensityCheck[] {
  const stage = modelStageOf(model, event.role, event.process);
  if (stage === undefined) return [];
  const kilograms = new Set(lots.filter((lot) => lot.unit === "KGM").map((lot) => lot.id));
  const outputKg = event.movements
    .filter((movement) => movement.direction === "produced")
    .reduce((sum, movement) => sum + (movement.massKg ?? (kilograms.has(movement.lotId) ? movement.amount : 0)), 0);
  return stage.activities.flatMap((expected) => {
    const values = reported(event, expected, outputKg);
    if (values === undefined) return [];
    const base = {
      eventHash: event.eventHash,
      stage: stage.key,
      activity: expected.kind,
      subject: expected.subject ?? null,
      unit: expected.unit,
      per: expected.per,
      range: expected.range,
    };
    if (values.length === 0) return expected.required ? [{ ...base, value: 0, status: "missing" as const }] : [];
    return values.map((value) => ({ ...base, value, status: statusOf(value, expected.range) }));
  });
}

/** The event's values for one expected activity; undefined when the event is not the kind that reports it. */
function reported(event: FootprintEvent, expected: ExpectedActivity, outputKg: number): number[] | undefined {
  if (expected.per === "leg") {
    const legs = event.activities.filter((a) => a.kind === "transport");
    const ships = event.bizStep === "shipping" || event.bizStep?.endsWith("BizStep-shipping") === true;
    return ships || legs.length > 0 ? legs.map((leg) => leg.distanceKm) : undefined;
  }
  if (outputKg <= 0) return undefined;
  const matching = event.activities.filter(
    (activity) =>
      activity.kind === expected.kind && (expected.subject === undefined || subjectOf(activity) === expected.subject),
  );
  if (matching.length === 0) return [];
  const total = matching.reduce((sum, activity) => sum + amountOf(activity), 0);
  return [total / outputKg];
}

function subjectOf(activity: FootprintEvent["activities"][number]): string | undefined {
  if (activity.kind === "fuel") return activity.fuelType;
  if (activity.kind === "material") return activity.material;
  return undefined;
}

function amountOf(activity: FootprintEvent["activities"][number]): number {
  switch (activity.kind) {
    case "electricity":
      return activity.kWh;
    case "fuel":
      return activity.amount;
    case "material":
      return activity.massKg;
    case "transport":
      return activity.distanceKm;
  }
}

function statusOf(value: number, range: { readonly min: number; readonly max: number }): IntensityCheck["status"] {
  if (value < range.min) return "below";
  if (value > range.max) return "above";
  return "in-range";
}

/** The same stage's intensities at other participants: what "usual" is, once enough of them exist. */
export interface PeerFigures {
  readonly median: number;
  /** First and third quartiles. */
  readonly low: number;
  readonly high: number;
  readonly count: number;
  readonly participants: number;
}

/** An intensity check with who reported it and how it compares with the same stage at other participants. */
export interface ReviewedIntensity extends IntensityCheck {
  readonly participant: string;
  readonly peers: PeerFigures | null;
  /**
   * "outlier": more than twice the peers' third quartile or under half their first; "typical": within that;
   * "too-few": fewer than {@link PEER_MINIMUM} values from at least three other participants to compare with.
   */
  readonly peerStatus: "typical" | "outlier" | "too-few";
}

/** At least this many values, from at least three other participants, before peers say what is usual. */
export const PEER_MINIMUM = { values: 5, participants: 3 } as const;

/**
 * Industry matching: each reported intensity beside the same stage, activity and subject at other participants
 * (a partner is never its own peer). Wide bands (half the first quartile, twice the third) so that only values a
 * certifier should look at stand out, such as a meter read in Wh instead of kWh or a misplaced decimal point.
 */
export function reviewIntensities(
  checks: ReadonlyArray<IntensityCheck & { readonly participant: string }>,
): ReviewedIntensity[] {
  const groups = new Map<string, Array<IntensityCheck & { readonly participant: string }>>();
  for (const check of checks) {
    if (check.status === "missing") continue;
    const key = peerKey(check);
    groups.set(key, [...(groups.get(key) ?? []), check]);
  }
  return checks.map((check) => {
    const others = (groups.get(peerKey(check)) ?? []).filter((peer) => peer.participant !== check.participant);
    const participants = new Set(others.map((peer) => peer.participant)).size;
    if (check.status === "missing" || others.length < PEER_MINIMUM.values || participants < PEER_MINIMUM.participants) {
      return { ...check, peers: null, peerStatus: "too-few" as const };
    }
    const peers = figuresOf(
      others.map((peer) => peer.value),
      participants,
    );
    const outlier = check.value > 2 * peers.high || check.value < peers.low / 2;
    return { ...check, peers, peerStatus: outlier ? ("outlier" as const) : ("typical" as const) };
  });
}

function peerKey(check: IntensityCheck): string {
  return [check.stage, check.activity, check.subject ?? "", check.per].join("\u0000");
}

function figuresOf(values: readonly number[], participants: number): PeerFigures {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    low: quantile(sorted, 0.25),
    high: quantile(sorted, 0.75),
    count: sorted.length,
    participants,
  };
}

/** Linear interpolation between closest ranks (the spreadsheet PERCENTILE.INC rule). */
function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const lower = sorted[below] ?? 0;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] ?? lower;
  return lower + (upper - lower) * (position - below);
}

const figure = (value: number): string => String(Number(value.toPrecision(3)));

/**
 * The warning a partner reads before signing, in its language: which value, what the model expects, what other
 * partners at the same step report, and what to check. Null when there is nothing to say.
 */
export function intensityWarning(model: ProductModel, check: ReviewedIntensity): Localized | null {
  const outlier = check.peerStatus === "outlier";
  if (check.status === "in-range" && !outlier) return null;
  const expected = model.stages
    .find((stage) => stage.key === check.stage)
    ?.activities.find((a) => a.kind === check.activity && (a.subject ?? null) === check.subject);
  const label = expected?.label ?? { en: check.activity, zh: check.activity };
  if (check.status === "missing") {
    return {
      en: `${label.en} is not reported: this step is expected to report it.`,
      zh: `未填写${label.zh}：此步骤需要填写。`,
    };
  }
  const per = check.per === "leg" ? { en: "per trip", zh: "每趟" } : { en: "per kg of output", zh: "每千克产出" };
  const { min, max } = check.range;
  const value = figure(check.value);
  const parts = {
    en: [
      `${label.en}: ${value} ${check.unit} ${per.en}` +
        (check.status === "in-range" ? "." : `, outside the ${figure(min)}–${figure(max)} this step usually takes.`),
    ],
    zh: [
      `${label.zh}：${per.zh} ${value} ${check.unit}` +
        (check.status === "in-range" ? "。" : `，超出此步骤通常的 ${figure(min)}–${figure(max)}。`),
    ],
  };
  if (outlier && check.peers !== null) {
    const { low, high, median } = check.peers;
    parts.en.push(`Other partners at this step report ${figure(low)}–${figure(high)} (median ${figure(median)}).`);
    parts.zh.push(`同一环节的其他伙伴填报为 ${figure(low)}–${figure(high)}（中位数 ${figure(median)}）。`);
  }
  parts.en.push("Please check the figure and its meter photo or delivery note before signing.");
  parts.zh.push("签名前请核对数字及电表照片或送货单。");
  return { en: parts.en.join(" "), zh: parts.zh.join("") };
}
