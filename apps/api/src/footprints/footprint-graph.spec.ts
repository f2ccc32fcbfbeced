import { describe, expect, it } from "@jest/globals";
import type { FootprintInputs } from "#database";
import { footprintGraphOf } from "./footprint-graph.js";

const LOT = "https://id.gs1.org/01/06901234000030/10/B1";
const INPUT = "https://id.gs1.org/01/06901234000023/10/P1";
const CONTEXT = [
  "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
  { x: "https://carbontrace.org/ns/epcis/" },
];

const inputs: FootprintInputs = {
  lots: [
    { id: LOT, gtin: "06901234000030", lotNumber: "B1", unit: "EA", produced: "1000", consumed: "0", external: false },
    {
      id: INPUT,
      gtin: "06901234000023",
      lotNumber: "P1",
      unit: "KGM",
      produced: "500",
      consumed: "500",
      external: true,
    },
  ],
  events: [
    {
      eventHash: "ni:///sha-256;aa?ver=CBV2.0",
      eventTime: new Date("2024-12-31T16:30:00Z"),
      bizStep: "https://ref.gs1.org/cbv/BizStep-commissioning",
      role: "moulder",
      // any prefix bound to the CarbonTrace namespace is read, and amounts without a basis are estimates
      body: {
        eventTime: "2025-01-01T00:30:00+08:00",
        "x:process": "moulding",
        "x:activity": {
          "x:electricity": [{ "x:kWh": 400, "x:gridRegion": "CN-SH", "x:basis": "measured" }],
          "x:materials": [
            { "x:material": "PET", "x:origin": "virgin", "x:massKg": 20, "x:factorId": "F1" },
            // names the consumed input lot, spelt as an EPC class: traced
            {
              "x:material": "PET",
              "x:origin": "recycled",
              "x:massKg": 400,
              "x:epcClass": "urn:epc:class:lgtin:6901234.000002.P1",
            },
            // names a lot this event did not consume, or none: not traced
            { "x:material": "PET", "x:origin": "recycled", "x:massKg": 50, "x:epcClass": LOT },
            { "x:material": "PET", "x:origin": "recycled", "x:massKg": 30 },
          ],
        },
      },
      context: CONTEXT,
      country: "CN",
      anchored: true,
    },
  ],
  movements: [
    { eventHash: "ni:///sha-256;aa?ver=CBV2.0", lotId: INPUT, direction: "consumed", quantity: "500", massKg: "500" },
    { eventHash: "ni:///sha-256;aa?ver=CBV2.0", lotId: INPUT, direction: "declared", quantity: "500", massKg: "500" },
    { eventHash: "ni:///sha-256;aa?ver=CBV2.0", lotId: LOT, direction: "produced", quantity: "1000", massKg: null },
  ],
};

describe("footprintGraphOf", () => {
  const graph = footprintGraphOf(LOT, inputs);

  it("reads each event's activity data from its CarbonTrace extension", () => {
    expect(graph.events[0]?.activities).toEqual([
      { kind: "electricity", kWh: 400, gridRegion: "CN-SH", basis: "measured" },
      {
        kind: "material",
        material: "PET",
        origin: "virgin",
        massKg: 20,
        basis: "estimated",
        factorId: "F1",
        traced: false,
      },
      { kind: "material", material: "PET", origin: "recycled", massKg: 400, basis: "estimated", traced: true },
      { kind: "material", material: "PET", origin: "recycled", massKg: 50, basis: "estimated", traced: false },
      { kind: "material", material: "PET", origin: "recycled", massKg: 30, basis: "estimated", traced: false },
    ]);
    expect(graph.events[0]).toMatchObject({ role: "moulder", process: "moulding", region: "CN" });
  });

  it("keeps the event time as written (its year is the year where it happened)", () => {
    expect(graph.events[0]?.eventTime).toBe("2025-01-01T00:30:00+08:00");
  });

  it("turns lot movements into the engine's, leaving out the booking of an external lot's first quantity", () => {
    expect(graph.events[0]?.movements).toEqual([
      { lotId: INPUT, direction: "consumed", amount: 500, massKg: 500 },
      { lotId: LOT, direction: "produced", amount: 1000 },
    ]);
    expect(graph.lots).toEqual([
      { id: LOT, unit: "EA", produced: 1000, external: false },
      { id: INPUT, unit: "KGM", produced: 500, external: true },
    ]);
    expect(graph.target).toBe(LOT);
  });
});
