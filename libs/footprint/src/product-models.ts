import type { ExpectedActivity, ModelStage, ProductModel } from "./product-model.js";

/**
 * The product models CarbonTrace ships: the reference rPET storage box, a bottle-to-bottle rPET chain and the
 * plush toy of the reference case's second product. Their GTINs are the demo's (GS1 example prefix 6901234); an
 * operator registers its own models (or new versions of these for its GTINs) through the API.
 *
 * Default factors are ids of the curated factor library (`../shared/data/emission-factors.csv`, sources there).
 * Ranges are plausibility bounds for spot checks, chosen wide around the cited process figures so that a value
 * outside is worth a certifier's look; they are not emission data and never enter a footprint.
 */

const ELECTRICITY_DEFAULT = {
  id: "MEE2023_CN",
  why: "China MEE/NBS national average grid factor; the regional grid of the partner's province is used when the event names it",
};

const electricity = (min: number, max: number, required = true): ExpectedActivity => ({
  kind: "electricity",
  label: { en: "Electricity (meter reading)", zh: "用电量（电表读数）" },
  unit: "kWh",
  per: "kg-output",
  range: { min, max },
  required,
  defaultFactor: ELECTRICITY_DEFAULT,
  evidence: "meter-photo",
});

const naturalGas = (max: number): ExpectedActivity => ({
  kind: "fuel",
  label: { en: "Natural gas", zh: "天然气" },
  unit: "m3",
  per: "kg-output",
  range: { min: 0, max },
  required: false,
  subject: "natural_gas",
  defaultFactor: {
    id: "DESNZ2025_1_100_1004_1_1",
    why: "DESNZ natural gas per m3 (gross CV, as gas is metered); no official Chinese per-m3 CO2e factor in the set",
  },
  evidence: "invoice",
});

/** A road leg from the partner's site to the next; the mass comes from the shipment. */
const roadLeg = (maxKm: number): ExpectedActivity => ({
  kind: "transport",
  label: { en: "Transport distance (road)", zh: "运输距离（公路）" },
  unit: "km",
  per: "leg",
  range: { min: 1, max: maxKm },
  required: true,
  defaultFactor: {
    id: "DESNZ2025_27_304_3140_14_1",
    why: "DESNZ all HGVs, average laden, per tonne.km: no Chinese per-tonne.km road factor in the set",
  },
  evidence: "delivery-note",
});

const material = (
  subject: string,
  label: ExpectedActivity["label"],
  min: number,
  max: number,
  required: boolean,
  defaultFactor?: ExpectedActivity["defaultFactor"],
): ExpectedActivity => ({
  kind: "material",
  label,
  unit: "kg",
  per: "kg-output",
  range: { min, max },
  required,
  subject,
  ...(defaultFactor === undefined ? {} : { defaultFactor }),
});

const VIRGIN_PET = {
  id: "HOPEWELL2009_PET_virgin",
  why: "Cradle-to-gate virgin PET resin (PlasticsEurope eco-profile via Hopewell et al. 2009); traced recycled PET takes the cut-off rule",
};

const bottleCollection: ModelStage = {
  key: "collection",
  role: "supplier",
  name: { en: "Bottle collection and baling", zh: "瓶子回收与打包" },
  steps: ["produce", "ship"],
  process: "baling",
  activities: [electricity(0.005, 0.2, false), roadLeg(1500)],
  outputs: [{ gtin: "06901234000016", name: { en: "PET bottle bales", zh: "PET 瓶砖" }, unit: "KGM" }],
};

const warehouse: ModelStage = {
  key: "warehouse",
  role: "warehouse",
  name: { en: "Warehouse", zh: "仓储" },
  steps: ["receive", "store"],
  process: "storage",
  activities: [electricity(0, 0.1, false)],
};

const SCOPE =
  "Cradle to gate (ISO 14067 / GHG Protocol Product Standard): recycled PET enters with the cut-off rule; collection, recycling, making and warehousing are counted from the partners' events";

export const RPET_STORAGE_BOX_MODEL: ProductModel = {
  id: "rpet-storage-box",
  version: 1,
  name: { en: "rPET storage box 12 L", zh: "rPET 收纳盒 12 升" },
  description: {
    en: "12-litre storage box injection-moulded from recycled PET bottles: collection, recycling into pellets, moulding, warehouse",
    zh: "由回收 PET 瓶再生料注塑而成的 12 升收纳盒：回收、再生造粒、注塑、仓储",
  },
  gtins: ["06901234000030"],
  declaredUnit: "EA",
  unitMassKg: 0.48,
  stages: [
    bottleCollection,
    {
      key: "recycling",
      role: "recycler",
      name: { en: "Recycling into rPET pellets", zh: "再生造粒" },
      steps: ["receive", "transform", "ship"],
      process: "recycling",
      activities: [electricity(0.3, 1.2), naturalGas(0.2), roadLeg(1500)],
      outputs: [{ gtin: "06901234000023", name: { en: "rPET pellets", zh: "rPET 再生粒子" }, unit: "KGM" }],
    },
    {
      key: "moulding",
      role: "moulder",
      name: { en: "Injection moulding", zh: "注塑成型" },
      steps: ["receive", "transform", "ship"],
      process: "moulding",
      activities: [
        electricity(0.6, 2.5),
        material(
          "PET",
          { en: "PET (recycled pellets and virgin resin)", zh: "PET（再生粒子与原生料）" },
          0.95,
          1.15,
          true,
          VIRGIN_PET,
        ),
        roadLeg(1500),
      ],
      outputs: [
        { gtin: "06901234000030", name: { en: "rPET storage box 12 L", zh: "rPET 收纳盒 12 升" }, unit: "EA" },
        { gtin: "06901234000023", name: { en: "rPET regrind", zh: "rPET 回料" }, unit: "KGM" },
      ],
    },
    warehouse,
  ],
  baseline: {
    description: "The same 0.48 kg box from virgin PET, moulded on Shanghai grid power",
    year: 2025,
    activities: [
      { kind: "material", material: "PET", origin: "virgin", massKg: 0.48, basis: "estimated" },
      { kind: "electricity", kWh: 0.575, gridRegion: "CN-SH", basis: "estimated" },
    ],
  },
  sources: [
    SCOPE,
    "Moulding ranges around 0.6–2.5 kWh per kg of injection-moulded parts (specific energy of injection moulding machines and plant overheads); recycling ranges around 0.3–1.2 kWh per kg of pellets for washing and extrusion",
  ],
};

export const RPET_BOTTLE_TO_BOTTLE_MODEL: ProductModel = {
  id: "rpet-bottle-to-bottle",
  version: 1,
  name: { en: "rPET drinks bottle 500 mL", zh: "rPET 饮料瓶 500 毫升" },
  description: {
    en: "500 mL bottle from food-grade recycled PET: collection, washing and decontamination (extrusion, solid-state polycondensation), preform and stretch blow moulding, warehouse",
    zh: "由食品级再生 PET 制成的 500 毫升瓶：回收、清洗与去污（挤出、固相增粘）、瓶坯注塑与拉伸吹塑、仓储",
  },
  gtins: ["06901234000061"],
  declaredUnit: "EA",
  unitMassKg: 0.02,
  stages: [
    bottleCollection,
    {
      key: "food-grade-recycling",
      role: "recycler",
      name: { en: "Food-grade recycling (wash, extrude, decontaminate)", zh: "食品级再生（清洗、挤出、去污）" },
      steps: ["receive", "transform", "ship"],
      process: "recycling",
      activities: [electricity(0.5, 1.8), naturalGas(0.3), roadLeg(1500)],
      outputs: [
        { gtin: "06901234000078", name: { en: "Food-grade rPET pellets", zh: "食品级 rPET 粒子" }, unit: "KGM" },
      ],
    },
    {
      key: "bottle-making",
      role: "moulder",
      name: { en: "Preform moulding and blowing", zh: "瓶坯注塑与吹瓶" },
      steps: ["receive", "transform", "ship"],
      process: "moulding",
      activities: [
        electricity(0.8, 3),
        material(
          "PET",
          { en: "PET (food-grade rPET and virgin resin)", zh: "PET（食品级再生料与原生料）" },
          0.95,
          1.1,
          true,
          VIRGIN_PET,
        ),
        roadLeg(1500),
      ],
      outputs: [
        { gtin: "06901234000061", name: { en: "rPET drinks bottle 500 mL", zh: "rPET 饮料瓶 500 毫升" }, unit: "EA" },
      ],
    },
    warehouse,
  ],
  baseline: {
    description: "The same 20 g bottle from virgin PET, moulded and blown on the national grid",
    year: 2025,
    activities: [
      { kind: "material", material: "PET", origin: "virgin", massKg: 0.02, basis: "estimated" },
      { kind: "electricity", kWh: 0.03, gridRegion: "CN", basis: "estimated" },
    ],
  },
  sources: [
    SCOPE,
    "Food-grade recycling adds decontamination (solid-state polycondensation) to washing and extrusion, hence a higher electricity range than pellets for moulding; preform injection plus stretch blow moulding around 0.8–3 kWh per kg of bottles",
  ],
};

export const PLUSH_TOY_MODEL: ProductModel = {
  id: "plush-toy",
  version: 1,
  name: { en: "Recycled-fibre plush toy", zh: "再生纤维毛绒玩具" },
  description: {
    en: "30 cm plush toy of recycled polyester (rPET fibre and plush fabric from bottles), digitally printed, sewn and stuffed with part rooftop-solar power, in a paper tag instead of a box",
    zh: "30 厘米毛绒玩具，面料与填充棉均为由瓶子再生的涤纶；数码印花、缝制、填充，部分用电来自屋顶光伏；以纸吊牌代替包装盒",
  },
  gtins: ["06901234000054"],
  declaredUnit: "EA",
  unitMassKg: 0.3,
  stages: [
    bottleCollection,
    {
      key: "fibre-and-fabric",
      role: "recycler",
      name: { en: "Recycled polyester fibre and plush fabric", zh: "再生涤纶纤维与毛绒面料" },
      steps: ["receive", "transform", "ship"],
      process: "recycling",
      activities: [electricity(1, 4), naturalGas(0.3), roadLeg(1500)],
      outputs: [
        {
          gtin: "06901234000047",
          name: { en: "rPET plush fabric and fibre", zh: "再生涤纶毛绒面料与纤维" },
          unit: "KGM",
        },
      ],
    },
    {
      key: "toy-making",
      role: "moulder",
      name: { en: "Toy making (digital printing, sewing, stuffing)", zh: "玩具制作（数码印花、缝制、填充）" },
      steps: ["receive", "transform", "ship"],
      process: "assembly",
      activities: [
        electricity(0.5, 3),
        material("PET", { en: "Polyester fabric and fibre", zh: "涤纶面料与纤维" }, 1, 1.3, true, VIRGIN_PET),
        material("paper", { en: "Paper tag and sleeve", zh: "纸吊牌与腰封" }, 0, 0.1, false, {
          id: "DESNZ2025_19_506_5160_15_1",
          why: "DESNZ paper and board: mixed, primary material production (the set has no paper-only row)",
        }),
        roadLeg(1500),
      ],
      outputs: [
        {
          gtin: "06901234000054",
          name: { en: "Recycled-fibre plush toy 30 cm", zh: "再生纤维毛绒玩具 30 厘米" },
          unit: "EA",
        },
      ],
    },
    warehouse,
  ],
  baseline: {
    description: "The same 0.3 kg toy of virgin polyester, made on Jiangsu grid power, in a 50 g board box",
    year: 2025,
    activities: [
      { kind: "material", material: "PET", origin: "virgin", massKg: 0.3, basis: "estimated" },
      { kind: "electricity", kWh: 0.4, gridRegion: "CN-JS", basis: "estimated" },
      { kind: "material", material: "board", origin: "virgin", massKg: 0.05, basis: "estimated" },
    ],
  },
  sources: [
    SCOPE,
    "Polyester fibre is PET: the virgin baseline uses the virgin PET resin factor (fibre spinning is counted from the fibre maker's events, not in the resin factor)",
    "Rooftop solar consumed on site, with its attributes not sold, is reported as renewable electricity and priced at zero under the GHG Protocol Scope 2 market-based method; the rest is the grid",
    "Printing inks and sewing thread (under 1 % of the toy's mass) are left out under ISO 14067's cut-off criteria; the exclusion is stated, not hidden",
  ],
};

/** The shipped models, in the order the console lists them. */
export const BUILT_IN_MODELS: readonly ProductModel[] = [
  RPET_STORAGE_BOX_MODEL,
  RPET_BOTTLE_TO_BOTTLE_MODEL,
  PLUSH_TOY_MODEL,
];
