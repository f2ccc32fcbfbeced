import type { EmissionFactor } from "./model.js";

/** Which activity a factor of the curated set serves when no event names a factor, and why that one. */
export interface Classification {
  readonly activity: string;
  readonly why: string;
}

const MEE_GRID =
  "China MEE/NBS official average grid factor (CO2 only, the figure Chinese regulators expect); the regional grids are used for events in those grids";
const DESNZ_GRID =
  "UK DESNZ 'electricity generated' factor: the official UK location-based grid factor (T&D losses and WTT are separate rows and are not added)";
const EPA_GRID =
  "US EPA eGRID national average converted to CO2e (the CO2-only row of the same table is not classified, to keep one factor per year)";
const EMBER_GRID =
  "Ember yearly grid intensity: no official factor in the set for this region (Ember rows for CN, US and GB are not classified, their official factors are)";
const DESNZ_DIESEL =
  "DESNZ diesel (average biofuel blend), per litre: what is sold at UK pumps; 100% mineral and per-kWh rows are usable by id only";
const EPA_DIESEL = "US EPA mobile combustion, diesel, per US gallon (converted to litres; CO2 only)";
const EPA_PETROL = "US EPA mobile combustion, motor gasoline (petrol), per US gallon (converted to litres; CO2 only)";
const DESNZ_GAS =
  "DESNZ natural gas, per m3 and per kWh gross CV (gross CV is how gas is metered and billed); net CV rows are usable by id only";
const EPA_GAS =
  "US EPA natural gas stationary combustion, CO2e per kWh HHV (= gross CV); the CO2-only per mmBtu and per scf rows are usable by id only";
const DESNZ_HGV = "DESNZ all HGVs (diesel), average laden, per tonne.km: the generic road freight key";
const EPA_TRUCK = "US EPA medium- and heavy-duty truck, CO2e per tonne.km: the generic road freight key for the US";
const DESNZ_ARTIC = "DESNZ all articulated HGVs, average laden, per tonne.km";
const DESNZ_RIGID = "DESNZ all rigid HGVs, average laden, per tonne.km";
const DESNZ_VAN = "DESNZ average van up to 3.5 t (diesel), per tonne.km";
const DESNZ_RAIL = "DESNZ freight train, per tonne.km";
const EPA_RAIL = "US EPA rail, CO2e per tonne.km";
const DESNZ_CONTAINER =
  "DESNZ average container ship (global), per tonne.km: the generic sea freight key, which a container-ship leg also uses";
const DESNZ_BULK = "DESNZ average bulk carrier (global), per tonne.km";
const EPA_WATER =
  "US EPA waterborne craft, CO2e per tonne.km: the EPA figure covers US domestic (mostly inland) waterborne freight";
const RESIN =
  "Cradle-to-gate virgin resin (PlasticsEurope eco-profile via Hopewell et al. 2009): the DESNZ plastics factors include forming into a product, and the moulder's forming energy is counted from its own events, so they would count forming twice";
const RECYCLED_UNTRACED =
  "Recycled material with no traced lot: DESNZ 'closed-loop source' material factor (collection, reprocessing and forming of recycled material), a conservative secondary figure (it includes forming, which the moulder also reports) used instead of the cut-off's zero, because nothing shows how this material was recycled";
const BOARD =
  "DESNZ paper and board: board, primary material production (no cradle-to-gate board factor in the set; DESNZ includes converting)";
const PAPER =
  "DESNZ paper and board: mixed, primary material production (the set has no paper-only row; DESNZ includes converting)";
const CAR = "DESNZ 2025 average car (unknown fuel) per km: the car equivalence on the consumer page";
const TREE =
  "US EPA equivalencies: CO2 sequestered by one urban tree seedling over 10 years (not per year): the tree equivalence";

function all(activity: string, why: string, ids: readonly string[]): Array<[string, Classification]> {
  return ids.map((id) => [id, { activity, why }]);
}

const CN_GRIDS = ["North", "Northeast", "East", "Central", "Northwest", "South", "Southwest"];

/**
 * The classification table: factor id → activity key. Explicit on purpose: a factor serves the automatic
 * choice only when someone decided it is the right default for that activity. Rows not listed (WTT, T&D,
 * fossil-only and excl.-market grid variants, legacy OEFDB grids, the unverified MEE reporting figure, Ember
 * rows for regions with official factors, waste treatment, DESNZ "incl. forming" primary plastics) stay usable by
 * id. The DESNZ closed-loop rows price recycled material nobody traced.
 */
export const FACTOR_CLASSIFICATION: ReadonlyMap<string, Classification> = new Map<string, Classification>([
  ...all("electricity.grid", MEE_GRID, ["MEE2021_CN", "MEE2022_CN", "MEE2023_CN"]),
  ...all(
    "electricity.grid",
    MEE_GRID,
    CN_GRIDS.flatMap((grid) => [`MEE2022_CN-${grid}`, `MEE2023_CN-${grid}`]),
  ),
  ...all("electricity.grid", DESNZ_GRID, ["DESNZ2024_7_400_4000_5_1", "DESNZ2025_7_400_4000_5_1"]),
  ...all("electricity.grid", EPA_GRID, ["EPA2025_T6_US_CO2e"]),
  ...all("electricity.grid", EMBER_GRID, ["EMBER_EU", "EMBER_DEU", "EMBER_World"]),
  ...all("fuel.diesel", DESNZ_DIESEL, ["DESNZ2024_1_101_1011_8_1", "DESNZ2025_1_101_1011_8_1"]),
  ...all("fuel.diesel", EPA_DIESEL, ["EPA2025_T2_diesel"]),
  ...all("fuel.petrol", EPA_PETROL, ["EPA2025_T2_gasoline"]),
  ...all("fuel.natural_gas", DESNZ_GAS, [
    "DESNZ2025_1_100_1004_1_1",
    "DESNZ2025_1_100_1004_6_1",
    "DESNZ2024_1_100_1004_6_1",
  ]),
  ...all("fuel.natural_gas", EPA_GAS, ["EPA2025_T1_NG_CO2e"]),
  ...all("freight.road.hgv", DESNZ_HGV, ["DESNZ2024_27_304_3140_14_1", "DESNZ2025_27_304_3140_14_1"]),
  ...all("freight.road.hgv", EPA_TRUCK, ["EPA2025_T8_truck_CO2e_tkm"]),
  ...all("freight.road.hgv_articulated", DESNZ_ARTIC, ["DESNZ2024_27_304_3136_14_1", "DESNZ2025_27_304_3136_14_1"]),
  ...all("freight.road.hgv_rigid", DESNZ_RIGID, ["DESNZ2025_27_304_3124_14_1"]),
  ...all("freight.road.van", DESNZ_VAN, ["DESNZ2025_27_303_3102_14_1"]),
  ...all("freight.rail", DESNZ_RAIL, ["DESNZ2024_27_315_3151_14_1", "DESNZ2025_27_315_3151_14_1"]),
  ...all("freight.rail", EPA_RAIL, ["EPA2025_T8_rail_CO2e_tkm"]),
  ...all("freight.sea", DESNZ_CONTAINER, ["DESNZ2024_27_320_3235_14_1", "DESNZ2025_27_320_3235_14_1"]),
  ...all("freight.sea.bulk", DESNZ_BULK, ["DESNZ2025_27_320_3221_14_1"]),
  ...all("freight.inland_waterway", EPA_WATER, ["EPA2025_T8_water_CO2e_tkm"]),
  ...all("material.pet.virgin", RESIN, ["HOPEWELL2009_PET_virgin"]),
  ...all("material.pp.virgin", RESIN, ["HOPEWELL2009_PP_virgin"]),
  ...all("material.hdpe.virgin", RESIN, ["HOPEWELL2009_HDPE_virgin"]),
  ...all("material.pet.recycled", RECYCLED_UNTRACED, ["DESNZ2024_19_505_5143_15_1", "DESNZ2025_19_505_5143_15_1"]),
  ...all("material.pp.recycled", RECYCLED_UNTRACED, ["DESNZ2025_19_505_5147_15_1"]),
  ...all("material.hdpe.recycled", RECYCLED_UNTRACED, ["DESNZ2025_19_505_5135_15_1"]),
  ...all("material.plastics.recycled", RECYCLED_UNTRACED, ["DESNZ2025_19_505_5123_15_1"]),
  ...all("material.board.recycled", RECYCLED_UNTRACED, ["DESNZ2025_19_506_5159_15_1"]),
  ...all("material.paper.recycled", RECYCLED_UNTRACED, ["DESNZ2025_19_506_5163_15_1"]),
  ...all("material.board.virgin", BOARD, ["DESNZ2024_19_506_5156_15_1", "DESNZ2025_19_506_5156_15_1"]),
  ...all("material.paper.virgin", PAPER, ["DESNZ2025_19_506_5160_15_1"]),
  ...all("equivalence.car_km", CAR, ["DESNZ2025_4_301_3074_4_1"]),
  ...all("equivalence.tree", TREE, ["EPA_tree_seedling_10yr"]),
]);

/** The activity key of a factor id, or undefined when the factor is usable by id only. */
export function classifiedActivityOf(id: string): string | undefined {
  return FACTOR_CLASSIFICATION.get(id)?.activity;
}

/** Id of the built-in zero factor for electricity backed by renewable energy attribute certificates. */
export const RENEWABLE_EAC_ID = "CT_RENEWABLE_EAC";
/** Id of the built-in zero factor for recycled material under the cut-off approach. */
export const RECYCLED_CUT_OFF_ID = "CT_RECYCLED_CUT_OFF";

/**
 * Factors every library holds, because they are methods rather than measurements: both are zero by rule, and
 * naming them as factors keeps every contribution traceable to a factor id and its source.
 */
export const BUILT_IN_FACTORS: readonly EmissionFactor[] = [
  {
    id: RENEWABLE_EAC_ID,
    name: "Electricity backed by energy attribute certificates from renewable sources (market-based method)",
    category: "electricity",
    value: 0,
    unit: "kgCO2e/kWh",
    perUnit: "kWh",
    kgPerUnit: 0,
    gas: "CO2e",
    region: "GLOBAL",
    year: 2015,
    source:
      "GHG Protocol Scope 2 Guidance (2015), market-based method: electricity backed by energy attribute certificates from renewable sources",
    sourceUrl: "https://ghgprotocol.org/scope-2-guidance",
    licence: "method rule (no data licensed)",
    activity: "electricity.renewable",
  },
  {
    id: RECYCLED_CUT_OFF_ID,
    name: "Recycled content, cut-off approach: no burden of the material's first life",
    category: "material",
    value: 0,
    unit: "kgCO2e/tonne",
    perUnit: "t",
    kgPerUnit: 0,
    gas: "CO2e",
    region: "GLOBAL",
    year: 2018,
    source:
      "ISO 14067:2018 and GHG Protocol Product Standard (2011), recycled content / cut-off approach: the burden of the first life stays with the first product; collection, sorting and recycling are counted through the events of those stages",
    sourceUrl: "https://www.iso.org/standard/71206.html ; https://ghgprotocol.org/product-standard",
    licence: "method rule (no data licensed)",
    activity: "material.recycled",
  },
];
