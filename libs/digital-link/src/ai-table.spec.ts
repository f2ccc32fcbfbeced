import { describe, expect, it } from "@jest/globals";
import { dictionaryEntries, isValidKeyQualifierPath, keyQualifierPathsOf, lookupAi } from "./ai-table.js";
import { isImplementedLinter } from "./linters.js";

const STRICT = { permitUnknownAis: false };
const LENIENT = { permitUnknownAis: true };

/** Linters that need large code lists (countries, currencies, IBAN, coupons, …); see linters.ts. */
const NOT_PORTED = [
  "couponcode",
  "couponposoffer",
  "iban",
  "importeridx",
  "iso3166",
  "iso3166999",
  "iso3166alpha2",
  "iso4217",
  "mediatype",
  "packagetype",
];

describe("AI table from the GS1 Barcode Syntax Dictionary", () => {
  it("expands ranges into single AIs", () => {
    const ais = dictionaryEntries().map(({ ai }) => ai);
    expect(ais).toEqual(expect.arrayContaining(["00", "01", "3100", "3105", "3955", "91", "99", "8200"]));
    expect(ais).not.toContain("3106");
  });

  it("reads predefined length, data attribute permission and components", () => {
    expect(lookupAi("01", STRICT)).toMatchObject({ fnc1: false, dataAttribute: "allowed", title: "GTIN" });
    expect(lookupAi("10", STRICT)).toMatchObject({
      fnc1: true,
      components: [{ cset: "X", min: 1, max: 20, optional: false, linters: [] }],
    });
    expect(lookupAi("21", STRICT)?.dataAttribute).toBe("forbidden");
    expect(lookupAi("253", STRICT)?.components).toEqual([
      { cset: "N", min: 13, max: 13, optional: false, linters: ["csum", "gcppos1"] },
      { cset: "X", min: 1, max: 17, optional: true, linters: [] },
    ]);
  });

  it("names only linters that are ported or knowingly skipped", () => {
    const named = new Set(dictionaryEntries().flatMap(({ components }) => components.flatMap((c) => c.linters)));
    expect([...named].filter((name) => !isImplementedLinter(name)).sort()).toEqual(NOT_PORTED);
  });

  it("knows the key-qualifier paths of a GTIN", () => {
    expect(isValidKeyQualifierPath(["01", "22", "10", "21"])).toBe(true);
    expect(isValidKeyQualifierPath(["01", "10", "22"])).toBe(false);
    expect(isValidKeyQualifierPath(["01", "22", "235"])).toBe(false);
    expect(keyQualifierPathsOf("414").map((path) => path.join(" "))).toEqual(["414", "414 254", "414 7040"]);
  });

  it("accepts unknown AIs only when permitted and only at the length their prefix implies", () => {
    expect(lookupAi("89", STRICT)).toBeNull();
    expect(lookupAi("89", LENIENT)?.dataAttribute).toBe("unknown-ai");
    expect(lookupAi("3106", LENIENT)).toMatchObject({ fnc1: false, components: [{ min: 6, max: 6 }] });
    expect(lookupAi("310", LENIENT)).toBeNull();
    expect(lookupAi("999", LENIENT)).toBeNull();
    expect(lookupAi("1", LENIENT)).toBeNull();
  });
});
