import { describe, expect, it } from "@jest/globals";
import { parseDocument } from "./document.js";
import { prepareEvents } from "./prepare.js";
import {
  producedLotDocument,
  receivedLotDocument,
  shippedLotDocument,
  storedLotDocument,
  transformedLotDocument,
  zoneOffsetAt,
  type ProducedLotStep,
  type StepCircumstances,
} from "./step-document.js";
import { toText } from "./decimal.js";

const STEP: ProducedLotStep = {
  gtin: "06901234000016",
  lotNumber: " 2025-118/B ",
  quantity: 1.2,
  unit: "t",
  date: "2025-09-03",
  time: "14:00",
  timeZoneOffset: "+08:00",
  gln: "6901234000014",
  process: "baling",
  electricity: { kWh: 60, gridRegion: "CN-ZJ", meterPhotoCid: "bafkreimeter" },
  evidence: [{ cid: "bafkreiphoto", kind: "photo" }],
};

function problemOf(step: Partial<ProducedLotStep>): { code: string; field: unknown } {
  try {
    producedLotDocument({ ...STEP, ...step });
  } catch (error) {
    const { code, details } = error as { code: string; details: { field?: unknown } };
    return { code, field: details.field };
  }
  throw new Error("accepted");
}

describe("producedLotDocument", () => {
  it("says in EPCIS what the partner said in words, and capture reads it back unchanged", () => {
    const document = producedLotDocument(STEP);
    const [event] = prepareEvents(parseDocument(document), ["supplier"], 10);
    expect(event?.body).toMatchObject({
      eventTime: "2025-09-03T14:00:00.000+08:00",
      eventTimeZoneOffset: "+08:00",
      bizStep: "commissioning",
      bizLocation: { id: "urn:epc:id:sgln:6901234.00001.0" },
    });
    // The lot number as printed (spaces dropped, "/" escaped in the URI), 1.2 t as 1,200 kg.
    expect(event?.movements.map((m) => [m.lot.lotNumber, m.direction, toText(m.amount), m.unit])).toEqual([
      ["2025-118/B", "produced", "1200", "KGM"],
    ]);
    expect(event?.extension).toMatchObject({
      process: "baling",
      activity: { electricity: [{ kWh: 60, gridRegion: "CN-ZJ", basis: "measured", evidenceCid: "bafkreimeter" }] },
      evidence: [{ cid: "bafkreiphoto", kind: "photo" }],
    });
  });

  it("counts pieces with their mass, so the lot has one", () => {
    const document = producedLotDocument({
      ...STEP,
      gtin: "06901234000030",
      unit: "pieces",
      quantity: 2000,
      itemMassKg: 0.48,
      process: "moulding",
    });
    const [event] = prepareEvents(parseDocument(document), ["moulder"], 10);
    expect(
      event?.movements.map((m) => [toText(m.amount), m.unit, m.massKg === undefined ? null : toText(m.massKg)]),
    ).toEqual([["2000", "EA", "960"]]);
  });

  it("names the field of each slip, so the form can say it beside that field", () => {
    expect(problemOf({ lotNumber: "批号 1" })).toEqual({ code: "CONSOLE.FIELD_INVALID", field: "lotNumber" });
    expect(problemOf({ quantity: 0 })).toMatchObject({ field: "quantity" });
    expect(problemOf({ unit: "pieces", quantity: 2.5, itemMassKg: 0.48 })).toMatchObject({ field: "quantity" });
    expect(problemOf({ date: "3/9/2025" })).toMatchObject({ field: "date" });
    expect(problemOf({ time: "2pm" })).toMatchObject({ field: "time" });
    expect(problemOf({ date: "2999-01-01" })).toMatchObject({ field: "date" });
    expect(problemOf({ electricity: { kWh: -5, gridRegion: "CN-ZJ" } })).toMatchObject({ field: "electricity" });
  });
});

const WHEN: StepCircumstances = { date: "2025-09-04", time: "09:30", timeZoneOffset: "+08:00", gln: "6901234000021" };
const BALES = { gtin: "06901234000016", lotNumber: "BB-7", quantity: 1.2, unit: "t" } as const;
const BOXES = { gtin: "06901234000030", lotNumber: "BX-7", quantity: 2000, unit: "pieces", itemMassKg: 0.48 } as const;

function movementsOf(
  document: Record<string, unknown>,
  role: "supplier" | "recycler" | "moulder" | "warehouse",
): string[][] {
  const [event] = prepareEvents(parseDocument(document), [role], 10);
  return (event?.movements ?? []).map((m) => [m.lot.lotNumber, m.direction, toText(m.amount), m.unit]);
}

describe("the other steps' documents", () => {
  it("ships a lot to a partner's site with the leg it travelled, carrying the shipment's mass", () => {
    const document = shippedLotDocument({
      ...WHEN,
      lot: BOXES,
      toGln: "6901234000052",
      transport: { mode: "road", distanceKm: 45, region: "CN" },
    });
    const [event] = prepareEvents(parseDocument(document), ["moulder"], 10);
    expect(event?.body).toMatchObject({
      bizStep: "shipping",
      action: "OBSERVE",
      destinationList: [
        { type: "owning_party", destination: "urn:epc:id:pgln:6901234.00005" },
        { type: "location", destination: "urn:epc:id:sgln:6901234.00005.0" },
      ],
    });
    expect(event?.extension).toMatchObject({
      activity: { transport: [{ mode: "road", distanceKm: 45, massKg: 960, region: "CN", basis: "measured" }] },
    });
    expect(movementsOf(document, "moulder")).toEqual([["BX-7", "observed", "2000", "EA"]]);
  });

  it("receives what arrived, naming the shipper; stores what it holds", () => {
    const received = receivedLotDocument({ ...WHEN, lot: BALES, fromGln: "6901234000014" });
    expect(movementsOf(received, "recycler")).toEqual([["BB-7", "observed", "1200", "KGM"]]);
    expect(JSON.stringify(received)).toContain('"source":"urn:epc:id:pgln:6901234.00001"');
    const stored = storedLotDocument({
      ...WHEN,
      lot: BOXES,
      process: "storage",
      electricity: { kWh: 14, gridRegion: "CN" },
    });
    expect(movementsOf(stored, "warehouse")).toEqual([["BX-7", "observed", "2000", "EA"]]);
  });

  it("transforms the lots used into the lot made, with the activities and the pieces' mass", () => {
    const document = transformedLotDocument({
      ...WHEN,
      process: "moulding",
      inputs: [{ gtin: "06901234000023", lotNumber: "PA-7", quantity: 980, unit: "kg" }],
      outputs: [BOXES],
      electricity: { kWh: 1150, gridRegion: "CN" },
    });
    expect(movementsOf(document, "moulder")).toEqual([
      ["PA-7", "consumed", "980", "KGM"],
      ["BX-7", "produced", "2000", "EA"],
    ]);
    expect(JSON.stringify(document)).toContain('"ct:kgPerUnit":0.48');
  });

  it("names the input field of a slip in the lots used", () => {
    const attempt = () =>
      transformedLotDocument({
        ...WHEN,
        inputs: [BALES, { ...BALES, lotNumber: "BB-8", quantity: 0 }],
        outputs: [{ ...BALES, gtin: "06901234000023" }],
      });
    expect(attempt).toThrow(expect.objectContaining({ code: "CONSOLE.FIELD_INVALID", details: { field: "input-1" } }));
    expect(() => shippedLotDocument({ ...WHEN, lot: BALES, toGln: "" })).toThrow(
      expect.objectContaining({ details: { field: "to" } }),
    );
  });
});

describe("zoneOffsetAt", () => {
  it("gives the offset in force at that local time, east of Greenwich positive", () => {
    expect(zoneOffsetAt("2025-09-03", "14:00", () => -480)).toBe("+08:00");
    expect(zoneOffsetAt("2025-01-03", "14:00", () => 300)).toBe("-05:00");
    expect(zoneOffsetAt("2025-01-03", "14:00", () => -330)).toBe("+05:30");
  });
});
