import { describe, expect, it } from "@jest/globals";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseCsv, parseFactorsCsv } from "../src/csv.js";

const BUNDLED = readFileSync(new URL("./emission-factors.csv", import.meta.url), "utf8");
/** The workplace's curated set, of which the bundled file is a copy (absent outside the workplace). */
const SHARED = fileURLToPath(new URL("../../../../shared/data/emission-factors.csv", import.meta.url));

describe("data/emission-factors.csv", () => {
  it("has 146 factor rows", () => {
    expect(parseCsv(BUNDLED).length - 1).toBe(146);
  });

  it("turns every row into a factor or lists it as skipped, with a reason", () => {
    const ids = parseCsv(BUNDLED)
      .slice(1)
      .map((row) => row[0]);
    const { factors, skipped } = parseFactorsCsv(BUNDLED);
    expect([...factors.map((factor) => factor.id), ...skipped.map((row) => row.id)].sort()).toEqual([...ids].sort());
    expect(skipped).toEqual([
      {
        id: "EPA2025_T6_US_gridloss",
        reason: 'unit "fraction (not an emission factor)" is not an emission factor unit',
      },
    ]);
  });

  it("gives every factor a finite normalised value, a year, a source and a licence", () => {
    for (const factor of parseFactorsCsv(BUNDLED).factors) {
      expect({ id: factor.id, finite: Number.isFinite(factor.kgPerUnit) && factor.kgPerUnit >= 0 }).toEqual({
        id: factor.id,
        finite: true,
      });
      expect(factor.year).toBeGreaterThan(2000);
      expect(factor.source).not.toBe("");
      expect(factor.licence).not.toBe("");
    }
  });

  it("equals the workplace's curated set when that file is present", () => {
    if (!existsSync(SHARED)) {
      console.info(`${SHARED} is absent: the bundled copy is not compared with it`);
      return;
    }
    expect(BUNDLED).toBe(readFileSync(SHARED, "utf8"));
  });
});
