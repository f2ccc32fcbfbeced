import { describe, expect, it } from "@jest/globals";
import { compareWithBaseline, suggestReductions } from "./baseline.js";
import { computeLotFootprint } from "./lot-footprint.js";
import type {
  Activity,
  ElectricityActivity,
  MaterialActivity,
  FactorLibrary,
  FootprintEvent,
  FootprintGraph,
} from "./model.js";
import { FIXTURE_LIBRARY, lot } from "../../../test/support/footprint-fixtures.js";

const LIBRARY = FIXTURE_LIBRARY;

type Movement = FootprintEvent["movements"][number];

function event(
  eventHash: string,
  eventTime: string,
  stage: string,
  activities: readonly Activity[],
  movements: readonly Movement[],
): FootprintEvent {
  const [role = "", bizStep = null] = stage.split("/");
  return { eventHash, eventTime, role, bizStep, region: "CN", activities, movements };
}

const move = (direction: Movement["direction"], lotId: string, amount: number, massKg: number): Movement => ({
  lotId,
  direction,
  amount,
  massKg,
});
const power = (kWh: number): ElectricityActivity => ({
  kind: "electricity",
  kWh,
  gridRegion: "CN-East",
  basis: "measured",
});
const virginPet = (massKg: number): MaterialActivity => ({
  kind: "material",
  material: "PET",
  origin: "virgin",
  massKg,
  basis: "calculated",
});

/** The graph of lot-footprint.spec.ts: F(boxes) = 452 kg for 1000 boxes (0.452 kg per box). */
const MOULDING: FootprintGraph = {
  target: "boxes",
  lots: [
    lot("bales-1", 1000, true),
    lot("pellets-A", 600),
    lot("pellets-B", 400),
    lot("virgin-1", 1000, true),
    lot("boxes", 1000, false, "EA"),
    lot("regrind", 120),
    lot("trays", 320),
  ],
  events: [
    // F(pellets-A) = 400 kWh × 0.5 = 200 kg
    event(
      "R1",
      "2025-03-01T08:00:00+08:00",
      "recycler/commissioning",
      [power(400)],
      [move("consumed", "bales-1", 700, 700), move("produced", "pellets-A", 600, 600)],
    ),
    // F(pellets-B) = 200 kWh × 0.5 = 100 kg
    event(
      "R2",
      "2025-03-02T08:00:00+08:00",
      "recycler/commissioning",
      [power(200)],
      [move("produced", "pellets-B", 400, 400)],
    ),
    // boxes take 480 of 600 kg output (0.8): electricity 200 kg × 0.8 = 160; virgin PET 200 kg × 0.8 = 160
    event(
      "M",
      "2025-03-10T08:00:00+08:00",
      "moulder/commissioning",
      [
        power(400),
        virginPet(100),
        { kind: "material", material: "PET", origin: "recycled", massKg: 500, basis: "measured", traced: true },
      ],
      [
        move("consumed", "pellets-A", 300, 300),
        move("consumed", "pellets-B", 200, 200),
        move("consumed", "virgin-1", 100, 100),
        move("produced", "boxes", 1000, 480),
        move("produced", "regrind", 120, 120),
      ],
    ),
    // 200 t.km × 0.1 = 20 kg × 0.6 (480 of 800 kg shipped) = 12 kg
    event(
      "S",
      "2025-03-12T08:00:00+08:00",
      "moulder/shipping",
      [{ kind: "transport", mode: "road", distanceKm: 250, massKg: 800, basis: "measured" }],
      [move("observed", "boxes", 1000, 480), move("observed", "trays", 320, 320)],
    ),
  ],
};

describe("compareWithBaseline", () => {
  const result = computeLotFootprint(MOULDING, LIBRARY);

  it("prices the baseline per declared unit with the same factor rules", () => {
    const comparison = compareWithBaseline(
      result,
      {
        description: "The same box from virgin PET on grid power",
        year: 2025,
        activities: [
          { ...virginPet(0.5), region: "CN" },
          { kind: "electricity", kWh: 0.4, gridRegion: "CN-East", basis: "estimated" },
        ],
      },
      LIBRARY,
    );
    // 0.5 kg = 0.0005 t × 2000 = 1 kg; 0.4 kWh × 0.5 = 0.2 kg; baseline 1.2 kg per box
    expect(comparison.baselinePerUnitKg).toBeCloseTo(1.2, 12);
    expect(comparison.actualPerUnitKg).toBeCloseTo(0.452, 12);
    // 1.2 − 0.452 = 0.748 kg; 0.748 / 1.2 = 62.333…%
    expect(comparison.reductionPerUnitKg).toBeCloseTo(0.748, 12);
    expect(comparison.reductionPercent).toBeCloseTo(62.3333333, 6);
    expect(comparison.baselineContributions.map((c) => [c.factorId, c.selection, c.eventKg, c.lotKg])).toEqual([
      ["PET_EU", "proxy", expect.closeTo(1, 12), expect.closeTo(1, 12)],
      ["GRID_CN_EAST", "exact", expect.closeTo(0.2, 12), expect.closeTo(0.2, 12)],
    ]);
    expect(comparison.baselineContributions[0]?.stage).toBe("baseline");
  });

  it("uses the baseline's year for the factor choice", () => {
    const old = { description: "2014", year: 2014, activities: [{ ...virginPet(1), region: "EU" }] };
    // PET_EU is from 2015: nothing for 2014
    expect(() => compareWithBaseline(result, old, LIBRARY)).toThrow(
      expect.objectContaining({ code: "FOOTPRINT.FACTOR_MISSING" }),
    );
  });
});

describe("suggestReductions", () => {
  const result = computeLotFootprint(MOULDING, LIBRARY);
  const suggestions = suggestReductions(MOULDING, result, LIBRARY);

  it("suggests each kind, largest saving per unit first", () => {
    expect(suggestions.map((s) => [s.kind, s.stage, s.savingPerUnitKg])).toEqual([
      // the moulding stage's grid electricity: 160 kg / 1000 boxes
      ["green-electricity", "moulder/commissioning", expect.closeTo(0.16, 12)],
      // virgin PET: 160 kg in the lot for 100 × 0.8 = 80 kg; the recycled lots M consumed carry
      // (300/600 × 200 + 200/400 × 100) / (300 + 200) kg = 150 / 500 = 0.3 kg/kg → 80 × 0.3 = 24 kg;
      // (160 − 24) / 1000 = 0.136
      ["recycled-material", "moulder/commissioning", expect.closeTo(0.136, 12)],
      // road 12 kg × (1 − 0.02 / 0.1) = 9.6 kg / 1000 = 0.0096
      ["modal-shift", "moulder/shipping", expect.closeTo(0.0096, 12)],
    ]);
  });

  it("describes each suggestion in plain English with the stage and the amounts", () => {
    expect(suggestions[0]?.description).toBe(
      "Stage moulder/commissioning: cover its 400 kWh of grid electricity with renewable energy attribute certificates " +
        "(market-based, 0 kg CO2e/kWh). That electricity puts 160 kg CO2e into this lot: 0.16 kg CO2e per item.",
    );
    expect(suggestions[1]?.description).toContain("replace 100 kg of virgin PET with recycled material");
    expect(suggestions[1]?.description).toContain("pellets-A, pellets-B");
    expect(suggestions[1]?.description).toContain("0.3 kg CO2e/kg");
    expect(suggestions[2]?.description).toContain("move the 250 km road leg");
    expect(suggestions[2]?.description).toContain("0.02 instead of 0.1 kg CO2e/t.km");
  });

  it("prices the recycled material with the untraced-recycled factor when the event consumed no recycled lot", () => {
    const graph: FootprintGraph = {
      target: "cups",
      lots: [lot("cups", 100, false, "EA")],
      events: [
        // 100 kg virgin PET = 0.1 t × 2000 = 200 kg for 100 cups
        event("C", "2025-05-01T00:00:00Z", "moulder", [virginPet(100)], [move("produced", "cups", 100, 100)]),
      ],
    };
    const [suggestion, ...rest] = suggestReductions(graph, computeLotFootprint(graph, LIBRARY), LIBRARY);
    expect(rest).toEqual([]);
    // (200 − 0.1 t × 1000 kg/t) / 100 = 1 kg per cup
    expect(suggestion).toMatchObject({ kind: "recycled-material", stage: "moulder/none" });
    expect(suggestion?.savingPerUnitKg).toBeCloseTo(1, 9);
    expect(suggestion?.description).toContain("RPET_GB");
  });

  it("suggests no recycled material when no factor can price it untraced", () => {
    const noRecycled: FactorLibrary = { version: "9", factors: LIBRARY.factors.filter((f) => f.id !== "RPET_GB") };
    const graph: FootprintGraph = {
      target: "cups",
      lots: [lot("cups", 100, false, "EA")],
      events: [event("C", "2025-05-01T00:00:00Z", "moulder", [virginPet(100)], [move("produced", "cups", 100, 100)])],
    };
    expect(suggestReductions(graph, computeLotFootprint(graph, noRecycled), noRecycled)).toEqual([]);
  });

  it("leaves out a modal shift no rail factor can quantify", () => {
    const noRail: FactorLibrary = { version: "8", factors: LIBRARY.factors.filter((f) => f.id !== "RAIL_CN") };
    const kinds = suggestReductions(MOULDING, computeLotFootprint(MOULDING, noRail), noRail).map((s) => s.kind);
    expect(kinds).toEqual(["green-electricity", "recycled-material"]);
  });
});
