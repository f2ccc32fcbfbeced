import { DomainError } from "#common";

/**
 * Everyday equivalents of an amount of CO2e for the consumer page: hours of a 60 W light bulb, kilometres by an
 * average car, days of CO2 uptake by a young tree. They are orders of magnitude for a reader, not accounting:
 * the grid and tree factors count CO2 only and are compared with kg CO2e as they stand.
 */
export type EquivalentKind = "light-bulb-hours" | "car-km" | "tree-days";

/** One factor with its provenance, copied from a row of libs/footprint/data/emission-factors.csv. */
export interface FactorSource {
  readonly id: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly region: string;
  readonly year: string;
  /** Who published it (the CSV `source` column). */
  readonly source: string;
  /** The first web address of the CSV `source_url_or_repo_path` column, for a link. */
  readonly url: string;
  /** The whole `source_url_or_repo_path` column, verbatim. */
  readonly reference: string;
  readonly licence: string;
}

export interface EquivalenceFactors {
  /** Grid electricity, kg CO2(e) per kWh. */
  readonly electricity: FactorSource;
  /** Passenger car, kg CO2(e) per km. */
  readonly car: FactorSource;
  /** CO2 taken up by one tree seedling over its first 10 years, kg. */
  readonly tree: FactorSource;
}

export interface Equivalent {
  readonly kind: EquivalentKind;
  /** How many hours, km or days; not rounded (the page rounds for display). */
  readonly value: number;
  /** kg CO2e that one hour, km or day stands for. */
  readonly kgPerUnit: number;
  readonly factor: FactorSource;
  readonly label: { readonly en: string; readonly zh: string };
}

/** A 60 W bulb uses 0.06 kWh in one hour. */
export const LIGHT_BULB_KWH_PER_HOUR = 0.06;

/** The EPA tree figure covers 10 years: 10 × 365.25 days. */
export const TREE_DAYS = 3652.5;

/**
 * Defaults for a page in China: the MEE/NBS national grid average for 2023, the DESNZ 2025 average car
 * (fuel unknown) and the EPA urban tree seedling (60 kg CO2 over 10 years ≈ 16.4 g a day).
 */
export const DEFAULT_EQUIVALENCE_FACTORS: EquivalenceFactors = {
  electricity: {
    id: "MEE2023_CN",
    name: "China electricity CO2 emission factor 2023, national average",
    value: 0.5306,
    unit: "kgCO2/kWh (CO2 only)",
    region: "CN",
    year: "2023",
    source: "China MEE & National Bureau of Statistics, 2023 electricity CO2 emission factors (secondary report)",
    url: "https://www.163.com/dy/article/KIQVBKCG05567I2C.html",
    reference:
      "MEE & NBS announcement on 2023 electricity CO2 emission factors; read via https://www.163.com/dy/article/KIQVBKCG05567I2C.html (Guangming Daily) and reportify.ai summaries",
    licence: "Government announcement (no explicit open licence stated; factual figures)",
  },
  car: {
    id: "DESNZ2025_4_301_3074_4_1",
    name: "Passenger vehicles | Cars (by size) | Average car | Unknown",
    value: 0.16725,
    unit: "kgCO2e/km",
    region: "GB",
    year: "2025",
    source:
      "UK DESNZ GHG Conversion Factors for Company Reporting 2025, flat file v1 (Ricardo/Aether for DESNZ), AR5 GWP basis",
    url: "https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2025",
    reference:
      'https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2025 ; copy read from github streetvisit/carbon-recycling-platform@35bc3cd:reference-data/uk-gov-conversion-factors/2025/flat-file.xlsx (sheet "Factors by Category")',
    licence: "Open Government Licence v3.0",
  },
  tree: {
    id: "EPA_tree_seedling_10yr",
    name: "CO2 sequestered by one urban tree seedling grown for 10 years (EPA Equivalencies; 36.4 lb C x 44/12)",
    value: 60,
    unit: "kgCO2 per tree over 10 years (sequestration, not emission)",
    region: "US",
    year: "2024-2025",
    source:
      "US EPA Greenhouse Gas Equivalencies Calculator - Calculations and References (formula quoted in several repos)",
    url: "https://www.epa.gov/energy/greenhouse-gas-equivalencies-calculator-calculations-and-references",
    reference:
      "https://www.epa.gov/energy/greenhouse-gas-equivalencies-calculator-calculations-and-references (text read via code copies, e.g. find_string ids 47439298412, 23371774908)",
    licence: "US public domain (US Government work)",
  },
};

/**
 * The equivalents of `kgCO2e` (≥ 0): light-bulb hours = kg / (0.06 kWh × grid kg/kWh), car km = kg / car
 * kg/km, tree-days = kg / (tree kg / 3652.5 days). Factors whose unit is not per kWh, per km or over 10 years,
 * or whose value is not positive, are refused (OFFSET.EQUIVALENCE_FACTOR), so a per-mile factor cannot slip in.
 */
export function equivalentsOf(kgCO2e: number, factors: EquivalenceFactors): Equivalent[] {
  if (!Number.isFinite(kgCO2e) || kgCO2e < 0) {
    throw new DomainError(
      "OFFSET.EQUIVALENCE_INPUT",
      "invalid",
      `The amount must be a number of kilograms of CO2e, zero or more; got ${kgCO2e}`,
      { field: "kgCO2e" },
    );
  }
  const electricity = checkFactor("electricity", factors.electricity, /\/kWh\b/, "per kWh");
  const car = checkFactor("car", factors.car, /\/km\b/, "per km");
  const tree = checkFactor("tree", factors.tree, /\b10 years\b/, "over 10 years");
  return [
    equivalent("light-bulb-hours", kgCO2e, LIGHT_BULB_KWH_PER_HOUR * electricity.value, electricity, {
      en: "hours of a 60 W light bulb",
      zh: "60瓦灯泡点亮的小时数",
    }),
    equivalent("car-km", kgCO2e, car.value, car, {
      en: "kilometres driven by an average car",
      zh: "普通汽车行驶的公里数",
    }),
    equivalent("tree-days", kgCO2e, tree.value / TREE_DAYS, tree, {
      en: "days of CO2 taken up by a young tree",
      zh: "一棵小树吸收二氧化碳的天数",
    }),
  ];
}

function equivalent(
  kind: EquivalentKind,
  kg: number,
  kgPerUnit: number,
  factor: FactorSource,
  label: Equivalent["label"],
): Equivalent {
  return { kind, value: kg / kgPerUnit, kgPerUnit, factor, label };
}

function checkFactor(role: string, factor: FactorSource, unit: RegExp, expected: string): FactorSource {
  if (!Number.isFinite(factor.value) || factor.value <= 0 || !unit.test(factor.unit)) {
    throw new DomainError(
      "OFFSET.EQUIVALENCE_FACTOR",
      "invalid",
      `The ${role} factor ${factor.id} must be a positive amount of CO2 ${expected}; got ${factor.value} ${factor.unit}`,
      { factor: role, id: factor.id },
    );
  }
  return factor;
}
