/**
 * The footprint engine's data model: emission factors, the lot graph it is given, and what it answers.
 * Pure data, no I/O: the API loads factors and graphs from PostgreSQL, tests build them by hand.
 */

/** What one unit of activity is measured in, once normalised. */
export type ActivityUnit = "kWh" | "kg" | "t" | "t.km" | "L" | "m3" | "km" | "unit";

export interface EmissionFactor {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  /** The value and unit as the source gives them. */
  readonly value: number;
  readonly unit: string;
  /** What the factor is per, after normalisation (e.g. "kgCO2e/short ton-mile" → "t.km"). */
  readonly perUnit: ActivityUnit;
  /** kg of CO2e (or CO2, see `gas`) per one `perUnit`. */
  readonly kgPerUnit: number;
  /** "CO2" when the source counts carbon dioxide only (e.g. China MEE grid factors). */
  readonly gas: "CO2e" | "CO2";
  readonly region: string;
  readonly year: number;
  readonly source: string;
  readonly sourceUrl: string;
  readonly licence: string;
  /**
   * The activity the factor serves when nothing names a factor explicitly, e.g. "electricity.grid",
   * "fuel.diesel", "freight.road.hgv", "material.pet.virgin". Undefined: only usable by its id.
   */
  readonly activity: string | undefined;
}

export interface FactorLibrary {
  /** Library version (an integer as text); a calculation names the version it used. */
  readonly version: string;
  readonly factors: readonly EmissionFactor[];
}

/** How an amount was obtained; measured and calculated count as primary data. */
export type Basis = "measured" | "calculated" | "estimated";

export interface ElectricityActivity {
  readonly kind: "electricity";
  readonly kWh: number;
  readonly gridRegion: string;
  readonly renewable?: boolean;
  readonly basis: Basis;
  readonly factorId?: string;
}

export interface FuelActivity {
  readonly kind: "fuel";
  readonly fuelType: string;
  readonly amount: number;
  readonly unit: "L" | "kg" | "t" | "m3" | "kWh";
  readonly region?: string;
  readonly basis: Basis;
  readonly factorId?: string;
}

export interface TransportActivity {
  readonly kind: "transport";
  readonly mode: "road" | "rail" | "sea" | "inland_waterway" | "air";
  readonly vehicle?: string;
  readonly distanceKm: number;
  readonly massKg: number;
  readonly region?: string;
  readonly basis: Basis;
  readonly factorId?: string;
}

export interface MaterialActivity {
  readonly kind: "material";
  readonly material: string;
  readonly origin: "virgin" | "recycled";
  readonly massKg: number;
  readonly region?: string;
  readonly basis: Basis;
  readonly factorId?: string;
  /**
   * The material names one of its event's input lots, whose own footprint reaches the product through the graph.
   * Recycled material that is not traced is priced with a secondary recycling factor instead of the cut-off.
   */
  readonly traced?: boolean;
}

export type Activity = ElectricityActivity | FuelActivity | TransportActivity | MaterialActivity;

/** One captured event, as the engine needs it. */
export interface FootprintEvent {
  readonly eventHash: string;
  /** ISO 8601; its year picks the factor year. */
  readonly eventTime: string;
  /** Supply-chain role the event was recorded under. */
  readonly role: string;
  /** Bare CBV business step ("commissioning", "shipping") or a URI; null when the event has none. */
  readonly bizStep: string | null;
  readonly process?: string;
  /** Region for activities that name none (e.g. the participant's country, ISO 3166). */
  readonly region?: string;
  readonly activities: readonly Activity[];
  /** What the event did to lots (from mass balance). Amounts are in the lot's unit. */
  readonly movements: ReadonlyArray<{
    readonly lotId: string;
    readonly direction: "produced" | "consumed" | "observed";
    readonly amount: number;
    readonly massKg?: number;
  }>;
}

export interface FootprintLot {
  readonly id: string;
  /** "KGM" or "EA" (or another UN/CEFACT code). */
  readonly unit: string;
  /** Everything that came into existence: produced plus, for an external lot, the declared quantity. */
  readonly produced: number;
  readonly external: boolean;
}

export interface FootprintGraph {
  /** The lot whose footprint is asked. */
  readonly target: string;
  readonly events: readonly FootprintEvent[];
  readonly lots: readonly FootprintLot[];
}

/** One activity of one event, priced: the unit of traceability of every number. */
export interface Contribution {
  readonly eventHash: string;
  readonly stage: string;
  readonly activity: Activity["kind"];
  /** Index of the activity within its event. */
  readonly index: number;
  /** Activity amount in the factor's unit (e.g. t.km for transport). */
  readonly amount: number;
  readonly unit: ActivityUnit;
  readonly factorId: string;
  /** How the factor was chosen. */
  readonly selection: "named" | "exact" | "earlier-year" | "proxy" | "renewable";
  /** kg CO2e of the event's activity (whole event, before allocation). */
  readonly eventKg: number;
  /** kg CO2e of it that ends up in the target lot (after allocation and consumption shares). */
  readonly lotKg: number;
  readonly basis: Basis;
  /**
   * The figure rests on the partner's own activity data (measured or calculated): PACT primary data. False for
   * estimates and for a secondary dataset standing in for a supply chain nobody traced (untraced recycled input).
   */
  readonly primaryData: boolean;
  readonly dqr: { readonly technological: number; readonly geographical: number; readonly temporal: number };
}

export interface StageResult {
  /** `${role}/${bareBizStep}`, e.g. "recycler/commissioning". */
  readonly stage: string;
  readonly role: string;
  readonly bizStep: string | null;
  readonly kg: number;
  readonly perUnitKg: number;
}

export interface FootprintResult {
  readonly lot: string;
  readonly libraryVersion: string;
  /** kg CO2e of the whole lot: exactly the sum of `stages[].kg`. */
  readonly totalKg: number;
  /** The declared unit: one item (EA) or one kilogram (KGM), and how many the lot holds. */
  readonly declaredUnit: { readonly unit: string; readonly amount: number };
  readonly perUnitKg: number;
  readonly stages: readonly StageResult[];
  readonly contributions: readonly Contribution[];
  /** Every factor used, with its source; proxies flagged. */
  readonly factorsUsed: ReadonlyArray<EmissionFactor & { readonly proxy: boolean; readonly proxyReason?: string }>;
  /** Lots that entered without provenance, with the share of the target lot that comes from them. */
  readonly externalInputs: ReadonlyArray<{ readonly lot: string; readonly share: number }>;
  /** Percent of the footprint computed from measured or calculated activity data. */
  readonly primaryDataShare: number;
  /** PACT data quality ratings (1 best … 3 worst), emission-weighted. */
  readonly dqi: { readonly technologicalDQR: number; readonly geographicalDQR: number; readonly temporalDQR: number };
  readonly referencePeriod: { readonly start: string; readonly end: string };
}

/** The conventional product to compare with, per declared unit (e.g. the same box from virgin PET, grid power). */
export interface BaselineScenario {
  readonly description: string;
  /** Year for factor choice. */
  readonly year: number;
  readonly activities: readonly Activity[];
}

export interface Suggestion {
  readonly kind: "green-electricity" | "recycled-material" | "modal-shift";
  readonly stage: string;
  readonly description: string;
  readonly savingPerUnitKg: number;
}

export interface Comparison {
  readonly baselinePerUnitKg: number;
  readonly actualPerUnitKg: number;
  readonly reductionPerUnitKg: number;
  readonly reductionPercent: number;
  readonly baselineContributions: readonly Contribution[];
}
