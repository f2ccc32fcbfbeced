import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { DomainError } from "#common";
import { parseFactorsCsv } from "./csv.js";
import type { FootprintEvent } from "./model.js";
import {
  checkIntensities,
  intensityWarning,
  modelStageOf,
  parseProductModel,
  reviewIntensities,
} from "./product-model.js";
import { BUILT_IN_MODELS, PLUSH_TOY_MODEL, RPET_STORAGE_BOX_MODEL } from "./product-models.js";

const FACTORS = parseFactorsCsv(readFileSync(new URL("../data/emission-factors.csv", import.meta.url), "utf8")).factors;

function errorsOf(value: unknown): readonly string[] {
  try {
    parseProductModel(value);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("MODEL.INVALID");
    return (error as DomainError).details.errors as readonly string[];
  }
  throw new Error("the model was accepted");
}

describe("shipped product models", () => {
  it.each(BUILT_IN_MODELS.map((model) => [model.id, model] as const))(
    "%s is valid as the API would read it",
    (_, model) => {
      expect(parseProductModel(JSON.parse(JSON.stringify(model)))).toEqual(model);
    },
  );

  it("name default factors that the bundled factor library holds", () => {
    const ids = new Set(FACTORS.map((factor) => factor.id));
    const named = BUILT_IN_MODELS.flatMap((model) =>
      model.stages.flatMap((stage) =>
        stage.activities.flatMap((a) => (a.defaultFactor === undefined ? [] : [a.defaultFactor.id])),
      ),
    );
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((id) => !ids.has(id))).toEqual([]);
  });

  it("are at least three, for distinct GTINs", () => {
    expect(BUILT_IN_MODELS.length).toBeGreaterThanOrEqual(3);
    const gtins = BUILT_IN_MODELS.flatMap((model) => model.gtins);
    expect(new Set(gtins).size).toBe(gtins.length);
  });
});

describe("parseProductModel", () => {
  const valid = JSON.parse(JSON.stringify(PLUSH_TOY_MODEL)) as Record<string, unknown>;

  it("refuses repeated stage keys, ranges upside down and GTINs with a wrong check digit, naming each", () => {
    const stages = valid.stages as Array<Record<string, unknown>>;
    const broken = {
      ...valid,
      gtins: ["06901234000055"],
      stages: [
        stages[0],
        { ...stages[1], key: "collection" },
        {
          ...stages[2],
          activities: [{ ...((stages[2]?.activities as unknown[])[0] as object), range: { min: 3, max: 1 } }],
        },
      ],
    };
    const errors = errorsOf(broken);
    expect(errors).toEqual(
      expect.arrayContaining([
        '/stages stage key "collection" is repeated',
        "/stages/2/activities/0/range min is above max",
        "/gtins 06901234000055 has a wrong check digit",
      ]),
    );
  });

  it("refuses unknown roles and fields through the schema, and a per-item model without an item mass", () => {
    const stages = valid.stages as Array<Record<string, unknown>>;
    expect(errorsOf({ ...valid, stages: [{ ...stages[0], role: "printer" }] }).join(" ")).toContain("/stages/0/role");
    expect(errorsOf({ ...valid, colour: "green" }).join(" ")).toContain("additional properties");
    expect(errorsOf({ ...valid, unitMassKg: undefined })).toEqual([
      "/unitMassKg is required when the declared unit is one item (EA)",
    ]);
  });

  it("keeps a declared version and gives the caller's otherwise", () => {
    expect(parseProductModel({ ...valid, version: undefined }, 4).version).toBe(4);
    expect(parseProductModel({ ...valid, version: 2 }, 4).version).toBe(2);
  });
});

describe("modelStageOf", () => {
  it("finds a stage by role, preferring the one whose process the event declares", () => {
    expect(modelStageOf(RPET_STORAGE_BOX_MODEL, "recycler", "recycling")?.key).toBe("recycling");
    expect(modelStageOf(RPET_STORAGE_BOX_MODEL, "moulder", undefined)?.name.zh).toBe("注塑成型");
    expect(modelStageOf(PLUSH_TOY_MODEL, "moulder", "assembly")?.name.en).toContain("Toy making");
    expect(modelStageOf(PLUSH_TOY_MODEL, "certifier", undefined)).toBeUndefined();
  });
});

describe("checkIntensities", () => {
  const recycling = (kWh: number, renewableKWh = 0): FootprintEvent => ({
    eventHash: "ni:///sha-256;aa",
    eventTime: "2025-09-04T08:00:00+08:00",
    role: "recycler",
    bizStep: "commissioning",
    process: "recycling",
    activities: [
      { kind: "electricity", kWh, gridRegion: "CN-ZJ", basis: "measured" },
      ...(renewableKWh === 0
        ? []
        : [
            {
              kind: "electricity" as const,
              kWh: renewableKWh,
              gridRegion: "CN-ZJ",
              renewable: true,
              basis: "measured" as const,
            },
          ]),
    ],
    movements: [
      { lotId: "bales", direction: "consumed", amount: 1200, massKg: 1200 },
      { lotId: "pellets", direction: "produced", amount: 1000, massKg: 1000 },
    ],
  });

  it("reports kWh per kg of output, grid and renewable together, inside the stage's range", () => {
    const [check] = checkIntensities(RPET_STORAGE_BOX_MODEL, recycling(400, 170));
    expect(check).toMatchObject({
      stage: "recycling",
      activity: "electricity",
      unit: "kWh",
      value: 0.57,
      status: "in-range",
    });
  });

  it("flags ten times the usual electricity as above the range", () => {
    const [check] = checkIntensities(RPET_STORAGE_BOX_MODEL, recycling(5700));
    expect(check).toMatchObject({ value: 5.7, status: "above", range: { min: 0.3, max: 1.2 } });
  });

  it("flags a required activity the event does not report, and ignores optional ones", () => {
    const none = { ...recycling(1), activities: [] };
    expect(checkIntensities(RPET_STORAGE_BOX_MODEL, none)).toEqual([
      expect.objectContaining({ activity: "electricity", status: "missing" }),
    ]);
  });

  it("checks each transport leg of a shipment in km, and nothing per output on events that produce nothing", () => {
    const shipping: FootprintEvent = {
      eventHash: "ni:///sha-256;bb",
      eventTime: "2025-09-06T08:00:00+08:00",
      role: "recycler",
      bizStep: "shipping",
      activities: [{ kind: "transport", mode: "road", distanceKm: 4000, massKg: 980, basis: "measured" }],
      movements: [{ lotId: "pellets", direction: "observed", amount: 980, massKg: 980 }],
    };
    expect(checkIntensities(RPET_STORAGE_BOX_MODEL, shipping)).toEqual([
      expect.objectContaining({ activity: "transport", per: "leg", value: 4000, status: "above" }),
    ]);
  });
});

describe("reviewIntensities", () => {
  const check = (participant: string, value: number) => ({
    eventHash: `ni:///sha-256;${participant}${String(value)}`,
    stage: "recycling",
    activity: "electricity" as const,
    subject: null,
    unit: "kWh",
    per: "kg-output" as const,
    value,
    range: { min: 0.3, max: 1.2 },
    status: "in-range" as const,
    participant,
  });

  it("flags ten times the peers' kWh per kg as an outlier, and keeps usual values typical", () => {
    const peers = [
      check("a", 0.5),
      check("a", 0.55),
      check("b", 0.6),
      check("b", 0.52),
      check("c", 0.58),
      check("c", 0.49),
    ];
    const reviewed = reviewIntensities([...peers, { ...check("d", 5.6), status: "above" as const }]);
    const outlier = reviewed.at(-1);
    expect(outlier).toMatchObject({ participant: "d", peerStatus: "outlier", status: "above" });
    expect(outlier?.peers).toMatchObject({ count: 6, participants: 3 });
    expect(outlier?.peers?.median).toBeCloseTo(0.535, 9);
    expect(reviewed.slice(0, 6).map((r) => r.peerStatus)).toEqual(Array(6).fill("typical"));
    expect(outlier === undefined ? null : intensityWarning(RPET_STORAGE_BOX_MODEL, outlier)).toEqual({
      en:
        "Electricity (meter reading): 5.6 kWh per kg of output, outside the 0.3–1.2 this step usually takes. " +
        "Other partners at this step report 0.505–0.573 (median 0.535). " +
        "Please check the figure and its meter photo or delivery note before signing.",
      zh: "用电量（电表读数）：每千克产出 5.6 kWh，超出此步骤通常的 0.3–1.2。同一环节的其他伙伴填报为 0.505–0.573（中位数 0.535）。签名前请核对数字及电表照片或送货单。",
    });
    expect(reviewed[0] === undefined ? "" : intensityWarning(RPET_STORAGE_BOX_MODEL, reviewed[0])).toBeNull();
  });

  it("never counts a participant as its own peer, and says when there are too few peers", () => {
    const reviewed = reviewIntensities([
      check("a", 0.5),
      check("a", 0.6),
      check("a", 0.7),
      check("b", 0.5),
      check("c", 9),
    ]);
    expect(reviewed.map((r) => r.peerStatus)).toEqual(["too-few", "too-few", "too-few", "too-few", "too-few"]);
    expect(reviewed[0]?.peers).toBeNull();
  });

  it("compares only the same stage, activity and subject", () => {
    const other = { ...check("e", 50), stage: "moulding" };
    const peers = [check("a", 0.5), check("b", 0.5), check("c", 0.5), check("a", 0.6), check("b", 0.6)];
    expect(reviewIntensities([...peers, other]).at(-1)?.peerStatus).toBe("too-few");
  });
});
