import { describe, expect, it } from "@jest/globals";
import { matchesPattern } from "./proxy-rules.js";
import { geographicalDqr, sameRegion, temporalDqr } from "./regions.js";

describe("geographicalDqr", () => {
  it("is 1 for the factor's own region", () => {
    expect(geographicalDqr("CN-East", "CN-East")).toBe(1);
    expect(geographicalDqr("UK", "GB")).toBe(1);
    expect(geographicalDqr("World", "GLOBAL")).toBe(1);
  });

  it("is 2 for a parent region, the same country, or a worldwide factor", () => {
    expect(geographicalDqr("CN-East", "CN")).toBe(2);
    expect(geographicalDqr("CN-East", "CN-North")).toBe(2);
    expect(geographicalDqr("DE", "EU")).toBe(2);
    expect(geographicalDqr("FR", "World")).toBe(2);
    expect(geographicalDqr("CN", "GLOBAL")).toBe(2);
  });

  it("is 3 for another region or an unknown one", () => {
    expect(geographicalDqr("CN", "GB")).toBe(3);
    expect(geographicalDqr("CN", "EU")).toBe(3);
    expect(geographicalDqr(undefined, "CN")).toBe(3);
    expect(geographicalDqr(undefined, "GLOBAL")).toBe(3);
  });
});

describe("temporalDqr", () => {
  it("is 1 within a year, 2 within five, 3 beyond", () => {
    expect([temporalDqr(2025, 2025), temporalDqr(2025, 2024), temporalDqr(2025, 2026)]).toEqual([1, 1, 1]);
    expect([temporalDqr(2025, 2023), temporalDqr(2025, 2020)]).toEqual([2, 2]);
    expect([temporalDqr(2025, 2019), temporalDqr(2025, 2009)]).toEqual([3, 3]);
  });
});

describe("sameRegion", () => {
  it("treats World and GLOBAL, UK and GB as one", () => {
    expect(sameRegion("World", "GLOBAL")).toBe(true);
    expect(sameRegion("uk", "GB")).toBe(true);
    expect(sameRegion("CN", "CN-East")).toBe(false);
  });

  it("reads China's grid codes and province codes as the MEE regional grid they are on", () => {
    expect(sameRegion("CN-EC", "CN-East")).toBe(true);
    expect(sameRegion("cn-zj", "CN-East")).toBe(true); // Zhejiang
    expect(sameRegion("CN-SC", "CN-Southwest")).toBe(true); // Sichuan (ISO 3166-2), not "South China"
    expect(sameRegion("CN-GD", "CN-South")).toBe(true); // Guangdong
    expect(sameRegion("CN-BJ", "CN-North")).toBe(true);
    expect(sameRegion("CN-ZJ", "CN-North")).toBe(false);
    expect(geographicalDqr("CN-ZJ", "CN-East")).toBe(1);
    expect(geographicalDqr("CN-ZJ", "CN")).toBe(2);
  });
});

describe("matchesPattern", () => {
  it("matches keys and regions with * wildcards", () => {
    expect(matchesPattern("freight.*", "freight.road.hgv")).toBe(true);
    expect(matchesPattern("material.*.virgin", "material.pet.virgin")).toBe(true);
    expect(matchesPattern("material.*.virgin", "material.recycled")).toBe(false);
    expect(matchesPattern("CN-*", "CN-EC")).toBe(true);
    expect(matchesPattern("CN-*", "CN")).toBe(false);
    expect(matchesPattern("CN-*", undefined)).toBe(false);
    expect(matchesPattern("*", undefined)).toBe(true);
  });
});
