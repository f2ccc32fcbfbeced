/** Regions and years as data quality: how far a factor is from the activity it prices (PACT DQR 1 … 3). */

/** Both spellings of a worldwide factor in the set: DESNZ and IPCC write GLOBAL, Ember writes World. */
const WORLDWIDE = new Set(["GLOBAL", "WORLD"]);

/** EU member states (ISO 3166-1; Greece also as EL, the EU's own code): an EU factor is their parent region. */
const EU_MEMBERS = new Set([
  ..."AT BE BG HR CY CZ DK EE FI FR DE GR EL HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split(" "),
]);

/** The UK appears as GB (ISO 3166) in the factor set and as UK in some partners' data. */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = { UK: "GB" };

/**
 * China's regional power grids as the MEE names them (CN-East …), reached from the short grid codes partners use
 * (CN-EC for East China) and from ISO 3166-2 province codes: electricity is priced by the grid a site is on.
 * Grids as in the MEE 2022/2023 factor announcements (Sichuan, Chongqing and Tibet form the Southwest grid);
 * Inner Mongolia, split between the North and Northeast grids, is read as North (its larger, western part).
 */
const CN_GRID_OF: Readonly<Record<string, readonly string[]>> = {
  "CN-NORTH": ["CN-NC", "CN-BJ", "CN-TJ", "CN-HE", "CN-SX", "CN-SD", "CN-NM"],
  "CN-NORTHEAST": ["CN-NE", "CN-LN", "CN-JL", "CN-HL"],
  "CN-EAST": ["CN-EC", "CN-SH", "CN-JS", "CN-ZJ", "CN-AH", "CN-FJ"],
  "CN-CENTRAL": ["CN-CC", "CN-HA", "CN-HB", "CN-HN", "CN-JX"],
  "CN-NORTHWEST": ["CN-NW", "CN-SN", "CN-GS", "CN-QH", "CN-NX", "CN-XJ"],
  "CN-SOUTH": ["CN-CSG", "CN-GD", "CN-GX", "CN-YN", "CN-GZ", "CN-HI"],
  "CN-SOUTHWEST": ["CN-SW", "CN-SC", "CN-CQ", "CN-XZ"],
};

const GRID_ALIASES: ReadonlyMap<string, string> = new Map(
  Object.entries(CN_GRID_OF).flatMap(([grid, codes]) => codes.map((code) => [code, grid] as const)),
);

function canonical(region: string): string {
  const upper = region.trim().toUpperCase();
  if (WORLDWIDE.has(upper)) return "GLOBAL";
  return COUNTRY_ALIASES[upper] ?? GRID_ALIASES.get(upper) ?? upper;
}

/** The country part of a region code: "CN" of "CN-East". */
function countryOf(region: string): string {
  return region.split("-")[0] ?? region;
}

/** True when both codes name the same region (GLOBAL = World, UK = GB; case does not matter). */
export function sameRegion(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

/**
 * Geographical DQR: 1 the factor's own region; 2 a region that contains it (the country of a regional grid,
 * the EU for a member state), another grid of the same country, or a worldwide factor; 3 any other region, or
 * an activity whose region is unknown.
 */
export function geographicalDqr(activityRegion: string | undefined, factorRegion: string): 1 | 2 | 3 {
  if (activityRegion === undefined || activityRegion.trim() === "") return 3;
  const activity = canonical(activityRegion);
  const factor = canonical(factorRegion);
  if (activity === factor) return 1;
  if (factor === "GLOBAL") return 2;
  if (countryOf(activity) === countryOf(factor)) return 2;
  if (factor === "EU" && EU_MEMBERS.has(countryOf(activity))) return 2;
  return 3;
}

/** Temporal DQR: 1 within a year of the event, 2 within five years, 3 older or newer than that. */
export function temporalDqr(eventYear: number, factorYear: number): 1 | 2 | 3 {
  const distance = Math.abs(eventYear - factorYear);
  if (distance <= 1) return 1;
  if (distance <= 5) return 2;
  return 3;
}
