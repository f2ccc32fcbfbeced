/**
 * One documented substitution: when an activity has no factor of its own key in its own region (at the event's
 * year or earlier), the factor of `proxyKey` (the same key when absent) in `proxyRegion` is used instead, and
 * the contribution and the factor are flagged as a proxy with `reason`.
 */
export interface ProxyRule {
  /** Activity keys the rule applies to: a key, or a pattern where `*` stands for any text. */
  readonly key: string;
  /** Activity regions it applies to: `*` for any, unknown included; `CN-*` for China's grid codes. */
  readonly region: string;
  /** The key to take the factor from; absent: the activity's own key. */
  readonly proxyKey?: string;
  readonly proxyRegion: string;
  /** The factor describes a different technology (technological DQR 3), not only another place. */
  readonly technologyProxy: boolean;
  readonly reason: string;
}

/**
 * The proxy table, tried in order; the first rule that yields a factor wins. Nothing outside this table is
 * ever substituted: an activity no rule can price is an error (FOOTPRINT.FACTOR_MISSING).
 */
export const PROXY_RULES: readonly ProxyRule[] = [
  {
    key: "electricity.grid",
    region: "CN-*",
    proxyRegion: "CN",
    technologyProxy: false,
    reason:
      "Chinese region code that is no MEE regional grid, grid code or province: the MEE national average of China, the grid's parent region",
  },
  {
    key: "electricity.grid",
    region: "*",
    proxyRegion: "World",
    technologyProxy: false,
    reason: "No factor for this grid in the library: the Ember world average grid intensity",
  },
  {
    key: "freight.*",
    region: "*",
    proxyRegion: "GLOBAL",
    technologyProxy: false,
    reason:
      "No freight factor for this region: the DESNZ global average of the same vehicle (shipping factors are global by nature)",
  },
  {
    key: "freight.*",
    region: "*",
    proxyRegion: "GB",
    technologyProxy: false,
    reason:
      "No freight factor for this region: the UK DESNZ factor of the same vehicle (e.g. road freight in China → the DESNZ HGV factor); the vehicle technology is comparable, the fleet and load factors are British",
  },
  {
    key: "fuel.*",
    region: "*",
    proxyRegion: "GB",
    technologyProxy: false,
    reason:
      "No fuel factor for this region: the UK DESNZ factor of the same fuel (combustion emissions follow the fuel's carbon content, not where it is burnt)",
  },
  {
    key: "material.colourant.virgin",
    region: "*",
    proxyKey: "material.pp.virgin",
    proxyRegion: "EU",
    technologyProxy: true,
    reason:
      "No factor for colour masterbatch: its bulk is carrier resin, usually PP, so the EU virgin PP factor is used (a technology proxy: pigments are not represented)",
  },
  {
    key: "material.*.virgin",
    region: "*",
    proxyRegion: "EU",
    technologyProxy: false,
    reason:
      "No factor for this region: the European cradle-to-gate factor of the same virgin material (PlasticsEurope eco-profile averages)",
  },
  {
    key: "material.*.virgin",
    region: "*",
    proxyRegion: "GB",
    technologyProxy: false,
    reason: "No factor for this region: the UK DESNZ factor of the same virgin material (paper and board)",
  },
  {
    key: "material.*.recycled",
    region: "*",
    proxyRegion: "GB",
    technologyProxy: false,
    reason:
      "Recycled material with no traced lot and no recycling factor for its region: the UK DESNZ closed-loop source factor of the same material",
  },
];

/** True when `text` matches `pattern`, where `*` stands for any text (an undefined text matches only `*`). */
export function matchesPattern(pattern: string, text: string | undefined): boolean {
  if (pattern === "*") return true;
  if (text === undefined) return false;
  const expression = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${expression}$`).test(text);
}
