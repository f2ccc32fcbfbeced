import type { Server } from "node:http";
import { expect } from "@jest/globals";
import request from "supertest";
import type { SigningDomain } from "#proof";
import { epcisDocument, GTIN, lotClass, newLot, quantity, type Json } from "./epcis.js";
import { capture, registerParticipant, shippedTo, type TestParticipant } from "./participants.js";

/** Emission factors of the bundled library the hand computations below use. */
export const FACTORS = {
  /** MEE 2023 East China grid, kg CO2 per kWh: the latest year ≤ 2025 for CN-East. */
  eastChinaGrid: 0.55,
  /** Hopewell et al. 2009 virgin PET, kg CO2e per kg. */
  virginPet: 3.4,
  /** DESNZ 2025 all HGVs, average laden, kg CO2e per t·km (proxy for road freight in China). */
  hgv: 0.10163,
} as const;

export interface RpetChain {
  readonly recyclerA: TestParticipant;
  readonly recyclerB: TestParticipant;
  readonly moulder: TestParticipant;
  readonly lots: {
    readonly balesA: string;
    readonly balesB: string;
    readonly pelletsA: string;
    readonly pelletsB: string;
    readonly boxes: string;
    readonly regrind: string;
    readonly trays: string;
  };
}

const electricity = (kWh: number, gridRegion: string, basis: string): Json => ({
  "ct:kWh": kWh,
  "ct:gridRegion": gridRegion,
  "ct:basis": basis,
});

const recycledPellets = (epcClass: string, massKg: number): Json => ({
  "ct:material": "PET",
  "ct:origin": "recycled",
  "ct:massKg": massKg,
  "ct:epcClass": epcClass,
  "ct:basis": "measured",
});

/**
 * Two recycler batches feed one moulding run (with virgin PET and regrind as a co-product); one shipment carries
 * the boxes with another lot (trays). Events in March 2025, in China (East China grid).
 *
 *   R1 recycler A: bales A 700 kg → pellets A 600 kg, 400 kWh measured, shipped to the moulder
 *   R2 recycler B: bales B 500 kg → pellets B 400 kg, 200 kWh estimated (in Zhejiang, CN-ZJ: the East China grid),
 *                  shipped to the moulder
 *   P  moulder:    receives both pellet lots (no activity data)
 *   T  moulder:    trays 320 kg commissioned (no activity data)
 *   M  moulder:    pellets A 300 kg + pellets B 200 kg + 100 kg virgin PET → 1000 boxes (0.48 kg each) + 120 kg regrind,
 *                  400 kWh measured
 *   S  moulder:    ships the boxes (480 kg) and the trays (320 kg): 800 kg over 250 km by road
 */
export async function captureRpetChain(
  server: Server,
  adminKey: string,
  domain: SigningDomain,
  options: { meterPhoto?: Buffer } = {},
): Promise<RpetChain & { meterPhotoCid?: string }> {
  const recyclerA = await registerParticipant(server, adminKey, ["recycler"], "self", { country: "CN" });
  const recyclerB = await registerParticipant(server, adminKey, ["recycler"], "custodial", { country: "CN" });
  const moulder = await registerParticipant(server, adminKey, ["moulder"], "self", {
    country: "CN",
    organisation: "Moulder Co.",
  });
  const meterPhotoCid =
    options.meterPhoto === undefined ? undefined : await upload(server, moulder, options.meterPhoto);
  const lots = {
    balesA: newLot("BA"),
    balesB: newLot("BB"),
    pelletsA: newLot("PA"),
    pelletsB: newLot("PB"),
    boxes: newLot("BX"),
    regrind: newLot("RG"),
    trays: newLot("TR"),
  };
  const time = (day: string): Json => ({
    eventTime: `2025-03-${day}T08:00:00.000+08:00`,
    eventTimeZoneOffset: "+08:00",
  });
  const r1 = {
    type: "TransformationEvent",
    ...time("01"),
    bizStep: "commissioning",
    inputQuantityList: [quantity(GTIN.bales, lots.balesA, 700, "KGM")],
    outputQuantityList: [quantity(GTIN.pellets, lots.pelletsA, 600, "KGM")],
    "ct:process": "recycling",
    // The bales were bought outside the chain: declared so, under the recycler's signature.
    "ct:externalLots": [lotClass(GTIN.bales, lots.balesA)],
    "ct:activity": { "ct:electricity": [electricity(400, "CN-East", "measured")] },
  };
  const r2 = {
    ...r1,
    ...time("02"),
    inputQuantityList: [quantity(GTIN.bales, lots.balesB, 500, "KGM")],
    outputQuantityList: [quantity(GTIN.pellets, lots.pelletsB, 400, "KGM")],
    "ct:externalLots": [lotClass(GTIN.bales, lots.balesB)],
    "ct:activity": { "ct:electricity": [electricity(200, "CN-ZJ", "estimated")] },
  };
  const ship = (lot: string, kg: number, day: string): Json => ({
    type: "ObjectEvent",
    ...time(day),
    action: "OBSERVE",
    bizStep: "shipping",
    quantityList: [quantity(GTIN.pellets, lot, kg, "KGM")],
    ...shippedTo(moulder),
  });
  const received = {
    type: "ObjectEvent",
    ...time("04"),
    action: "OBSERVE",
    bizStep: "receiving",
    quantityList: [
      quantity(GTIN.pellets, lots.pelletsA, 600, "KGM"),
      quantity(GTIN.pellets, lots.pelletsB, 400, "KGM"),
    ],
  };
  const trays = {
    type: "ObjectEvent",
    ...time("05"),
    action: "ADD",
    bizStep: "commissioning",
    quantityList: [quantity(GTIN.pellets, lots.trays, 320, "KGM")],
  };
  const moulding = {
    type: "TransformationEvent",
    ...time("10"),
    bizStep: "commissioning",
    inputQuantityList: [
      quantity(GTIN.pellets, lots.pelletsA, 300, "KGM"),
      quantity(GTIN.pellets, lots.pelletsB, 200, "KGM"),
    ],
    outputQuantityList: [quantity(GTIN.boxes, lots.boxes, 1000), quantity(GTIN.pellets, lots.regrind, 120, "KGM")],
    "ct:process": "moulding",
    "ct:unitMasses": [{ "ct:epcClass": lotClass(GTIN.boxes, lots.boxes), "ct:kgPerUnit": 0.48 }],
    "ct:activity": {
      "ct:electricity": [electricity(400, "CN-East", "measured")],
      "ct:materials": [
        { "ct:material": "PET", "ct:origin": "virgin", "ct:massKg": 100, "ct:basis": "calculated" },
        // The recycled PET is the two pellet lots consumed: traced, so priced by their own events (cut-off).
        recycledPellets(lotClass(GTIN.pellets, lots.pelletsA), 300),
        recycledPellets(lotClass(GTIN.pellets, lots.pelletsB), 200),
      ],
    },
    ...(meterPhotoCid === undefined ? {} : { "ct:evidence": [{ "ct:cid": meterPhotoCid, "ct:kind": "meter-photo" }] }),
  };
  const shipment = {
    type: "ObjectEvent",
    ...time("12"),
    action: "OBSERVE",
    bizStep: "shipping",
    quantityList: [quantity(GTIN.boxes, lots.boxes, 1000), quantity(GTIN.pellets, lots.trays, 320, "KGM")],
    "ct:unitMasses": [{ "ct:epcClass": lotClass(GTIN.boxes, lots.boxes), "ct:kgPerUnit": 0.48 }],
    "ct:activity": {
      "ct:transport": [
        { "ct:mode": "road", "ct:distanceKm": 250, "ct:massKg": 800, "ct:region": "CN", "ct:basis": "measured" },
      ],
    },
  };
  for (const [who, events] of [
    [recyclerA, [r1, ship(lots.pelletsA, 600, "03")]],
    [recyclerB, [r2, ship(lots.pelletsB, 400, "03")]],
    [moulder, [received, trays, moulding, shipment]],
  ] as const) {
    const response = await capture(server, who, epcisDocument([...events]), domain);
    expect([response.status, response.body]).toEqual([202, expect.anything()]);
  }
  return { recyclerA, recyclerB, moulder, lots, ...(meterPhotoCid === undefined ? {} : { meterPhotoCid }) };
}

async function upload(server: Server, who: TestParticipant, png: Buffer): Promise<string> {
  const response = await request(server)
    .post("/evidence")
    .set("authorization", `Bearer ${who.token}`)
    .attach("file", png, { filename: "meter.png", contentType: "image/png" });
  expect(response.status).toBe(201);
  return (response.body as { cid: string }).cid;
}
