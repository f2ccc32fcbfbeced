import { createHash } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { BUILT_IN_FACTORS } from "./classification.js";
import { chooseFactor } from "./factor-choice.js";
import { createFactorLibrary, indexOf, librarySha256, type StoredFactorContent } from "./library.js";
import type { EmissionFactor } from "./model.js";

const grid: EmissionFactor = {
  id: "GRID",
  name: "grid",
  category: "electricity",
  value: 0.5,
  unit: "kgCO2e/kWh",
  perUnit: "kWh",
  kgPerUnit: 0.5,
  gas: "CO2e",
  region: "GB",
  year: 2025,
  source: "test",
  sourceUrl: "",
  licence: "",
  activity: "electricity.grid",
};

describe("createFactorLibrary", () => {
  it("adds the built-in factors", () => {
    const library = createFactorLibrary("3", [grid]);
    expect(library.version).toBe("3");
    expect(library.factors.map((factor) => factor.id)).toEqual(["GRID", "CT_RENEWABLE_EAC", "CT_RECYCLED_CUT_OFF"]);
  });

  it("keeps a library's own version of a built-in factor", () => {
    const own = { ...BUILT_IN_FACTORS[0]!, name: "own" };
    const library = createFactorLibrary("3", [own]);
    expect(library.factors.filter((factor) => factor.id === "CT_RENEWABLE_EAC").map((f) => f.name)).toEqual(["own"]);
  });
});

describe("indexOf", () => {
  it("makes the built-in factors available to any library", () => {
    const choice = chooseFactor(
      { kind: "electricity", kWh: 10, gridRegion: "GB", renewable: true, basis: "measured" },
      { year: 2025 },
      { version: "1", factors: [grid] },
    );
    expect(choice.factor.id).toBe("CT_RENEWABLE_EAC");
  });

  it("rejects a library that repeats an id", () => {
    expect(() => indexOf({ version: "1", factors: [grid, grid] })).toThrow(
      expect.objectContaining({ code: "FOOTPRINT.FACTOR_DUPLICATE" }),
    );
  });
});

describe("librarySha256", () => {
  it("is the SHA-256 of the factors sorted by id as RFC 8785 JSON, UTF-8 encoded (checked by node:crypto)", () => {
    const chinese: StoredFactorContent = { ...grid, id: "A-GRID", name: "华东电网 平均排放因子 ✓", region: "CN-SH" };
    const factors: StoredFactorContent[] = [grid, chinese];
    // RFC 8785 for these values: keys sorted, no spaces, the non-ASCII name as literal UTF-8 characters.
    const canonical = [chinese, grid]
      .map(
        (f) =>
          `{"activity":"${String(f.activity)}","category":"${f.category}","gas":"${f.gas}","id":"${f.id}",` +
          `"kgPerUnit":${String(f.kgPerUnit)},"licence":"${f.licence}","name":"${f.name}","perUnit":"${f.perUnit}",` +
          `"region":"${f.region}","source":"${f.source}","sourceUrl":"${f.sourceUrl}","unit":"${f.unit}",` +
          `"value":${String(f.value)},"year":${String(f.year)}}`,
      )
      .join(",");
    const expected = createHash("sha256").update(`[${canonical}]`, "utf8").digest("hex");
    expect(librarySha256(factors)).toBe(expected);
    expect(librarySha256([...factors].reverse())).toBe(expected);
  });
});
