import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { LotRepository } from "#database";
import { lotId as lotIdOf } from "#digital-link";
import type { SigningDomain } from "#proof";
import { startTestApp, type TestApp } from "../support/app.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { commissioning, epcisDocument, GTIN, newLot, quantity, transformation } from "../support/epcis.js";
import { capture, registerParticipant, signingDomainOf } from "../support/participants.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { captureRpetChain, FACTORS, type RpetChain } from "../support/rpet-chain.js";
import { tempDir } from "../support/temp.js";

let postgres: TestPostgres;
let api: TestApp;
let dir: Awaited<ReturnType<typeof tempDir>>;
let domain: SigningDomain;
let chain: RpetChain;

beforeAll(async () => {
  postgres = await startTestPostgres();
  dir = await tempDir("footprint");
  api = await startTestApp({
    DATA_DIR: dir.path,
    DATABASE_URL: await postgres.createDatabase(),
    EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
  });
  domain = await signingDomainOf(api.server);
  chain = await captureRpetChain(api.server, api.adminKey, domain);
}, 120_000);
afterAll(async () => {
  await api.stop();
  await dir.remove();
  await postgres.stop();
});

interface Stage {
  stage: string;
  kg: number;
  perUnitKg: number;
}
interface Footprint {
  id: string;
  lot: string;
  libraryVersion: string;
  totalKg: number;
  perUnitKg: number;
  declaredUnit: { unit: string; amount: number };
  stages: Stage[];
  contributions: Array<{
    eventHash: string;
    factorId: string;
    eventKg: number;
    lotKg: number;
    selection: string;
    primaryData: boolean;
    dqr: { technological: number };
  }>;
  factorsUsed: Array<{ id: string; source: string; licence: string; proxy: boolean }>;
  externalInputs: Array<{ lot: string; share: number }>;
  primaryDataShare: number;
  dqi: { technologicalDQR: number; geographicalDQR: number; temporalDQR: number };
  comparison: null | {
    baselinePerUnitKg: number;
    actualPerUnitKg: number;
    reductionPerUnitKg: number;
    reductionPercent: number;
  };
  suggestions: Array<{ kind: string; stage: string; savingPerUnitKg: number }>;
  anchored: boolean;
  eventCount: number;
}

async function footprintOf(gtin: string, lot: string, query = ""): Promise<Footprint> {
  const response = await request(api.server).get(`/lots/${gtin}/${lot}/footprint${query}`);
  expect([response.status, response.body]).toEqual([200, expect.anything()]);
  return response.body as Footprint;
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

describe("the emission factor library", () => {
  it("is seeded from the bundled CSV (every row with its source and licence) as version 1", async () => {
    const versions = (await request(api.server).get("/factors/versions").expect(200)).body as Array<{
      version: number;
      createdBy: string;
      factorCount: number;
      contentSha256: string;
    }>;
    expect(versions[0]).toMatchObject({ version: 1, createdBy: "bundled" });
    // 146 CSV rows, one of which is not an emission factor, plus the two built-in method factors
    expect(versions[0]?.factorCount).toBe(146 - 1 + 2);
    const grid = (
      await request(api.server)
        .get("/factors")
        .query({ category: "electricity", region: "CN-East", year: 2023 })
        .expect(200)
    ).body as { version: number; factors: Array<{ id: string; kgPerUnit: number; source: string; licence: string }> };
    expect(grid.factors.map((f) => [f.id, f.kgPerUnit])).toEqual([["MEE2023_CN-East", 0.55]]);
    expect(grid.factors[0]?.source).toContain("China MEE");
    const words = (
      await request(api.server).get("/factors").query({ q: "all HGVs average laden", year: 2025 }).expect(200)
    ).body as { factors: Array<{ id: string }> };
    expect(words.factors.map((f) => f.id)).toContain("DESNZ2025_27_304_3140_14_1");
  });

  it("refuses changes to a stored factor (factors are immutable)", async () => {
    await expect(
      api.runtime.dataSource.query(`UPDATE "emission_factor" SET "value" = 0 WHERE "id" = 'MEE2023_CN-East'`),
    ).rejects.toThrow(/immutable/);
    await expect(
      api.runtime.dataSource.query(`DELETE FROM "emission_factor" WHERE "id" = 'MEE2023_CN-East'`),
    ).rejects.toThrow(/immutable/);
  });

  it("lets the administrator add factors as a new version, checking units against the activity", async () => {
    const factor = {
      id: "TEST_GRID_CN_EAST_2024",
      name: "East China grid 2024 (test correction)",
      category: "electricity",
      value: 0.5,
      unit: "kgCO2e/kWh",
      region: "CN-East",
      year: 2024,
      source: "Test source",
      sourceUrl: "https://example.org/factors",
      licence: "CC0",
      activity: "electricity.grid",
    };
    const participant = await registerParticipant(api.server, api.adminKey, ["supplier"]);
    await request(api.server)
      .post("/factors")
      .set("authorization", `Bearer ${participant.token}`)
      .send({ description: "not allowed", factors: [factor] })
      .expect(403);
    const mismatch = await request(api.server)
      .post("/factors")
      .set("authorization", `Bearer ${api.adminKey}`)
      .send({ description: "per litre grid?", factors: [{ ...factor, unit: "kgCO2e/litre" }] })
      .expect(400);
    expect(mismatch.body).toMatchObject({ code: "FOOTPRINT.UNIT_MISMATCH", perUnit: "L" });
    const duplicate = await request(api.server)
      .post("/factors")
      .set("authorization", `Bearer ${api.adminKey}`)
      .send({ description: "dup", factors: [{ ...factor, id: "MEE2023_CN-East" }] })
      .expect(409);
    expect(duplicate.body).toMatchObject({ code: "FACTOR.DUPLICATE_ID" });
    expect(((await request(api.server).get("/factors/versions").expect(200)).body as unknown[]).length).toBe(1);

    // A footprint computed now names version 1 …
    const before = await footprintOf(GTIN.boxes, chain.lots.boxes);
    expect(before.libraryVersion).toBe("1");
    const added = await request(api.server)
      .post("/factors")
      .set("authorization", `Bearer ${api.adminKey}`)
      .send({ description: "2024 East China grid", factors: [factor] })
      .expect(201);
    expect(added.body).toMatchObject({ version: 2, createdBy: "admin", factorCount: 148 });
    // … a recalculation names version 2 and uses the newer factor (0.5 for events of 2025) …
    const after = await footprintOf(GTIN.boxes, chain.lots.boxes);
    expect(after.libraryVersion).toBe("2");
    expect(after.id).not.toBe(before.id);
    expect(after.contributions.find((c) => c.factorId === "TEST_GRID_CN_EAST_2024")).toBeDefined();
    // … and version 1 stays computable, giving the very same stored calculation.
    const again = await footprintOf(GTIN.boxes, chain.lots.boxes, "?libraryVersion=1");
    expect(again.id).toBe(before.id);
    expect(again.totalKg).toBe(before.totalKg);
    const one = (await request(api.server).get("/factors/versions/1").expect(200)).body as { factors: unknown[] };
    expect(one.factors).toHaveLength(147);
    await request(api.server).get("/lots/x/y/footprint?libraryVersion=0").expect(400);
    await request(api.server).get(`/lots/${GTIN.boxes}/${chain.lots.boxes}/footprint?libraryVersion=99`).expect(404);
  });
});

describe("the footprint of the moulded boxes (library version 1)", () => {
  let boxes: Footprint;
  beforeAll(async () => {
    boxes = await footprintOf(GTIN.boxes, chain.lots.boxes, "?libraryVersion=1");
  });

  it("adds up each event's emissions, allocated by mass and by consumed share", () => {
    // R1: 400 kWh × 0.55 = 220 kg → pellets A (its only output)
    // R2: 200 kWh × 0.55 = 110 kg → pellets B (CN-ZJ is on the East China grid)
    // M:  400 kWh × 0.55 = 220 kg + 100 kg virgin PET × 3.4 = 340 kg → E(M) = 560 kg
    //     + 300/600 × 220 (pellets A) + 200/400 × 110 (pellets B) = 110 + 55 → 725 kg for M's outputs;
    //     boxes 480 kg of 600 kg output (regrind 120 kg is a co-product) → 0.8 × 725 = 580 kg
    // S:  0.8 t × 250 km = 200 t·km × 0.10163 = 20.326 kg; boxes 480 of 800 kg shipped → 0.6 × 20.326 = 12.1956 kg
    // total 580 + 12.1956 = 592.1956 kg; per box ÷ 1000 = 0.5921956 kg
    const grid = FACTORS.eastChinaGrid;
    const moulding = 0.8 * (400 * grid + 100 * FACTORS.virginPet + (300 / 600) * 400 * grid + (200 / 400) * 200 * grid);
    const shipping = 0.6 * 200 * FACTORS.hgv;
    expect(moulding).toBeCloseTo(580, 9);
    expect(shipping).toBeCloseTo(12.1956, 9);
    expect(boxes.totalKg).toBeCloseTo(592.1956, 9);
    expect(boxes.declaredUnit).toEqual({ unit: "EA", amount: 1000 });
    expect(boxes.perUnitKg).toBeCloseTo(0.5921956, 12);
    expect(boxes.eventCount).toBe(7); // R1, R2, the two pellet shipments, their receipt, M and S
  });

  it("breaks it down by stage (role/business step), and the stages sum exactly to the total", () => {
    // recycler/commissioning: 0.8 × (110 + 55) = 132; moulder/commissioning: 0.8 × 560 = 448; moulder/shipping: 12.1956
    expect(boxes.stages.map((s) => [s.stage, s.kg])).toEqual([
      ["recycler/commissioning", expect.closeTo(132, 9)],
      ["moulder/commissioning", expect.closeTo(448, 9)],
      ["moulder/shipping", expect.closeTo(12.1956, 9)],
    ]);
    expect(sum(boxes.stages.map((s) => s.kg))).toBe(boxes.totalKg);
    expect(boxes.stages.map((s) => s.perUnitKg)).toEqual([
      expect.closeTo(0.132, 12),
      expect.closeTo(0.448, 12),
      expect.closeTo(0.0121956, 12),
    ]);
  });

  it("traces every number to a factor with its source, marking the proxy", () => {
    const ids = boxes.factorsUsed.map((f) => f.id).sort();
    expect(ids).toEqual([
      "CT_RECYCLED_CUT_OFF",
      "DESNZ2025_27_304_3140_14_1",
      "HOPEWELL2009_PET_virgin",
      "MEE2023_CN-East",
    ]);
    expect(boxes.factorsUsed.every((f) => f.source.length > 0 && f.licence.length > 0)).toBe(true);
    expect(boxes.factorsUsed.find((f) => f.id === "DESNZ2025_27_304_3140_14_1")?.proxy).toBe(true);
    expect(boxes.contributions.find((c) => c.factorId === "DESNZ2025_27_304_3140_14_1")?.selection).toBe("proxy");
    // the recycled PET input carries no burden from its first life (cut-off)
    expect(boxes.contributions.find((c) => c.factorId === "CT_RECYCLED_CUT_OFF")?.lotKg).toBe(0);
    expect(sum(boxes.contributions.map((c) => c.lotKg))).toBeCloseTo(boxes.totalKg, 9);
  });

  it("computes the primary data share and data quality from what the events carry", () => {
    // only R2's electricity is estimated: 0.8 × 55 = 44 kg of 592.1956 → (592.1956 − 44) / 592.1956 = 92.570 %
    expect(boxes.primaryDataShare).toBeCloseTo((100 * (592.1956 - 44)) / 592.1956, 9);
    expect(boxes.dqi.technologicalDQR).toBeGreaterThanOrEqual(1);
    expect(boxes.dqi.geographicalDQR).toBeGreaterThan(1); // the road freight factor is a proxy from GB
  });

  it("names the untraced lots (the bales) and how much of the boxes' material comes from them", () => {
    expect(boxes.externalInputs.map((e) => e.lot).sort()).toEqual(
      [
        `https://id.gs1.org/01/${GTIN.bales}/10/${chain.lots.balesA}`,
        `https://id.gs1.org/01/${GTIN.bales}/10/${chain.lots.balesB}`,
      ].sort(),
    );
  });

  it("gives the co-product its mass share of the moulding run", async () => {
    const regrind = await footprintOf(GTIN.pellets, chain.lots.regrind, "?libraryVersion=1");
    // 120 / 600 × 725 = 145 kg; per kg: 145 / 120
    expect(regrind.totalKg).toBeCloseTo(145, 9);
    expect(regrind.perUnitKg).toBeCloseTo(145 / 120, 12);
  });

  it("reads the same inputs from upstream lots walked once for the bundle as from its own walk", async () => {
    const lots = new LotRepository(api.runtime.dataSource);
    const lotId = lotIdOf(GTIN.boxes, chain.lots.boxes);
    const { lots: upstream } = await lots.upstream(lotId);
    expect(upstream.length).toBeGreaterThan(2);
    const walked = await lots.footprintInputs(lotId);
    expect(walked.events.length).toBe(7);
    expect(await lots.footprintInputs(lotId, upstream)).toEqual(walked);
  });

  it("stores each calculation and serves it again by id", async () => {
    const stored = (await request(api.server).get(`/footprints/calculations/${boxes.id}`).expect(200))
      .body as Footprint;
    expect(stored.totalKg).toBe(boxes.totalKg);
    await request(api.server).get("/footprints/calculations/nope").expect(404);
    await request(api.server).get(`/lots/${GTIN.boxes}/NOPE/footprint`).expect(404);
  });
});

describe("recycled material nobody traced", () => {
  it("is priced with a secondary recycling factor, is not primary data and is no recycled content", async () => {
    // The reported case: 1 kg of a lot plus 1,000 kg of "recycled PET" (estimated, no lot) gave 1,000 kg of
    // product priced at 0 by the cut-off, with a primary data share of 100 %.
    const moulder = await registerParticipant(api.server, api.adminKey, ["moulder"], "self", { country: "CN" });
    const seed = newLot("S");
    const product = newLot("U");
    const seeded = await capture(
      api.server,
      moulder,
      epcisDocument([commissioning([quantity(GTIN.pellets, seed, 1, "KGM")], { "ct:process": "moulding" })]),
      domain,
    );
    expect([seeded.status, seeded.body]).toEqual([202, expect.anything()]);
    const moulding = transformation(
      [quantity(GTIN.pellets, seed, 1, "KGM")],
      [quantity(GTIN.pellets, product, 1000, "KGM")],
      {
        "ct:process": "moulding",
        "ct:activity": {
          "ct:electricity": [{ "ct:kWh": 100, "ct:gridRegion": "CN-East", "ct:basis": "measured" }],
          "ct:materials": [
            { "ct:material": "PET", "ct:origin": "recycled", "ct:massKg": 1000, "ct:basis": "estimated" },
          ],
        },
      },
    );
    expect((await capture(api.server, moulder, epcisDocument([moulding]), domain)).status).toBe(202);

    const footprint = await footprintOf(GTIN.pellets, product);
    const recycled = footprint.contributions.find((c) => c.factorId === "DESNZ2025_19_505_5143_15_1");
    // 1 t × 2213.9 kg CO2e/t (DESNZ PET closed-loop source, the GB factor as proxy for a Chinese event)
    expect(recycled).toMatchObject({ selection: "proxy", primaryData: false, dqr: { technological: 3 } });
    expect(recycled?.eventKg).toBeCloseTo(2213.9, 6);
    const electricityKg = footprint.totalKg - 2213.9;
    expect(electricityKg).toBeGreaterThan(0);
    expect(footprint.primaryDataShare).toBeCloseTo((100 * electricityKg) / footprint.totalKg, 6);
    expect(footprint.primaryDataShare).toBeLessThan(10);

    const journey = await request(api.server)
      .get(`/01/${GTIN.pellets}/10/${product}`)
      .set("accept", "application/json")
      .expect(200);
    expect((journey.body as { recycledContent: unknown }).recycledContent).toMatchObject({
      recycledKg: 0,
      untracedRecycledKg: 1000,
      recycledPercent: 0,
    });
  });
});

describe("baseline, reduction and suggestions", () => {
  it("compares with the declared baseline, priced by the same engine", async () => {
    const baseline = {
      description: "The same 0.48 kg box of virgin PET, moulded on East China grid power",
      year: 2025,
      activities: [
        { kind: "material", material: "PET", origin: "virgin", massKg: 0.48 },
        { kind: "electricity", kWh: 0.4, gridRegion: "CN-East" },
      ],
    };
    await request(api.server)
      .put(`/lots/${GTIN.boxes}/${chain.lots.boxes}/baseline`)
      .set("authorization", `Bearer ${chain.recyclerA.token}`)
      .send(baseline)
      .expect(403);
    const bad = await request(api.server)
      .put(`/lots/${GTIN.boxes}/${chain.lots.boxes}/baseline`)
      .set("authorization", `Bearer ${chain.moulder.token}`)
      .send({ ...baseline, activities: [{ kind: "steam", amount: 1 }] })
      .expect(400);
    expect(bad.body).toMatchObject({ code: "FOOTPRINT.BASELINE_INVALID" });
    await request(api.server)
      .put(`/lots/${GTIN.boxes}/${chain.lots.boxes}/baseline`)
      .set("authorization", `Bearer ${chain.moulder.token}`)
      .send(baseline)
      .expect(200);
    const boxes = await footprintOf(GTIN.boxes, chain.lots.boxes, "?libraryVersion=1");
    // baseline per box: 0.48 kg × 3.4 = 1.632 + 0.4 kWh × 0.55 = 0.22 → 1.852 kg; actual 0.5921956
    // reduction 1.852 − 0.5921956 = 1.2598044 kg = 68.024 %
    expect(boxes.comparison?.baselinePerUnitKg).toBeCloseTo(1.852, 12);
    expect(boxes.comparison?.actualPerUnitKg).toBeCloseTo(0.5921956, 12);
    expect(boxes.comparison?.reductionPerUnitKg).toBeCloseTo(1.2598044, 12);
    expect(boxes.comparison?.reductionPercent).toBeCloseTo((100 * 1.2598044) / 1.852, 9);
  });

  it("suggests concrete reductions with the saving of each", async () => {
    const boxes = await footprintOf(GTIN.boxes, chain.lots.boxes, "?libraryVersion=1");
    const kinds = boxes.suggestions.map((s) => s.kind);
    expect(kinds).toEqual(expect.arrayContaining(["green-electricity", "recycled-material", "modal-shift"]));
    const green = boxes.suggestions.find((s) => s.kind === "green-electricity");
    // the moulding run's electricity is the largest electricity stage: 0.8 × 220 kg = 176 kg → 0.176 kg per box
    expect(green).toMatchObject({ stage: "moulder/commissioning" });
    expect(green?.savingPerUnitKg).toBeCloseTo(0.176, 12);
    const savings = boxes.suggestions.map((s) => s.savingPerUnitKg);
    expect([...savings].sort((a, b) => b - a)).toEqual(savings);
  });
});
