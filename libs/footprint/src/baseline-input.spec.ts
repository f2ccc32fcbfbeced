import { describe, expect, it } from "@jest/globals";
import { parseBaselineScenario } from "./baseline-input.js";

describe("parseBaselineScenario", () => {
  it("reads a baseline, amounts without a basis being estimates", () => {
    const scenario = parseBaselineScenario({
      description: "The same box from virgin PET, moulded on grid power",
      year: 2025,
      activities: [
        { kind: "material", material: "PET", origin: "virgin", massKg: 0.82 },
        { kind: "electricity", kWh: 0.5, gridRegion: "CN-East", basis: "calculated" },
      ],
    });
    expect(scenario.activities).toEqual([
      { kind: "material", material: "PET", origin: "virgin", massKg: 0.82, basis: "estimated" },
      { kind: "electricity", kWh: 0.5, gridRegion: "CN-East", basis: "calculated" },
    ]);
  });

  it("refuses unknown kinds, missing amounts and extra members, saying where", () => {
    for (const bad of [
      { description: "x", year: 2025, activities: [{ kind: "steam", amount: 1 }] },
      { description: "x", year: 2025, activities: [{ kind: "electricity", gridRegion: "CN" }] },
      { description: "x", year: 2025, activities: [{ kind: "electricity", kWh: -1, gridRegion: "CN" }] },
      { description: "x", year: 2025, activities: [] },
      { description: "x", activities: [{ kind: "electricity", kWh: 1, gridRegion: "CN" }] },
      { description: "x", year: 2025, activities: [{ kind: "electricity", kWh: 1, gridRegion: "CN" }], extra: 1 },
    ]) {
      expect(() => parseBaselineScenario(bad)).toThrow(expect.objectContaining({ code: "FOOTPRINT.BASELINE_INVALID" }));
    }
  });
});
