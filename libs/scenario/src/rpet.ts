/**
 * The reference case: a 12-litre storage box moulded from recycled PET. PET bottles are collected and baled by a
 * supplier, recycled into rPET pellets by two recyclers (one of them from bales bought outside the chain), moulded
 * into boxes (with a little virgin PET and regrind as a co-product) and stored at a warehouse. Activity data are
 * of the order such plants report (recycling ≈ 0.5 kWh per kg of pellets, injection moulding ≈ 1.1 kWh per kg).
 */

export const CT_NAMESPACE = "https://carbontrace.org/ns/epcis/";
export const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/** GTINs of the journey (GS1 company prefix 6901234, check digits valid). */
export const RPET_GTINS = {
  bales: "06901234000016",
  pellets: "06901234000023",
  boxes: "06901234000030",
} as const;

export type Role = "supplier" | "recycler" | "moulder" | "warehouse";

export interface ScenarioParticipant {
  readonly key: "supplier" | "recyclerA" | "recyclerB" | "moulder" | "warehouse";
  readonly organisation: string;
  readonly displayName: { readonly zh: string; readonly en: string };
  readonly role: Role;
  /** A GLN with a valid check digit. */
  readonly gln: string;
  readonly country: string;
}

export const RPET_PARTICIPANTS: readonly ScenarioParticipant[] = [
  {
    key: "supplier",
    organisation: "Hangzhou Clearwater Bottle Collection Co., Ltd.",
    displayName: { zh: "杭州清水瓶回收有限公司", en: "Hangzhou Clearwater Bottle Collection" },
    role: "supplier",
    gln: withCheckDigit("690123400001"),
    country: "CN",
  },
  {
    key: "recyclerA",
    organisation: "Ningbo GreenLoop Recycling Co., Ltd.",
    displayName: { zh: "宁波绿环再生资源有限公司", en: "Ningbo GreenLoop Recycling" },
    role: "recycler",
    gln: withCheckDigit("690123400002"),
    country: "CN",
  },
  {
    key: "recyclerB",
    organisation: "Suzhou Renew Polymers Co., Ltd.",
    displayName: { zh: "苏州新生聚合物有限公司", en: "Suzhou Renew Polymers" },
    role: "recycler",
    gln: withCheckDigit("690123400003"),
    country: "CN",
  },
  {
    key: "moulder",
    organisation: "Shanghai Homeware Moulding Co., Ltd.",
    displayName: { zh: "上海家居注塑有限公司", en: "Shanghai Homeware Moulding" },
    role: "moulder",
    gln: withCheckDigit("690123400004"),
    country: "CN",
  },
  {
    key: "warehouse",
    organisation: "Shanghai Eastport Logistics Co., Ltd.",
    displayName: { zh: "上海东港物流有限公司", en: "Shanghai Eastport Logistics" },
    role: "warehouse",
    gln: withCheckDigit("690123400005"),
    country: "CN",
  },
];

export interface RpetLots {
  readonly bottleBales: string;
  readonly boughtBales: string;
  readonly pelletsA: string;
  readonly pelletsB: string;
  readonly boxes: string;
  readonly regrind: string;
}

/** Lot numbers for one run of the scenario (a suffix keeps runs on one database apart). */
export function rpetLots(run: string): RpetLots {
  return {
    bottleBales: `BB${run}`,
    boughtBales: `XB${run}`,
    pelletsA: `PA${run}`,
    pelletsB: `PB${run}`,
    boxes: `BX${run}`,
    regrind: `RG${run}`,
  };
}

type Json = Record<string, unknown>;

export function lotUri(gtin: string, lot: string): string {
  return `https://id.gs1.org/01/${gtin}/10/${lot}`;
}

const quantity = (gtin: string, lot: string, amount: number, uom?: string): Json => ({
  epcClass: lotUri(gtin, lot),
  quantity: amount,
  ...(uom === undefined ? {} : { uom }),
});

const at = (day: number, hour = 8): Json => ({
  eventTime: `2025-09-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00.000+08:00`,
  eventTimeZoneOffset: "+08:00",
});

const location = (gln: string): Json => ({
  bizLocation: { id: `urn:epc:id:sgln:${gln.slice(0, 7)}.${gln.slice(7, 12)}.0` },
});

const electricity = (kWh: number, gridRegion: string, basis = "measured"): Json => ({
  "ct:kWh": kWh,
  "ct:gridRegion": gridRegion,
  "ct:basis": basis,
});

const road = (distanceKm: number, massKg: number, vehicle = "hgv_articulated"): Json => ({
  "ct:mode": "road",
  "ct:vehicle": vehicle,
  "ct:distanceKm": distanceKm,
  "ct:massKg": massKg,
  "ct:region": "CN",
  "ct:basis": "measured",
});

export function epcisDocument(events: readonly Json[]): Json {
  return {
    "@context": [EPCIS_CONTEXT, { ct: CT_NAMESPACE }],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: new Date().toISOString(),
    epcisBody: { eventList: events },
  };
}

/** The mass of one box, kg (declared with the moulding run so that counted boxes have a mass). */
export const BOX_MASS_KG = 0.48;

/** Each participant's EPCIS document for one run, in the order they are captured. */
export function rpetDocuments(lots: RpetLots): Array<{ participant: ScenarioParticipant["key"]; document: Json }> {
  const { bales, pellets, boxes } = RPET_GTINS;
  const gln = (key: ScenarioParticipant["key"]): string =>
    RPET_PARTICIPANTS.find((participant) => participant.key === key)?.gln ?? "";
  const boxMasses = { "ct:unitMasses": [{ "ct:epcClass": lotUri(boxes, lots.boxes), "ct:kgPerUnit": BOX_MASS_KG }] };
  return [
    {
      participant: "supplier",
      document: epcisDocument([
        {
          type: "ObjectEvent",
          ...at(1),
          action: "ADD",
          bizStep: "commissioning",
          quantityList: [quantity(bales, lots.bottleBales, 1200, "KGM")],
          ...location(gln("supplier")),
          "ct:process": "baling",
          "ct:activity": { "ct:electricity": [electricity(60, "CN-ZJ")] },
        },
        {
          type: "ObjectEvent",
          ...at(2),
          action: "OBSERVE",
          bizStep: "shipping",
          quantityList: [quantity(bales, lots.bottleBales, 1200, "KGM")],
          ...location(gln("supplier")),
          "ct:activity": { "ct:transport": [road(120, 1200)] },
        },
      ]),
    },
    {
      participant: "recyclerA",
      document: epcisDocument([
        {
          type: "TransformationEvent",
          ...at(4),
          bizStep: "commissioning",
          inputQuantityList: [quantity(bales, lots.bottleBales, 1200, "KGM")],
          outputQuantityList: [quantity(pellets, lots.pelletsA, 980, "KGM")],
          ...location(gln("recyclerA")),
          "ct:process": "recycling",
          "ct:activity": {
            "ct:electricity": [electricity(560, "CN-ZJ")],
            "ct:fuels": [{ "ct:fuelType": "natural_gas", "ct:amount": 35, "ct:unit": "m3", "ct:basis": "calculated" }],
          },
        },
        {
          type: "ObjectEvent",
          ...at(6),
          action: "OBSERVE",
          bizStep: "shipping",
          quantityList: [quantity(pellets, lots.pelletsA, 980, "KGM")],
          ...location(gln("recyclerA")),
          "ct:activity": { "ct:transport": [road(180, 980)] },
        },
      ]),
    },
    {
      participant: "recyclerB",
      document: epcisDocument([
        {
          type: "TransformationEvent",
          ...at(5),
          bizStep: "commissioning",
          inputQuantityList: [quantity(bales, lots.boughtBales, 800, "KGM")],
          outputQuantityList: [quantity(pellets, lots.pelletsB, 650, "KGM")],
          ...location(gln("recyclerB")),
          "ct:process": "recycling",
          "ct:activity": { "ct:electricity": [electricity(390, "CN-JS", "estimated")] },
        },
        {
          type: "ObjectEvent",
          ...at(6, 14),
          action: "OBSERVE",
          bizStep: "shipping",
          quantityList: [quantity(pellets, lots.pelletsB, 650, "KGM")],
          ...location(gln("recyclerB")),
          "ct:activity": { "ct:transport": [road(95, 650)] },
        },
      ]),
    },
    {
      participant: "moulder",
      document: epcisDocument([
        {
          type: "TransformationEvent",
          ...at(10),
          bizStep: "commissioning",
          inputQuantityList: [
            quantity(pellets, lots.pelletsA, 600, "KGM"),
            quantity(pellets, lots.pelletsB, 400, "KGM"),
          ],
          outputQuantityList: [quantity(boxes, lots.boxes, 2000), quantity(pellets, lots.regrind, 40, "KGM")],
          ...location(gln("moulder")),
          "ct:process": "moulding",
          ...boxMasses,
          "ct:activity": {
            "ct:electricity": [electricity(1150, "CN-SH")],
            "ct:materials": [
              { "ct:material": "PET", "ct:origin": "recycled", "ct:massKg": 1000, "ct:basis": "measured" },
              { "ct:material": "PET", "ct:origin": "virgin", "ct:massKg": 20, "ct:basis": "measured" },
            ],
          },
        },
        {
          type: "ObjectEvent",
          ...at(12),
          action: "OBSERVE",
          bizStep: "shipping",
          quantityList: [quantity(boxes, lots.boxes, 2000)],
          ...location(gln("moulder")),
          ...boxMasses,
          "ct:activity": { "ct:transport": [road(45, 960, "hgv_rigid")] },
        },
      ]),
    },
    {
      participant: "warehouse",
      document: epcisDocument([
        {
          type: "ObjectEvent",
          ...at(12, 16),
          action: "OBSERVE",
          bizStep: "receiving",
          quantityList: [quantity(boxes, lots.boxes, 2000)],
          ...location(gln("warehouse")),
          ...boxMasses,
        },
        {
          type: "ObjectEvent",
          ...at(20),
          action: "OBSERVE",
          bizStep: "storing",
          quantityList: [quantity(boxes, lots.boxes, 2000)],
          ...location(gln("warehouse")),
          ...boxMasses,
          "ct:process": "storage",
          "ct:activity": { "ct:electricity": [electricity(14, "CN-SH", "calculated")] },
        },
      ]),
    },
  ];
}

/** GS1 mod-10 check digit appended to 12 digits (a GLN). */
export function withCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    sum += Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  }
  return `${digits}${String((10 - (sum % 10)) % 10)}`;
}
