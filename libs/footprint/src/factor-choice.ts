import { DomainError } from "#common";
import { RECYCLED_CUT_OFF_ID, RENEWABLE_EAC_ID } from "./classification.js";
import { indexOf } from "./library.js";
import type { Activity, ActivityUnit, Basis, Contribution, EmissionFactor, FactorLibrary } from "./model.js";
import { matchesPattern, PROXY_RULES, type ProxyRule } from "./proxy-rules.js";
import { geographicalDqr, sameRegion, temporalDqr } from "./regions.js";

/** What the factor choice knows besides the activity: the event's year and the region of the event. */
export interface ChoiceContext {
  readonly year: number;
  /** Region for activities that name none. */
  readonly eventRegion?: string;
}

/** A priced activity: the factor, how it was chosen, the amount in its unit and the data quality. */
export interface FactorChoice {
  /** The activity key asked for, e.g. "freight.road.hgv_articulated". */
  readonly key: string;
  /** The region the activity is in (its own, else the event's); undefined when unknown. */
  readonly region: string | undefined;
  readonly factor: EmissionFactor;
  readonly selection: Contribution["selection"];
  readonly proxyReason?: string;
  readonly amount: number;
  readonly unit: ActivityUnit;
  readonly kg: number;
  readonly dqr: Contribution["dqr"];
  /** The activity's own data carries the figure (see `Contribution.primaryData`). */
  readonly primaryData: boolean;
}

/**
 * Transport vehicles as partners write them → the vehicle part of the activity key. Keys without a factor of
 * their own fall back to the mode's generic key.
 */
const VEHICLE_ALIASES: Readonly<Record<string, string>> = {
  articulated: "hgv_articulated",
  artic: "hgv_articulated",
  rigid: "hgv_rigid",
  container_ship: "container",
  bulk_carrier: "bulk",
};

/** The generic sea factor is the average container ship, so a container-ship leg is priced by it directly. */
const KEY_ALIASES: Readonly<Record<string, string>> = { "freight.sea.container": "freight.sea" };

/** Fuel and material names as partners write them → the name in the activity key. */
const NAME_ALIASES: Readonly<Record<string, string>> = {
  gasoline: "petrol",
  motor_gasoline: "petrol",
  gas_oil: "diesel",
  masterbatch: "colourant",
  colour_masterbatch: "colourant",
  colorant: "colourant",
  rpet: "pet",
  r_pet: "pet",
  polyethylene_terephthalate: "pet",
  polypropylene: "pp",
  high_density_polyethylene: "hdpe",
  plastic: "plastics",
  mixed_plastics: "plastics",
};

/** The key a vehicle-specific transport key falls back to (technological DQR 2). */
export const GENERIC_TRANSPORT_KEYS: Readonly<Record<string, string>> = {
  road: "freight.road.hgv",
  rail: "freight.rail",
  sea: "freight.sea",
  inland_waterway: "freight.inland_waterway",
  air: "freight.air",
};

function keyName(text: string): string {
  const name = text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return NAME_ALIASES[name] ?? name;
}

/**
 * The activity key of an activity: `electricity.grid` (or `electricity.renewable`), `fuel.<fuelType>`,
 * `freight.<mode>[.<vehicle>]`, `material.<material>.virgin`, `material.recycled` (recycled material traced to
 * an input lot, cut-off) or `material.<material>.recycled` (recycled material nobody traced).
 */
export function activityKeyOf(activity: Activity): string {
  switch (activity.kind) {
    case "electricity":
      return activity.renewable === true ? "electricity.renewable" : "electricity.grid";
    case "fuel":
      return `fuel.${keyName(activity.fuelType)}`;
    case "transport": {
      if (activity.vehicle === undefined || activity.vehicle.trim() === "") return `freight.${activity.mode}`;
      const vehicle = keyName(activity.vehicle);
      const key = `freight.${activity.mode}.${VEHICLE_ALIASES[vehicle] ?? vehicle}`;
      return KEY_ALIASES[key] ?? key;
    }
    case "material":
      if (activity.origin === "virgin") return `material.${keyName(activity.material)}.virgin`;
      return activity.traced === true ? "material.recycled" : `material.${keyName(activity.material)}.recycled`;
  }
}

/** The region an activity is in: its own, else the event's; undefined when neither is known. */
export function activityRegionOf(activity: Activity, eventRegion: string | undefined): string | undefined {
  const own = activity.kind === "electricity" ? activity.gridRegion : activity.region;
  if (own !== undefined && own.trim() !== "") return own.trim();
  if (eventRegion !== undefined && eventRegion.trim() !== "") return eventRegion.trim();
  return undefined;
}

/** The factor units an activity's amount can be expressed in (t and kg convert; L, m3 and kWh do not). */
export function usableUnits(activity: Activity): readonly ActivityUnit[] {
  switch (activity.kind) {
    case "electricity":
      return ["kWh"];
    case "fuel":
      return activity.unit === "kg" || activity.unit === "t"
        ? [activity.unit, activity.unit === "kg" ? "t" : "kg"]
        : [activity.unit];
    case "transport":
      return ["t.km"];
    case "material":
      return ["t", "kg"];
  }
}

/**
 * The activity amount in a factor unit: kWh; the fuel in its own unit (kg ↔ t); t.km = massKg / 1000 ×
 * distanceKm; material t = massKg / 1000 (or kg).
 */
export function amountIn(activity: Activity, unit: ActivityUnit): number {
  switch (activity.kind) {
    case "electricity":
      return activity.kWh;
    case "fuel":
      if (activity.unit === "kg" && unit === "t") return activity.amount / 1000;
      if (activity.unit === "t" && unit === "kg") return activity.amount * 1000;
      return activity.amount;
    case "transport":
      return (activity.massKg / 1000) * activity.distanceKm;
    case "material":
      return unit === "kg" ? activity.massKg : activity.massKg / 1000;
  }
}

/** Amounts that must be finite and not negative, by activity kind. */
function amountsOf(activity: Activity): readonly number[] {
  switch (activity.kind) {
    case "electricity":
      return [activity.kWh];
    case "fuel":
      return [activity.amount];
    case "transport":
      return [activity.distanceKm, activity.massKg];
    case "material":
      return [activity.massKg];
  }
}

function checkAmounts(activity: Activity): void {
  if (amountsOf(activity).every((amount) => Number.isFinite(amount) && amount >= 0)) return;
  throw new DomainError("FOOTPRINT.ACTIVITY_INVALID", "invalid", `A ${activity.kind} activity has an invalid amount`, {
    activity,
  });
}

/** How a factor was reached, before the amount and the data quality are added. */
interface Reached {
  readonly factor: EmissionFactor;
  readonly selection: Contribution["selection"];
  /** 1 the activity's own key, 2 the mode's generic key, 3 a technology proxy. */
  readonly keyLevel: 1 | 2 | 3;
  readonly proxyReason?: string;
  /** Method factors (renewable certificates, cut-off) are neither located nor dated. */
  readonly method?: boolean;
}

/**
 * Chooses the factor of one activity, in this order, never falling back silently:
 * a. the factor the activity names (`FOOTPRINT.FACTOR_UNKNOWN`, `FOOTPRINT.UNIT_MISMATCH`);
 *    renewable electricity → CT_RENEWABLE_EAC; recycled material traced to an input lot → CT_RECYCLED_CUT_OFF
 *    (untraced recycled material is priced like any other key, with a secondary recycling factor);
 * b. the activity key in the activity's region at the event's year;
 * c. the same key and region, the latest earlier year (a newer factor is never used for an older event);
 *    b and c are tried for the vehicle's key, then for the mode's generic key (technological DQR 2);
 * d. the proxy table, for the same keys in the same order;
 * e. otherwise `FOOTPRINT.FACTOR_MISSING`.
 * Only factors whose unit the activity's amount can be expressed in are candidates; a key whose factors are
 * all in other units is `FOOTPRINT.UNIT_MISMATCH`. Ties go to the lowest id.
 */
export function chooseFactor(activity: Activity, context: ChoiceContext, library: FactorLibrary): FactorChoice {
  checkAmounts(activity);
  const key = activityKeyOf(activity);
  const region = activityRegionOf(activity, context.eventRegion);
  const reached = reach(activity, key, region, context.year, library);
  const unit = reached.factor.perUnit;
  const amount = amountIn(activity, unit);
  return {
    key,
    region,
    factor: reached.factor,
    selection: reached.selection,
    ...(reached.proxyReason === undefined ? {} : { proxyReason: reached.proxyReason }),
    amount,
    unit,
    kg: amount * reached.factor.kgPerUnit,
    primaryData: activity.basis !== "estimated" && !untracedRecycled(activity),
    dqr: {
      technological: Math.max(basisLevel(activity.basis), reached.keyLevel, untracedRecycled(activity) ? 3 : 1),
      geographical: reached.method === true ? 1 : geographicalDqr(region, reached.factor.region),
      temporal: reached.method === true ? 1 : temporalDqr(context.year, reached.factor.year),
    },
  };
}

/**
 * Recycled material with no lot behind it: its recycling chain is unknown, so a generic secondary dataset stands
 * in for it, which is a different technology from the one actually used (technological DQR 3, not primary data).
 */
function untracedRecycled(activity: Activity): boolean {
  return activity.kind === "material" && activity.origin === "recycled" && activity.traced !== true;
}

/** Primary data (measured, calculated) is technologically specific; an estimate is not. */
function basisLevel(basis: Basis): 1 | 2 {
  return basis === "estimated" ? 2 : 1;
}

function reach(
  activity: Activity,
  key: string,
  region: string | undefined,
  year: number,
  library: FactorLibrary,
): Reached {
  const index = indexOf(library);
  if (activity.factorId !== undefined) return named(activity, activity.factorId, index.byId);
  if (key === "electricity.renewable") return method(RENEWABLE_EAC_ID, index.byId);
  if (key === "material.recycled") return method(RECYCLED_CUT_OFF_ID, index.byId);

  const units = usableUnits(activity);
  const keys = keyChain(activity, key);
  const candidatesOf = (k: string): EmissionFactor[] =>
    (index.byActivity.get(k) ?? []).filter((factor) => units.includes(factor.perUnit));
  checkUnits(keys, units, region, year, index.byActivity);

  if (region !== undefined) {
    for (const { key: k, level } of keys) {
      const found = inRegion(candidatesOf(k), region, year);
      if (found !== undefined) return { factor: found.factor, selection: found.selection, keyLevel: level };
    }
  }
  for (const { key: k, level } of keys) {
    for (const rule of PROXY_RULES) {
      if (!matchesPattern(rule.key, k) || !matchesPattern(rule.region, region)) continue;
      const found = inRegion(candidatesOf(rule.proxyKey ?? k), rule.proxyRegion, year);
      if (found !== undefined) return proxied(found.factor, rule, level);
    }
  }
  throw new DomainError(
    "FOOTPRINT.FACTOR_MISSING",
    "invalid",
    `No emission factor for ${key} in region ${region ?? "unknown"} for ${year} or earlier, per ${units.join(" or ")}`,
    { key, region: region ?? null, year, units },
  );
}

/** The activity's key, then (for a vehicle without factors of its own) the mode's generic key. */
function keyChain(activity: Activity, key: string): ReadonlyArray<{ key: string; level: 1 | 2 }> {
  if (activity.kind !== "transport") return [{ key, level: 1 }];
  const generic = GENERIC_TRANSPORT_KEYS[activity.mode] ?? key;
  return generic === key
    ? [{ key, level: 1 }]
    : [
        { key, level: 1 },
        { key: generic, level: 2 },
      ];
}

/** Factors exist for the keys, but none in a unit the activity can be expressed in: a unit mismatch, not a gap. */
function checkUnits(
  keys: ReadonlyArray<{ key: string }>,
  units: readonly ActivityUnit[],
  region: string | undefined,
  year: number,
  byActivity: ReadonlyMap<string, readonly EmissionFactor[]>,
): void {
  const factors = keys.flatMap(({ key }) => byActivity.get(key) ?? []);
  if (factors.length === 0 || factors.some((factor) => units.includes(factor.perUnit))) return;
  const available = [...new Set(factors.map((factor) => factor.perUnit))].sort();
  const key = keys[0]?.key ?? "";
  throw new DomainError(
    "FOOTPRINT.UNIT_MISMATCH",
    "invalid",
    `Factors for ${key} are per ${available.join(" or ")}; the activity is in ${units.join(" or ")}`,
    { key, region: region ?? null, year, units, available },
  );
}

/** Rules b and c within one region: the event's year, else the latest earlier year; ties → lowest id. */
function inRegion(
  candidates: readonly EmissionFactor[],
  region: string,
  year: number,
): { factor: EmissionFactor; selection: "exact" | "earlier-year" } | undefined {
  const usable = candidates.filter((factor) => sameRegion(factor.region, region) && factor.year <= year);
  if (usable.length === 0) return undefined;
  const best = usable.reduce((a, b) => (b.year > a.year || (b.year === a.year && b.id < a.id) ? b : a));
  return { factor: best, selection: best.year === year ? "exact" : "earlier-year" };
}

function named(activity: Activity, factorId: string, byId: ReadonlyMap<string, EmissionFactor>): Reached {
  const factor = byId.get(factorId);
  if (factor === undefined) {
    throw new DomainError("FOOTPRINT.FACTOR_UNKNOWN", "invalid", `No emission factor with id ${factorId}`, {
      factorId,
    });
  }
  const units = usableUnits(activity);
  if (!units.includes(factor.perUnit)) {
    throw new DomainError(
      "FOOTPRINT.UNIT_MISMATCH",
      "invalid",
      `Factor ${factorId} is per ${factor.perUnit}; the ${activity.kind} activity is in ${units.join(" or ")}`,
      { factorId, units, available: [factor.perUnit] },
    );
  }
  return { factor, selection: "named", keyLevel: 1 };
}

function method(id: string, byId: ReadonlyMap<string, EmissionFactor>): Reached {
  const factor = byId.get(id);
  // indexOf adds the built-in factors to every library, so this only fails if that invariant is broken.
  if (factor === undefined) throw new DomainError("FOOTPRINT.FACTOR_UNKNOWN", "internal", `No factor ${id}`, {});
  return { factor, selection: id === RENEWABLE_EAC_ID ? "renewable" : "exact", keyLevel: 1, method: true };
}

function proxied(factor: EmissionFactor, rule: ProxyRule, level: 1 | 2): Reached {
  return {
    factor,
    selection: "proxy",
    keyLevel: rule.technologyProxy ? 3 : level,
    proxyReason: rule.reason,
  };
}
