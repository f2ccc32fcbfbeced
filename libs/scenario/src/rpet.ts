/**
 * The reference case: a 12-litre storage box moulded from recycled PET. PET bottles are collected and baled by a
 * supplier, recycled into rPET pellets by two recyclers (one of them from bales bought outside the chain), moulded
 * into boxes (with a little virgin PET and a colour masterbatch; regrind is a co-product) and stored at a
 * warehouse. Activity data are
 * of the order such plants report (recycling ≈ 0.5 kWh per kg of pellets, injection moulding ≈ 1.1 kWh per kg).
 */

import {
  at,
  balesMadeAndShipped,
  electricity,
  epcisDocument,
  evidenceOf,
  location,
  lotUri,
  meterCid,
  quantity,
  receivedAndStored,
  receivedFrom,
  road,
  shippedTo,
  type EvidenceLinks,
  type Json,
} from "./document-parts.js";

/** GTINs of the journey (GS1 company prefix 6901234, check digits valid). */
export const RPET_GTINS = {
  bales: "06901234000016",
  pellets: "06901234000023",
  boxes: "06901234000030",
} as const;

export type Role = "supplier" | "recycler" | "moulder" | "warehouse" | "certifier";

export interface ScenarioParticipant {
  readonly key:
    "supplier" | "recyclerA" | "recyclerB" | "moulder" | "warehouse" | "certifier" | "fibreMaker" | "toyMaker";
  readonly organisation: string;
  readonly displayName: { readonly zh: string; readonly en: string };
  readonly role: Role;
  /** A GLN with a valid check digit. */
  readonly gln: string;
  readonly country: string;
  /**
   * Who signs its events: the partner with its own key (`self`), or the service for it (`custodial`, for a firm
   * without IT staff).
   */
  readonly custody: "self" | "custodial";
  /**
   * GS1 Company Prefixes it owns: it is the brand owner of the GTINs under them and names those products. Every
   * partner here shares the example prefix 6901234, so the moulder's brand is its box GTIN's 12-digit prefix.
   */
  readonly companyPrefixes?: readonly string[];
}

export const RPET_PARTICIPANTS: readonly ScenarioParticipant[] = [
  {
    key: "supplier",
    organisation: "Hangzhou Clearwater Bottle Collection Co., Ltd.",
    displayName: { zh: "杭州清水瓶回收有限公司", en: "Hangzhou Clearwater Bottle Collection" },
    role: "supplier",
    gln: withCheckDigit("690123400001"),
    country: "CN",
    custody: "custodial",
  },
  {
    key: "recyclerA",
    organisation: "Ningbo GreenLoop Recycling Co., Ltd.",
    displayName: { zh: "宁波绿环再生资源有限公司", en: "Ningbo GreenLoop Recycling" },
    role: "recycler",
    gln: withCheckDigit("690123400002"),
    country: "CN",
    custody: "self",
  },
  {
    key: "recyclerB",
    organisation: "Suzhou Renew Polymers Co., Ltd.",
    displayName: { zh: "苏州新生聚合物有限公司", en: "Suzhou Renew Polymers" },
    role: "recycler",
    gln: withCheckDigit("690123400003"),
    country: "CN",
    custody: "self",
  },
  {
    key: "moulder",
    organisation: "Shanghai Homeware Moulding Co., Ltd.",
    displayName: { zh: "上海家居注塑有限公司", en: "Shanghai Homeware Moulding" },
    role: "moulder",
    gln: withCheckDigit("690123400004"),
    country: "CN",
    custody: "self",
    companyPrefixes: ["690123400003"],
  },
  {
    key: "warehouse",
    organisation: "Shanghai Eastport Logistics Co., Ltd.",
    displayName: { zh: "上海东港物流有限公司", en: "Shanghai Eastport Logistics" },
    role: "warehouse",
    gln: withCheckDigit("690123400005"),
    country: "CN",
    custody: "self",
  },
  {
    key: "certifier",
    organisation: "Shanghai Greenmark Certification Co., Ltd.",
    displayName: { zh: "上海绿标认证有限公司", en: "Shanghai Greenmark Certification" },
    role: "certifier",
    gln: withCheckDigit("690123400006"),
    country: "CN",
    custody: "self",
  },
];

/**
 * The journey's quantities, in one place so that events and evidence files agree: masses in kg, distances in km,
 * electricity in kWh.
 */
export const RPET_FLOWS = {
  bottleBalesKg: 1200,
  balingKWh: 60,
  balesRoadKm: 120,
  boughtBalesKg: 800,
  pelletsAKg: 980,
  recyclingAKWh: 560,
  recyclingAGasM3: 35,
  pelletsARoadKm: 180,
  pelletsBKg: 650,
  recyclingBKWh: 390,
  pelletsBRoadKm: 95,
  pelletsAUsedKg: 600,
  pelletsBUsedKg: 400,
  virginPetKg: 20,
  /** Colour masterbatch at a 1 % let-down. */
  colourantKg: 10,
  boxes: 2000,
  boxKg: 0.48,
  regrindKg: 40,
  mouldingKWh: 1150,
  boxesRoadKm: 45,
  storageKWh: 14,
} as const;

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

/** The mass of one box, kg (declared with the moulding run so that counted boxes have a mass). */
export const BOX_MASS_KG = RPET_FLOWS.boxKg;

/** Each participant's EPCIS document for one run, in the order they are captured. */
export function rpetDocuments(
  lots: RpetLots,
  evidence: EvidenceLinks = {},
): Array<{ participant: ScenarioParticipant["key"]; document: Json }> {
  const { bales, pellets, boxes } = RPET_GTINS;
  const f = RPET_FLOWS;
  const gln = (key: ScenarioParticipant["key"]): string =>
    RPET_PARTICIPANTS.find((participant) => participant.key === key)?.gln ?? "";
  const boxMasses = { "ct:unitMasses": [{ "ct:epcClass": lotUri(boxes, lots.boxes), "ct:kgPerUnit": f.boxKg }] };
  return [
    {
      participant: "supplier",
      document: epcisDocument(
        balesMadeAndShipped({
          gtin: bales,
          lot: lots.bottleBales,
          kg: f.bottleBalesKg,
          balingKWh: f.balingKWh,
          roadKm: f.balesRoadKm,
          supplier: gln("supplier"),
          to: gln("recyclerA"),
          made: [1],
          shipped: [2],
          evidence,
        }),
      ),
    },
    {
      participant: "recyclerA",
      document: epcisDocument([
        {
          type: "ObjectEvent",
          ...at(3),
          action: "OBSERVE",
          bizStep: "receiving",
          quantityList: [quantity(bales, lots.bottleBales, f.bottleBalesKg, "KGM")],
          ...location(gln("recyclerA")),
          ...receivedFrom(gln("supplier")),
          ...evidenceOf(evidence, "balesShipped"),
        },
        {
          type: "TransformationEvent",
          ...at(4),
          bizStep: "commissioning",
          inputQuantityList: [quantity(bales, lots.bottleBales, f.bottleBalesKg, "KGM")],
          outputQuantityList: [quantity(pellets, lots.pelletsA, f.pelletsAKg, "KGM")],
          ...location(gln("recyclerA")),
          "ct:process": "recycling",
          "ct:activity": {
            "ct:electricity": [{ ...electricity(f.recyclingAKWh, "CN-ZJ"), ...meterCid(evidence, "recyclingA") }],
            "ct:fuels": [
              {
                "ct:fuelType": "natural_gas",
                "ct:amount": f.recyclingAGasM3,
                "ct:unit": "m3",
                "ct:basis": "calculated",
              },
            ],
          },
          ...evidenceOf(evidence, "recyclingA"),
        },
        {
          type: "ObjectEvent",
          ...at(6),
          action: "OBSERVE",
          bizStep: "shipping",
          quantityList: [quantity(pellets, lots.pelletsA, f.pelletsAKg, "KGM")],
          ...location(gln("recyclerA")),
          ...shippedTo(gln("moulder")),
          "ct:activity": { "ct:transport": [road(f.pelletsARoadKm, f.pelletsAKg)] },
          ...evidenceOf(evidence, "pelletsAShipped"),
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
          inputQuantityList: [quantity(bales, lots.boughtBales, f.boughtBalesKg, "KGM")],
          outputQuantityList: [quantity(pellets, lots.pelletsB, f.pelletsBKg, "KGM")],
          ...location(gln("recyclerB")),
          "ct:process": "recycling",
          // Bought outside the chain: recycler B says so under its signature, so verifiers accept the bales as an
          // input without provenance instead of suspecting upstream events were left out.
          "ct:externalLots": [lotUri(bales, lots.boughtBales)],
          "ct:activity": { "ct:electricity": [electricity(f.recyclingBKWh, "CN-JS", "estimated")] },
        },
        {
          type: "ObjectEvent",
          ...at(6, 14),
          action: "OBSERVE",
          bizStep: "shipping",
          quantityList: [quantity(pellets, lots.pelletsB, f.pelletsBKg, "KGM")],
          ...location(gln("recyclerB")),
          ...shippedTo(gln("moulder")),
          "ct:activity": { "ct:transport": [road(f.pelletsBRoadKm, f.pelletsBKg)] },
          ...evidenceOf(evidence, "pelletsBShipped"),
        },
      ]),
    },
    {
      participant: "moulder",
      document: epcisDocument([
        {
          type: "ObjectEvent",
          ...at(7),
          action: "OBSERVE",
          bizStep: "receiving",
          quantityList: [
            quantity(pellets, lots.pelletsA, f.pelletsAKg, "KGM"),
            quantity(pellets, lots.pelletsB, f.pelletsBKg, "KGM"),
          ],
          ...location(gln("moulder")),
          ...evidenceOf(evidence, "pelletsAShipped"),
        },
        {
          type: "TransformationEvent",
          ...at(10),
          bizStep: "commissioning",
          inputQuantityList: [
            quantity(pellets, lots.pelletsA, f.pelletsAUsedKg, "KGM"),
            quantity(pellets, lots.pelletsB, f.pelletsBUsedKg, "KGM"),
          ],
          outputQuantityList: [
            quantity(boxes, lots.boxes, f.boxes),
            quantity(pellets, lots.regrind, f.regrindKg, "KGM"),
          ],
          ...location(gln("moulder")),
          "ct:process": "moulding",
          ...boxMasses,
          "ct:activity": {
            "ct:electricity": [{ ...electricity(f.mouldingKWh, "CN-SH"), ...meterCid(evidence, "moulding") }],
            // The recycled PET is the two pellet lots above: the entries name them, so they are not counted twice.
            "ct:materials": [
              {
                "ct:material": "PET",
                "ct:origin": "recycled",
                "ct:massKg": f.pelletsAUsedKg,
                "ct:epcClass": lotUri(pellets, lots.pelletsA),
                "ct:basis": "measured",
              },
              {
                "ct:material": "PET",
                "ct:origin": "recycled",
                "ct:massKg": f.pelletsBUsedKg,
                "ct:epcClass": lotUri(pellets, lots.pelletsB),
                "ct:basis": "measured",
              },
              { "ct:material": "PET", "ct:origin": "virgin", "ct:massKg": f.virginPetKg, "ct:basis": "measured" },
              { "ct:material": "colourant", "ct:origin": "virgin", "ct:massKg": f.colourantKg, "ct:basis": "measured" },
            ],
          },
          ...evidenceOf(evidence, "moulding"),
        },
        {
          type: "ObjectEvent",
          ...at(12),
          action: "OBSERVE",
          bizStep: "shipping",
          quantityList: [quantity(boxes, lots.boxes, f.boxes)],
          ...location(gln("moulder")),
          ...shippedTo(gln("warehouse")),
          ...boxMasses,
          "ct:activity": { "ct:transport": [road(f.boxesRoadKm, f.boxes * f.boxKg, "hgv_rigid")] },
          ...evidenceOf(evidence, "boxesShipped"),
        },
      ]),
    },
    {
      participant: "warehouse",
      document: epcisDocument(
        receivedAndStored({
          gtin: boxes,
          lot: lots.boxes,
          count: f.boxes,
          kgPerUnit: f.boxKg,
          warehouse: gln("warehouse"),
          from: gln("moulder"),
          storageKWh: f.storageKWh,
          received: [12, 16],
          stored: [20],
          deliveryNote: evidenceOf(evidence, "boxesShipped"),
        }),
      ),
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
