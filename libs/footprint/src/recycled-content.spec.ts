import { describe, expect, it } from "@jest/globals";
import type { FootprintEvent, FootprintGraph } from "./model.js";
import { recycledContentOf } from "./recycled-content.js";

function moulding(materials: FootprintEvent["activities"]): FootprintGraph {
  return {
    target: "boxes",
    lots: [
      { id: "pellets", unit: "KGM", produced: 500, external: true },
      { id: "virgin", unit: "KGM", produced: 100, external: true },
      { id: "boxes", unit: "EA", produced: 1000, external: false },
      { id: "regrind", unit: "KGM", produced: 120, external: false },
    ],
    events: [
      {
        eventHash: "M",
        eventTime: "2025-03-10T08:00:00+08:00",
        role: "moulder",
        bizStep: "commissioning",
        activities: materials,
        movements: [
          { lotId: "pellets", direction: "consumed", amount: 500, massKg: 500 },
          { lotId: "virgin", direction: "consumed", amount: 100, massKg: 100 },
          // Boxes get 480 / 600 of the run by mass; the regrind the rest.
          { lotId: "boxes", direction: "produced", amount: 1000, massKg: 480 },
          { lotId: "regrind", direction: "produced", amount: 120, massKg: 120 },
        ],
      },
    ],
  };
}

describe("recycledContentOf", () => {
  it("weights declared materials by the share of their event in the lot", () => {
    const content = recycledContentOf(
      moulding([
        { kind: "material", material: "PET", origin: "recycled", massKg: 500, basis: "measured", traced: true },
        { kind: "material", material: "PET", origin: "virgin", massKg: 100, basis: "measured" },
      ]),
    );
    // 500 × 0.8 = 400 kg recycled, 100 × 0.8 = 80 kg virgin: 400 / 480 = 83.33 %
    expect(content.recycledKg).toBeCloseTo(400, 9);
    expect(content.virginKg).toBeCloseTo(80, 9);
    expect(content.recycledPercent).toBeCloseTo(83.333333, 5);
  });

  it("counts only recycled material traced to a lot as recycled content", () => {
    const content = recycledContentOf(
      moulding([
        { kind: "material", material: "PET", origin: "recycled", massKg: 300, basis: "measured", traced: true },
        { kind: "material", material: "PET", origin: "recycled", massKg: 200, basis: "measured" },
        { kind: "material", material: "PET", origin: "virgin", massKg: 100, basis: "measured" },
      ]),
    );
    // × 0.8: 240 kg traced, 160 kg by word only, 80 kg virgin: 240 / 480 = 50 %
    expect(content.recycledKg).toBeCloseTo(240, 9);
    expect(content.untracedRecycledKg).toBeCloseTo(160, 9);
    expect(content.recycledPercent).toBeCloseTo(50, 9);
  });

  it("says nothing when no event declared its material inputs", () => {
    expect(recycledContentOf(moulding([])).recycledPercent).toBeNull();
  });

  it("refuses an unknown lot", () => {
    expect(() => recycledContentOf({ ...moulding([]), target: "nothing" })).toThrow(/nothing/);
  });
});
