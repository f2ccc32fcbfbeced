import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";
import { areasOfRegion, expandGeography, PACT_REGIONS } from "./regions.js";

const DATA_MODEL = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "..",
  "shared",
  "conformance",
  "pact",
  "v3",
  "data-model.md",
);

describe("PACT RegionOrSubregion values (UN M49)", () => {
  it("are the 22 values of the PACT data model", () => {
    expect([...PACT_REGIONS].sort()).toEqual(
      [
        "Africa",
        "Americas",
        "Asia",
        "Europe",
        "Oceania",
        "Australia and New Zealand",
        "Central Asia",
        "Eastern Asia",
        "Eastern Europe",
        "Latin America and the Caribbean",
        "Melanesia",
        "Micronesia",
        "Northern Africa",
        "Northern America",
        "Northern Europe",
        "Polynesia",
        "South-eastern Asia",
        "Southern Asia",
        "Southern Europe",
        "Sub-Saharan Africa",
        "Western Asia",
        "Western Europe",
      ].sort(),
    );
  });

  (existsSync(DATA_MODEL) ? it : it.skip)("match the data model's enumeration", () => {
    const text = readFileSync(DATA_MODEL, "utf8");
    const section = text.slice(text.indexOf("## Data Type: <dfn enum>RegionOrSubregion"));
    const values = [...section.slice(0, section.indexOf("</dl>")).matchAll(/^: <dfn>([^<]+)<\/dfn>/gm)].map(
      (m) => m[1],
    );
    expect([...PACT_REGIONS].sort()).toEqual([...values].sort());
  });

  it("cover their countries, at every level, whatever the case", () => {
    expect(areasOfRegion("Eastern Asia")).toEqual(expect.arrayContaining(["CN", "JP", "KR", "MN", "HK", "MO", "TW"]));
    expect(areasOfRegion("eastern asia")).not.toContain("DE");
    expect(areasOfRegion("Asia")).toEqual(expect.arrayContaining(["CN", "IN", "VN", "Eastern Asia", "Southern Asia"]));
    expect(areasOfRegion("Latin America and the Caribbean")).toEqual(expect.arrayContaining(["BR", "MX", "JM"]));
    expect(areasOfRegion("Americas")).toEqual(expect.arrayContaining(["US", "CA", "BR", "Northern America"]));
    expect(areasOfRegion("Europe")).toEqual(expect.arrayContaining(["DE", "FR", "PL", "Western Europe"]));
    expect(areasOfRegion("Europe")).not.toContain("CN");
    expect(areasOfRegion("CN")).toBeUndefined();
  });

  it("expand a geography filter, keeping countries as they are", () => {
    const expanded = expandGeography(["Western Europe", "cn"]);
    expect(expanded).toEqual(expect.arrayContaining(["Western Europe", "DE", "FR", "NL", "cn"]));
    expect(expanded).not.toContain("PL");
  });
});
