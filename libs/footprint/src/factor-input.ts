import { DomainError } from "#common";
import type { ActivityUnit, EmissionFactor } from "./model.js";
import { parseFactorUnit } from "./units.js";

/** A factor as a person or a file gives it: the source's value and unit, not yet normalised. */
export interface FactorInput {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly value: number;
  readonly unit: string;
  readonly region: string;
  readonly year: number;
  readonly source: string;
  readonly sourceUrl: string;
  readonly licence: string;
  /** The activity it serves in the factor choice; absent: usable only by naming its id. */
  readonly activity?: string;
}

/**
 * A factor from its source value and unit, normalised like the bundled set (`parseFactorUnit`). A unit that is
 * not an emission factor unit, or a value or year that is not a number, is `FOOTPRINT.FACTOR_INVALID`.
 */
export function factorFromInput(input: FactorInput): EmissionFactor {
  if (!Number.isFinite(input.value) || input.value < 0)
    throw invalid(input, `value ${String(input.value)} is not a number ≥ 0`);
  if (!Number.isInteger(input.year)) throw invalid(input, `year ${String(input.year)} is not a year`);
  const parsed = parseFactorUnit(input.unit, input.value);
  if (parsed === undefined) throw invalid(input, `unit "${input.unit}" is not an emission factor unit`);
  const activity = input.activity === undefined || input.activity.trim() === "" ? undefined : input.activity.trim();
  if (activity !== undefined) checkServes(input, activity, parsed.perUnit);
  return {
    id: input.id,
    name: input.name,
    category: input.category,
    value: input.value,
    unit: input.unit,
    ...parsed,
    region: input.region,
    year: input.year,
    source: input.source,
    sourceUrl: input.sourceUrl,
    licence: input.licence,
    activity,
  };
}

/** The units an activity's amount can be priced in, by activity family (the first part of the key). */
const UNITS_BY_FAMILY: Readonly<Record<string, readonly ActivityUnit[]>> = {
  electricity: ["kWh"],
  fuel: ["L", "kg", "t", "m3", "kWh"],
  freight: ["t.km"],
  material: ["t", "kg"],
};

const ACTIVITY_KEY = /^(electricity|fuel|freight|material)(\.[a-z0-9_]+)+$/;

/** A factor serves an activity only in a unit that activity's amounts come in: never a silent conversion. */
function checkServes(input: FactorInput, activity: string, perUnit: ActivityUnit): void {
  const family = ACTIVITY_KEY.exec(activity)?.[1];
  const usable = family === undefined ? undefined : UNITS_BY_FAMILY[family];
  if (usable === undefined) {
    throw invalid(
      input,
      `"${activity}" is not an activity key: use electricity.grid, fuel.<fuel>, freight.<mode>[.<vehicle>] or material.<material>.virgin`,
    );
  }
  if (!usable.includes(perUnit)) {
    throw new DomainError(
      "FOOTPRINT.UNIT_MISMATCH",
      "invalid",
      `Factor ${input.id}: a factor for ${activity} must be per ${usable.join(" or ")}, but "${input.unit}" is per ${perUnit}`,
      { factorId: input.id, activity, unit: input.unit, perUnit, usable },
    );
  }
}

function invalid(input: FactorInput, reason: string): DomainError {
  return new DomainError("FOOTPRINT.FACTOR_INVALID", "invalid", `Factor ${input.id}: ${reason}`, {
    factorId: input.id,
    unit: input.unit,
  });
}
