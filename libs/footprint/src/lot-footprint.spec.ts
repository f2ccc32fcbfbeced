import { describe, expect, it } from "@jest/globals";
import { computeLotFootprint, stageOf } from "./lot-footprint.js";
import type {
  Activity,
  ElectricityActivity,
  FootprintEvent,
  FootprintGraph,
  FootprintLot,
  FootprintResult,
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
  const [role = "", bizStep = ""] = stage.split("/");
  return {
    eventHash,
    eventTime,
    role,
    bizStep: `https://ref.gs1.org/cbv/BizStep-${bizStep}`,
    region: "CN",
    activities,
    movements,
  };
}

const made = (lotId: string, amount: number, massKg?: number): Movement => ({
  lotId,
  direction: "produced",
  amount,
  ...(massKg === undefined ? {} : { massKg }),
});
const used = (lotId: string, amount: number, massKg?: number): Movement => ({
  lotId,
  direction: "consumed",
  amount,
  ...(massKg === undefined ? {} : { massKg }),
});
const seen = (lotId: string, amount: number, massKg?: number): Movement => ({
  lotId,
  direction: "observed",
  amount,
  ...(massKg === undefined ? {} : { massKg }),
});
const power = (kWh: number, basis: Activity["basis"] = "measured"): ElectricityActivity => ({
  kind: "electricity",
  kWh,
  gridRegion: "CN-East",
  basis,
});

/**
 * Two recycler batches feed one moulding run, which also uses virgin PET from an untraced lot and makes boxes
 * plus regrind (a co-product); one shipment carries the boxes together with another lot.
 */
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
    // 400 kWh × 0.5 = 200 kg; pellets-A carries all of it (one output)
    event(
      "R1",
      "2025-03-01T08:00:00+08:00",
      "recycler/commissioning",
      [power(400)],
      [used("bales-1", 700, 700), made("pellets-A", 600, 600)],
    ),
    // 200 kWh × 0.5 = 100 kg, estimated
    event(
      "R2",
      "2025-03-02T08:00:00+08:00",
      "recycler/commissioning",
      [power(200, "estimated")],
      [made("pellets-B", 400, 400)],
    ),
    // 400 kWh × 0.5 = 200 kg; 100 kg virgin PET = 0.1 t × 2000 = 200 kg; 500 kg recycled PET: 0 (cut-off)
    event(
      "M",
      "2025-03-10T08:00:00+08:00",
      "moulder/commissioning",
      [
        power(400),
        { kind: "material", material: "PET", origin: "virgin", massKg: 100, basis: "calculated" },
        { kind: "material", material: "PET", origin: "recycled", massKg: 500, basis: "measured", traced: true },
      ],
      [
        used("pellets-A", 300, 300),
        used("pellets-B", 200, 200),
        used("virgin-1", 100, 100),
        made("boxes", 1000, 480),
        made("regrind", 120, 120),
      ],
    ),
    // 800 kg × 250 km = 200 t.km × 0.1 = 20 kg, shared by mass: boxes 480 / 800 = 0.6
    event(
      "S",
      "2025-03-12T08:00:00+08:00",
      "moulder/shipping",
      [{ kind: "transport", mode: "road", distanceKm: 250, massKg: 800, basis: "measured" }],
      [seen("boxes", 1000, 480), seen("trays", 320, 320)],
    ),
  ],
};

const sumOf = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0);

describe("computeLotFootprint: two recycler batches, one moulding run, one shipment", () => {
  const result = computeLotFootprint(MOULDING, LIBRARY);

  it("sums the allocated emissions of the lot", () => {
    // moulding: 0.8 (480 of 600 kg output) × [E(M) 400 + 300/600 × F(A) 200 + 200/400 × F(B) 100] = 0.8 × 550 = 440
    // shipment: 0.6 × 20 = 12; total 440 + 12 = 452 kg
    expect(result.totalKg).toBeCloseTo(452, 9);
    expect(result.declaredUnit).toEqual({ unit: "EA", amount: 1000 });
    // 452 kg / 1000 boxes = 0.452 kg per box
    expect(result.perUnitKg).toBeCloseTo(0.452, 12);
    expect(result.lot).toBe("boxes");
    expect(result.libraryVersion).toBe("7");
  });

  it("gives one contribution per event and activity, with event kg and allocated lot kg", () => {
    const rows = result.contributions.map((c) => [c.eventHash, c.index, c.factorId, c.amount, c.eventKg, c.lotKg]);
    expect(rows).toEqual([
      // R1: 200 kg × (0.8 × 300/600 = 0.4) = 80
      ["R1", 0, "GRID_CN_EAST", 400, 200, expect.closeTo(80, 9)],
      // R2: 100 kg × (0.8 × 200/400 = 0.4) = 40
      ["R2", 0, "GRID_CN_EAST", 200, 100, expect.closeTo(40, 9)],
      // M: × 0.8
      ["M", 0, "GRID_CN_EAST", 400, 200, expect.closeTo(160, 9)],
      ["M", 1, "PET_EU", 0.1, 200, expect.closeTo(160, 9)],
      ["M", 2, "CT_RECYCLED_CUT_OFF", 0.5, 0, 0],
      // S: 200 t.km × 0.1 = 20 kg × 0.6 = 12
      ["S", 0, "HGV_CN", 200, expect.closeTo(20, 9), expect.closeTo(12, 9)],
    ]);
    expect(result.contributions[3]).toMatchObject({ stage: "moulder/commissioning", selection: "proxy", unit: "t" });
  });

  it("sums stages exactly to the total, in the order of their first event", () => {
    expect(result.stages.map((stage) => [stage.stage, stage.role, stage.bizStep])).toEqual([
      ["recycler/commissioning", "recycler", "commissioning"],
      ["moulder/commissioning", "moulder", "commissioning"],
      ["moulder/shipping", "moulder", "shipping"],
    ]);
    // 80 + 40 = 120; 160 + 160 + 0 = 320; 12
    expect(result.stages.map((stage) => stage.kg)).toEqual([
      expect.closeTo(120, 9),
      expect.closeTo(320, 9),
      expect.closeTo(12, 9),
    ]);
    expect(result.stages.reduce((sum, stage) => sum + stage.kg, 0)).toBe(result.totalKg);
    // per box: 0.12, 0.32, 0.012
    expect(result.stages.map((stage) => stage.perUnitKg)).toEqual([
      expect.closeTo(0.12, 12),
      expect.closeTo(0.32, 12),
      expect.closeTo(0.012, 12),
    ]);
    expect(sumOf(result.contributions.map((c) => c.lotKg))).toBeCloseTo(result.totalKg, 9);
  });

  it("reports the untraced inputs with the share of the boxes' material that comes from them", () => {
    // virgin-1: 100 of the run's 600 kg input = 1/6; bales-1: pellets-A are 300 of 600 kg input, all from bales-1 = 1/2
    const shares = Object.fromEntries(result.externalInputs.map((input) => [input.lot, input.share]));
    expect(Object.keys(shares).sort()).toEqual(["bales-1", "virgin-1"]);
    expect(shares["bales-1"]).toBeCloseTo(0.5, 12);
    expect(shares["virgin-1"]).toBeCloseTo(1 / 6, 12);
  });

  it("lists each factor once and flags the proxy", () => {
    expect(result.factorsUsed.map((f) => [f.id, f.proxy])).toEqual([
      ["CT_RECYCLED_CUT_OFF", false],
      ["GRID_CN_EAST", false],
      ["HGV_CN", false],
      ["PET_EU", true],
    ]);
    expect(result.factorsUsed.find((f) => f.id === "PET_EU")?.proxyReason).toContain("European");
  });

  it("computes the primary data share", () => {
    // only R2 (40 kg) is estimated: 100 × (452 − 40) / 452 = 91.150442…%
    expect(result.primaryDataShare).toBeCloseTo((100 * 412) / 452, 9);
  });

  it("computes emission-weighted data quality ratings", () => {
    // technological: R2 estimated (40 kg) and S generic road key (12 kg) are 2, the rest 1:
    //   (80 + 2×40 + 160 + 160 + 0 + 2×12) / 452 = 504 / 452 = 1.115 → 1.1
    // geographical: PET_EU for a CN activity is 3 (160 kg), the rest 1: (292 + 3×160) / 452 = 772 / 452 = 1.708 → 1.7
    // temporal: PET_EU 2015 for 2025 is 3 (160 kg), the rest 1: 1.7
    expect(result.dqi).toEqual({ technologicalDQR: 1.1, geographicalDQR: 1.7, temporalDQR: 1.7 });
    expect(result.contributions.find((c) => c.eventHash === "S")?.dqr).toEqual({
      technological: 2,
      geographical: 1,
      temporal: 1,
    });
  });

  it("gives the reference period of the contributing events", () => {
    expect(result.referencePeriod).toEqual({ start: "2025-03-01T08:00:00+08:00", end: "2025-03-12T08:00:00+08:00" });
  });
});

describe("computeLotFootprint: event emissions", () => {
  it("prices every kind of activity", () => {
    const graph: FootprintGraph = {
      target: "out",
      lots: [lot("out", 10)],
      events: [
        event(
          "E",
          "2025-06-01T00:00:00Z",
          "moulder/commissioning",
          [
            power(10),
            { kind: "fuel", fuelType: "diesel", amount: 4, unit: "L", basis: "measured" },
            { kind: "fuel", fuelType: "coal", amount: 50, unit: "kg", basis: "measured" },
            { kind: "transport", mode: "rail", distanceKm: 100, massKg: 500, basis: "measured" },
            { kind: "material", material: "PET", origin: "virgin", massKg: 2, basis: "measured" },
            { kind: "material", material: "PP", origin: "recycled", massKg: 8, basis: "measured", traced: true },
            { ...power(1000), renewable: true },
          ],
          [made("out", 10)],
        ),
      ],
    };
    const result = computeLotFootprint(graph, LIBRARY);
    expect(result.contributions.map((c) => [c.activity, c.amount, c.unit, c.eventKg])).toEqual([
      // 10 kWh × 0.5 = 5 kg
      ["electricity", 10, "kWh", 5],
      // 4 L × 2.5 = 10 kg
      ["fuel", 4, "L", 10],
      // 50 kg = 0.05 t × 2400 = 120 kg
      ["fuel", 0.05, "t", expect.closeTo(120, 9)],
      // 0.5 t × 100 km = 50 t.km × 0.02 = 1 kg
      ["transport", 50, "t.km", expect.closeTo(1, 12)],
      // 2 kg = 0.002 t × 2000 = 4 kg
      ["material", 0.002, "t", expect.closeTo(4, 12)],
      // recycled and traced to a lot: cut-off, 0
      ["material", 0.008, "t", 0],
      // renewable certificates: 0
      ["electricity", 1000, "kWh", 0],
    ]);
    // 5 + 10 + 120 + 1 + 4 = 140 kg for 10 kg of product
    expect(result.totalKg).toBeCloseTo(140, 9);
    expect(result.perUnitKg).toBeCloseTo(14, 9);
    expect(result.contributions[6]?.selection).toBe("renewable");
  });

  it("prices recycled material nobody traced with a secondary factor, as secondary data", () => {
    // The reported case: 1,000 kg of "recycled PET" with no lot behind it, estimated, gave 1,000 kg of product
    // for free and a primary data share of 100 %.
    const graph: FootprintGraph = {
      target: "out",
      lots: [lot("out", 1000)],
      events: [
        event(
          "E",
          "2025-06-01T00:00:00Z",
          "moulder/commissioning",
          [power(10), { kind: "material", material: "rPET", origin: "recycled", massKg: 1000, basis: "measured" }],
          [made("out", 1000)],
        ),
      ],
    };
    const result = computeLotFootprint(graph, LIBRARY);
    const recycled = result.contributions[1];
    // 1 t × 1000 kg/t (the GB recycled PET factor, a proxy for a CN event) = 1000 kg
    expect(recycled).toMatchObject({ factorId: "RPET_GB", selection: "proxy", primaryData: false });
    expect(recycled?.eventKg).toBeCloseTo(1000, 9);
    expect(recycled?.dqr.technological).toBe(3);
    // Only the 5 kg of measured electricity is primary data: 5 / 1005
    expect(result.primaryDataShare).toBeCloseTo((100 * 5) / 1005, 9);
    expect(result.dqi.technologicalDQR).toBeCloseTo(Math.round((10 * (5 + 3 * 1000)) / 1005) / 10, 9);
  });

  it("names the event and activity when a factor is missing", () => {
    const graph: FootprintGraph = {
      target: "out",
      lots: [lot("out", 1)],
      events: [
        event(
          "E",
          "2025-06-01T00:00:00Z",
          "moulder/commissioning",
          [{ kind: "fuel", fuelType: "hydrogen", amount: 1, unit: "kg", basis: "measured" }],
          [made("out", 1)],
        ),
      ],
    };
    expect(() => computeLotFootprint(graph, LIBRARY)).toThrow(
      expect.objectContaining({
        code: "FOOTPRINT.FACTOR_MISSING",
        details: expect.objectContaining({ eventHash: "E", activityIndex: 0, key: "fuel.hydrogen" }),
      }),
    );
  });

  it("ignores events that do not reach the lot, even when they could not be priced", () => {
    const graph: FootprintGraph = {
      target: "out",
      lots: [lot("out", 1), lot("other", 1)],
      events: [
        event("E", "2025-06-01T00:00:00Z", "moulder/commissioning", [power(2)], [made("out", 1)]),
        event(
          "X",
          "2025-06-01T00:00:00Z",
          "moulder/commissioning",
          [{ kind: "fuel", fuelType: "hydrogen", amount: 1, unit: "kg", basis: "measured" }],
          [made("other", 1)],
        ),
      ],
    };
    expect(computeLotFootprint(graph, LIBRARY).totalKg).toBe(1);
  });
});

describe("computeLotFootprint: allocation", () => {
  const coProducts = (masses: [number | undefined, number | undefined]): FootprintGraph => ({
    target: "main",
    lots: [lot("main", 300), lot("side", 100)],
    events: [
      // 200 kWh × 0.5 = 100 kg
      event(
        "E",
        "2025-06-01T00:00:00Z",
        "recycler/commissioning",
        [power(200)],
        [made("main", 300, masses[0]), made("side", 100, masses[1])],
      ),
    ],
  });

  it("allocates an event's emissions to its co-products by mass", () => {
    // main: 100 kg × 300 / (300 + 100) = 75 kg; side: 25 kg
    expect(computeLotFootprint(coProducts([300, 100]), LIBRARY).totalKg).toBe(75);
    expect(computeLotFootprint({ ...coProducts([300, 100]), target: "side" }, LIBRARY).totalKg).toBe(25);
  });

  it("refuses to allocate among outputs without known masses", () => {
    expect(() => computeLotFootprint(coProducts([300, undefined]), LIBRARY)).toThrow(
      expect.objectContaining({
        code: "FOOTPRINT.ALLOCATION_MASS_UNKNOWN",
        details: expect.objectContaining({ eventHash: "E" }),
      }),
    );
  });

  it("refuses to share a shipment among lots without known masses", () => {
    const graph: FootprintGraph = {
      target: "a",
      lots: [lot("a", 10, true), lot("b", 10, true)],
      events: [event("S", "2025-06-01T00:00:00Z", "warehouse/shipping", [power(2)], [seen("a", 10), seen("b", 10)])],
    };
    expect(() => computeLotFootprint(graph, LIBRARY)).toThrow(
      expect.objectContaining({ code: "FOOTPRINT.ALLOCATION_MASS_UNKNOWN" }),
    );
  });

  it("refuses to state an untraced lot's share when the inputs it is mixed with have no masses", () => {
    const graph: FootprintGraph = {
      target: "out",
      lots: [lot("bought", 10, true, "KGM"), lot("parts", 10, true, "EA"), lot("out", 10)],
      events: [
        event(
          "M",
          "2025-06-01T00:00:00Z",
          "moulder/commissioning",
          [power(2)],
          [used("bought", 5), used("parts", 5), made("out", 10)],
        ),
      ],
    };
    expect(() => computeLotFootprint(graph, LIBRARY)).toThrow(
      expect.objectContaining({
        code: "FOOTPRINT.ALLOCATION_MASS_UNKNOWN",
        details: expect.objectContaining({ events: ["M"] }),
      }),
    );
  });

  it("passes on the consumed share of an input lot", () => {
    const graph: FootprintGraph = {
      target: "out",
      lots: [lot("in", 1000), lot("out", 50)],
      events: [
        // F(in) = 1000 kWh × 0.5 = 500 kg
        event("A", "2025-01-01T00:00:00Z", "recycler/commissioning", [power(1000)], [made("in", 1000)]),
        // out takes 250 of 1000 kg of "in": 500 × 0.25 = 125 kg, plus 10 kWh × 0.5 = 5 kg → 130 kg
        event("B", "2025-01-02T00:00:00Z", "moulder/commissioning", [power(10)], [used("in", 250), made("out", 50)]),
      ],
    };
    const result = computeLotFootprint(graph, LIBRARY);
    expect(result.totalKg).toBe(130);
    expect(result.perUnitKg).toBe(2.6);
    expect(result.externalInputs).toEqual([]);
  });

  it("reports untraced input lots, which carry no upstream burden", () => {
    const graph: FootprintGraph = {
      target: "out",
      lots: [lot("bought", 500, true), lot("out", 100)],
      events: [
        // 20 kWh × 0.5 = 10 kg; the bought lot adds nothing
        event(
          "B",
          "2025-01-02T00:00:00Z",
          "moulder/commissioning",
          [power(20)],
          [used("bought", 100), made("out", 100)],
        ),
      ],
    };
    const result = computeLotFootprint(graph, LIBRARY);
    expect(result.totalKg).toBe(10);
    expect(result.externalInputs).toEqual([{ lot: "bought", share: 1 }]);
    expect(result.primaryDataShare).toBe(100);
  });

  it("reports a zero footprint with zero primary data share and all DQRs 1", () => {
    const graph: FootprintGraph = {
      target: "out",
      lots: [lot("out", 100)],
      events: [
        event(
          "B",
          "2025-01-02T00:00:00Z",
          "moulder/commissioning",
          [{ ...power(20), renewable: true }],
          [made("out", 100)],
        ),
      ],
    };
    const result = computeLotFootprint(graph, LIBRARY);
    expect(result.totalKg).toBe(0);
    expect(result.primaryDataShare).toBe(0);
    expect(result.dqi).toEqual({ technologicalDQR: 1, geographicalDQR: 1, temporalDQR: 1 });
  });
});

describe("computeLotFootprint: graph errors", () => {
  it("rejects a cycle in the lot graph", () => {
    const graph: FootprintGraph = {
      target: "a",
      lots: [lot("a", 10), lot("b", 10)],
      events: [
        event("E1", "2025-01-01T00:00:00Z", "recycler/commissioning", [], [used("b", 10), made("a", 10)]),
        event("E2", "2025-01-02T00:00:00Z", "recycler/commissioning", [], [used("a", 10), made("b", 10)]),
      ],
    };
    expect(() => computeLotFootprint(graph, LIBRARY)).toThrow(
      expect.objectContaining({ code: "FOOTPRINT.CYCLE", kind: "invalid", details: { lots: ["a", "b"] } }),
    );
  });

  it("rejects an unknown target lot", () => {
    expect(() => computeLotFootprint({ ...MOULDING, target: "nope" }, LIBRARY)).toThrow(
      expect.objectContaining({ code: "FOOTPRINT.LOT_UNKNOWN", kind: "invalid" }),
    );
  });
});

describe("computeLotFootprint: a 10,000-event upstream graph", () => {
  it("visits each lot once (shared upstream lots would explode a naive recursion)", () => {
    // lot i (100 kg) is made by event i from 50 kg of lot i−1 and 50 kg of lot i−2; each event uses 1 kWh (0.5 kg).
    // F(i) = 0.5 + 0.5 F(i−1) + 0.5 F(i−2): every lot feeds two later lots, so the upstream paths double.
    const count = 10_000;
    const lots: FootprintLot[] = [lot("L0", 100, true)];
    const events: FootprintEvent[] = [];
    for (let i = 1; i <= count; i += 1) {
      lots.push(lot(`L${i}`, 100));
      const inputs = i === 1 ? [used("L0", 100, 100)] : [used(`L${i - 1}`, 50, 50), used(`L${i - 2}`, 50, 50)];
      const time = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
      events.push(event(`E${i}`, time, "recycler/commissioning", [power(1)], [...inputs, made(`L${i}`, 100, 100)]));
    }
    const expected = [0, 0.5];
    for (let i = 2; i <= count; i += 1)
      expected.push(0.5 + 0.5 * (expected[i - 1] ?? 0) + 0.5 * (expected[i - 2] ?? 0));

    const result: FootprintResult = computeLotFootprint({ target: `L${count}`, lots, events }, LIBRARY);
    expect(result.contributions).toHaveLength(count);
    expect(result.totalKg).toBeCloseTo(expected[count] ?? Number.NaN, 6);
    expect(result.externalInputs.map((input) => input.lot)).toEqual(["L0"]);
  });
});

describe("stageOf", () => {
  it("uses the bare business step, or none", () => {
    const base = MOULDING.events[0]!;
    expect(stageOf(base)).toBe("recycler/commissioning");
    expect(stageOf({ ...base, bizStep: "shipping" })).toBe("recycler/shipping");
    expect(stageOf({ ...base, bizStep: null })).toBe("recycler/none");
  });
});
