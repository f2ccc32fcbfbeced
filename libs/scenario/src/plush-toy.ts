/**
 * The reference case's second product: a 30 cm plush toy of recycled polyester with a zero-carbon label. Bottles
 * collected and baled by the same supplier as the storage box become rPET staple fibre and plush fabric at a
 * fibre maker in Shaoxing; a toy maker in Yangzhou prints the fabric digitally (no dyeing bath), sews and stuffs
 * the toys with 40 % of its electricity from its rooftop solar panels, and hangs a paper tag on each instead of a
 * box; the toys go to the same warehouse, and credits are retired for what is left.
 *
 * Activity data are of the order such plants report: about 2.2 kWh per kg for recycled polyester staple fibre and
 * knitted plush fabric (extrusion, spinning, knitting, heat-setting), 0.25 kWh per toy for digital textile
 * printing and 0.15 kWh per toy for cutting, sewing and stuffing.
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
import { deliveryNote, meterPhoto, readingOffset, weighbridge, type EvidenceDocument } from "./evidence.js";
import { RPET_PARTICIPANTS, withCheckDigit, type ScenarioParticipant } from "./rpet.js";

/** GTINs of the toy's chain (GS1 example prefix 6901234, check digits valid). */
export const PLUSH_GTINS = {
  bales: "06901234000016",
  fibre: "06901234000047",
  toys: "06901234000054",
} as const;

const shared = (key: ScenarioParticipant["key"]): ScenarioParticipant => {
  const found = RPET_PARTICIPANTS.find((participant) => participant.key === key);
  if (found === undefined) throw new Error(`no reference participant ${key}`);
  return found;
};

/** The same supplier, warehouse and certifier as the storage box; a fibre maker and a toy maker of their own. */
export const PLUSH_PARTICIPANTS: readonly ScenarioParticipant[] = [
  shared("supplier"),
  {
    key: "fibreMaker",
    organisation: "Shaoxing Keqiao EcoFibre Textile Co., Ltd.",
    displayName: { zh: "绍兴柯桥绿纤纺织有限公司", en: "Shaoxing Keqiao EcoFibre Textile" },
    role: "recycler",
    gln: withCheckDigit("690123400007"),
    country: "CN",
    custody: "self",
  },
  {
    key: "toyMaker",
    organisation: "Yangzhou Sunny Plush Toys Co., Ltd.",
    displayName: { zh: "扬州阳光毛绒玩具有限公司", en: "Yangzhou Sunny Plush Toys" },
    role: "moulder",
    gln: withCheckDigit("690123400008"),
    country: "CN",
    custody: "self",
    companyPrefixes: ["690123400005"],
  },
  shared("warehouse"),
  shared("certifier"),
];

/** The toy chain's quantities (kg, km, kWh, m3), in one place so that events and evidence files agree. */
export const PLUSH_FLOWS = {
  bottleBalesKg: 420,
  balingKWh: 21,
  balesRoadKm: 65,
  fibreKg: 340,
  fibreKWh: 748,
  fibreGasM3: 20,
  fibreRoadKm: 330,
  toys: 1100,
  toyKg: 0.3,
  /** Printing 275 kWh and sewing and stuffing 165 kWh: 40 % from the rooftop panels, the rest from the grid. */
  toyGridKWh: 264,
  toySolarKWh: 176,
  paperKg: 8.8,
  toysRoadKm: 250,
  storageKWh: 6,
} as const;

export interface PlushLots {
  readonly bottleBales: string;
  readonly fibre: string;
  readonly toys: string;
}

export function plushLots(run: string): PlushLots {
  return { bottleBales: `TB${run}`, fibre: `FB${run}`, toys: `PT${run}` };
}

const partner = (key: ScenarioParticipant["key"]): ScenarioParticipant => {
  const found = PLUSH_PARTICIPANTS.find((participant) => participant.key === key);
  if (found === undefined) throw new Error(`no participant ${key} in the toy's chain`);
  return found;
};

const gln = (key: ScenarioParticipant["key"]): string => partner(key).gln;

/** Each participant's EPCIS document for one run of the toy's chain, in the order they are captured. */
export function plushDocuments(
  lots: PlushLots,
  evidence: EvidenceLinks = {},
): Array<{ participant: ScenarioParticipant["key"]; document: Json }> {
  const { bales, fibre, toys } = PLUSH_GTINS;
  const f = PLUSH_FLOWS;
  const toyMasses = { "ct:unitMasses": [{ "ct:epcClass": lotUri(toys, lots.toys), "ct:kgPerUnit": f.toyKg }] };
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
          to: gln("fibreMaker"),
          made: [15],
          shipped: [16],
          evidence,
        }),
      ),
    },
    {
      participant: "fibreMaker",
      document: epcisDocument([
        {
          type: "ObjectEvent",
          ...at(16, 15),
          action: "OBSERVE",
          bizStep: "receiving",
          quantityList: [quantity(bales, lots.bottleBales, f.bottleBalesKg, "KGM")],
          ...location(gln("fibreMaker")),
          ...receivedFrom(gln("supplier")),
          ...evidenceOf(evidence, "balesShipped"),
        },
        {
          type: "TransformationEvent",
          ...at(18),
          bizStep: "commissioning",
          inputQuantityList: [quantity(bales, lots.bottleBales, f.bottleBalesKg, "KGM")],
          outputQuantityList: [quantity(fibre, lots.fibre, f.fibreKg, "KGM")],
          ...location(gln("fibreMaker")),
          "ct:process": "recycling",
          "ct:activity": {
            "ct:electricity": [{ ...electricity(f.fibreKWh, "CN-ZJ"), ...meterCid(evidence, "fibre") }],
            "ct:fuels": [
              { "ct:fuelType": "natural_gas", "ct:amount": f.fibreGasM3, "ct:unit": "m3", "ct:basis": "measured" },
            ],
          },
          ...evidenceOf(evidence, "fibre"),
        },
        {
          type: "ObjectEvent",
          ...at(19),
          action: "OBSERVE",
          bizStep: "shipping",
          quantityList: [quantity(fibre, lots.fibre, f.fibreKg, "KGM")],
          ...location(gln("fibreMaker")),
          ...shippedTo(gln("toyMaker")),
          "ct:activity": { "ct:transport": [road(f.fibreRoadKm, f.fibreKg, "hgv_rigid")] },
          ...evidenceOf(evidence, "fabricShipped"),
        },
      ]),
    },
    {
      participant: "toyMaker",
      document: epcisDocument([
        {
          type: "ObjectEvent",
          ...at(20),
          action: "OBSERVE",
          bizStep: "receiving",
          quantityList: [quantity(fibre, lots.fibre, f.fibreKg, "KGM")],
          ...location(gln("toyMaker")),
          ...receivedFrom(gln("fibreMaker")),
          ...evidenceOf(evidence, "fabricShipped"),
        },
        {
          type: "TransformationEvent",
          ...at(24),
          bizStep: "commissioning",
          inputQuantityList: [quantity(fibre, lots.fibre, f.fibreKg, "KGM")],
          outputQuantityList: [quantity(toys, lots.toys, f.toys)],
          ...location(gln("toyMaker")),
          "ct:process": "assembly",
          ...toyMasses,
          "ct:activity": {
            "ct:electricity": [
              { ...electricity(f.toyGridKWh, "CN-JS"), ...meterCid(evidence, "toyMaking") },
              { ...electricity(f.toySolarKWh, "CN-JS"), "ct:renewable": true },
            ],
            "ct:materials": [
              {
                "ct:material": "PET",
                "ct:origin": "recycled",
                "ct:massKg": f.fibreKg,
                "ct:epcClass": lotUri(fibre, lots.fibre),
                "ct:basis": "measured",
              },
              { "ct:material": "paper", "ct:origin": "virgin", "ct:massKg": f.paperKg, "ct:basis": "calculated" },
            ],
          },
          ...evidenceOf(evidence, "toyMaking"),
        },
        {
          type: "ObjectEvent",
          ...at(25),
          action: "OBSERVE",
          bizStep: "shipping",
          quantityList: [quantity(toys, lots.toys, f.toys)],
          ...location(gln("toyMaker")),
          ...shippedTo(gln("warehouse")),
          ...toyMasses,
          "ct:activity": { "ct:transport": [road(f.toysRoadKm, f.toys * f.toyKg, "hgv_rigid")] },
          ...evidenceOf(evidence, "toysShipped"),
        },
      ]),
    },
    {
      participant: "warehouse",
      document: epcisDocument(
        receivedAndStored({
          gtin: toys,
          lot: lots.toys,
          count: f.toys,
          kgPerUnit: f.toyKg,
          warehouse: gln("warehouse"),
          from: gln("toyMaker"),
          storageKWh: f.storageKWh,
          received: [26, 10],
          stored: [30],
          deliveryNote: evidenceOf(evidence, "toysShipped"),
        }),
      ),
    },
  ];
}

/** The toy chain's evidence files: weighbridge ticket, delivery notes and the meter photos of both plants. */
export function plushEvidenceDocuments(lots: PlushLots): EvidenceDocument[] {
  const f = PLUSH_FLOWS;
  return [
    weighbridge("baling", partner("supplier"), {
      ticket: `WB-${lots.bottleBales}`,
      date: "2025-09-15 07:55",
      plate: "浙A·3K721",
      goods: "PET 瓶砖 / PET bottle bales",
      lot: lots.bottleBales,
      grossKg: f.bottleBalesKg + 4120,
      tareKg: 4120,
    }),
    deliveryNote("balesShipped", partner("supplier"), partner("fibreMaker"), {
      note: `DN-${lots.bottleBales}`,
      date: "2025-09-16",
      goods: "PET 瓶砖 / PET bottle bales",
      lot: lots.bottleBales,
      quantity: `${String(f.bottleBalesKg)} kg`,
      distanceKm: f.balesRoadKm,
      vehicle: "牵引车 articulated HGV",
    }),
    meterPhoto("fibre", partner("fibreMaker"), {
      meter: "3300-4410-0078",
      date: "2025-09-18 19:40",
      startKWh: 73_120.4 + readingOffset(lots.fibre),
      kWh: f.fibreKWh,
    }),
    deliveryNote("fabricShipped", partner("fibreMaker"), partner("toyMaker"), {
      note: `DN-${lots.fibre}`,
      date: "2025-09-19",
      goods: "再生涤纶毛绒面料与纤维 / rPET plush fabric and fibre",
      lot: lots.fibre,
      quantity: `${String(f.fibreKg)} kg`,
      distanceKm: f.fibreRoadKm,
      vehicle: "单体货车 rigid HGV",
    }),
    meterPhoto("toyMaking", partner("toyMaker"), {
      meter: "3200-0917-5531",
      date: "2025-09-24 18:15",
      startKWh: 21_640.9 + readingOffset(lots.toys),
      kWh: f.toyGridKWh,
    }),
    deliveryNote("toysShipped", partner("toyMaker"), partner("warehouse"), {
      note: `DN-${lots.toys}`,
      date: "2025-09-25",
      goods: "再生纤维毛绒玩具 / recycled-fibre plush toys",
      lot: lots.toys,
      quantity: `${String(f.toys)} 个 pcs (${String(f.toys * f.toyKg)} kg)`,
      distanceKm: f.toysRoadKm,
      vehicle: "单体货车 rigid HGV",
    }),
  ];
}
