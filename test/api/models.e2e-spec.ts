import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { producedLotDocument, receivedLotDocument, shippedLotDocument, transformedLotDocument } from "#capture";
import { PLUSH_TOY_MODEL, RPET_STORAGE_BOX_MODEL } from "#footprint";
import type { SigningDomain } from "#proof";
import { startTestApp, type TestApp } from "../support/app.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { commissioning, epcisDocument, GTIN, newLot, quantity, type Json } from "../support/epcis.js";
import { capture, registerParticipant, signingDomainOf, type TestParticipant } from "../support/participants.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { tempDir } from "../support/temp.js";

/**
 * Product models through the API ("online modelling"): the shipped models, declaring and versioning one's own,
 * and who may do what. A brand owner models only GTINs under its GS1 Company Prefix; a model's later versions
 * belong to whoever declared it; one GTIN has one model.
 */

/** A toy GTIN under the prefix the brand owner registers (check digit valid). */
const OWN_GTIN = "09501101530003";
const OWN_PREFIX = "9501101";
const OTHER_GTIN = "06901234000061";

let postgres: TestPostgres;
let dir: Awaited<ReturnType<typeof tempDir>>;
let api: TestApp;
let brandOwner: TestParticipant;
let stranger: TestParticipant;

const as = (key: string) => ({ authorization: `Bearer ${key}` });

/** The plush-toy model re-declared under another id and GTIN, as a brand owner would adapt it. */
function ownModel(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const body = JSON.parse(JSON.stringify(PLUSH_TOY_MODEL)) as Record<string, unknown>;
  return { ...body, version: undefined, id: "teddy-bear", gtins: [OWN_GTIN], ...overrides };
}

beforeAll(async () => {
  postgres = await startTestPostgres();
  dir = await tempDir("models");
  api = await startTestApp({
    DATA_DIR: join(dir.path, "data"),
    DATABASE_URL: await postgres.createDatabase(),
    EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
  });
  [brandOwner, stranger] = await Promise.all([
    registerParticipant(api.server, api.adminKey, ["moulder"], "self", { organisation: "Teddy maker" }),
    registerParticipant(api.server, api.adminKey, ["moulder"], "self", { organisation: "Another maker" }),
  ]);
  await request(api.server)
    .post(`/participants/${brandOwner.id}/company-prefixes`)
    .set(as(api.adminKey))
    .send({ companyPrefixes: [OWN_PREFIX] })
    .expect(201);
}, 120_000);

afterAll(async () => {
  await api.stop();
  await postgres.stop();
  await dir.remove();
});

describe("product models", () => {
  it("lists the three shipped models to any participant, and not to anonymous callers", async () => {
    const listed = await request(api.server).get("/models").set(as(stranger.token)).expect(200);
    const models = listed.body as Array<{ origin: string; model: { id: string; version: number } }>;
    expect(models.map((m) => [m.model.id, m.model.version, m.origin])).toEqual([
      ["rpet-storage-box", 1, "built-in"],
      ["rpet-bottle-to-bottle", 1, "built-in"],
      ["plush-toy", 1, "built-in"],
    ]);
    await request(api.server).get("/models").expect(401);
  });

  it("lets a brand owner declare a model of its own product, then version it; earlier versions never change", async () => {
    const created = await request(api.server).post("/models").set(as(brandOwner.token)).send(ownModel()).expect(201);
    expect(created.body).toMatchObject({
      origin: "declared",
      declaredBy: brandOwner.id,
      model: { id: "teddy-bear", version: 1, gtins: [OWN_GTIN] },
    });
    const renamed = ownModel({ name: { en: "Teddy bear", zh: "泰迪熊" }, version: 7 });
    const next = await request(api.server)
      .post("/models/teddy-bear/versions")
      .set(as(brandOwner.token))
      .send(renamed)
      .expect(201);
    // The service numbers versions: a declared one is ignored.
    expect(next.body).toMatchObject({ model: { id: "teddy-bear", version: 2, name: { en: "Teddy bear" } } });
    const latest = await request(api.server).get("/models/teddy-bear").set(as(stranger.token)).expect(200);
    expect(latest.body).toMatchObject({ model: { version: 2 } });
    const first = await request(api.server).get("/models/teddy-bear/versions/1").set(as(stranger.token)).expect(200);
    expect(first.body).toMatchObject({ model: { version: 1, name: PLUSH_TOY_MODEL.name } });
    const versions = await request(api.server).get("/models/teddy-bear/versions").set(as(stranger.token)).expect(200);
    expect((versions.body as Array<{ model: { version: number } }>).map((v) => v.model.version)).toEqual([1, 2]);
  });

  it("refuses a second model of the same id, a model of another's GTIN, and another participant's new version", async () => {
    const again = await request(api.server).post("/models").set(as(brandOwner.token)).send(ownModel()).expect(409);
    expect(again.body).toMatchObject({ code: "MODEL.EXISTS" });
    const foreign = await request(api.server)
      .post("/models")
      .set(as(stranger.token))
      .send(ownModel({ id: "copycat" }))
      .expect(403);
    expect(foreign.body).toMatchObject({ code: "MODEL.NOT_BRAND_OWNER", gtin: OWN_GTIN, brandOwner: "Teddy maker" });
    const hijack = await request(api.server)
      .post("/models/teddy-bear/versions")
      .set(as(stranger.token))
      .send(ownModel())
      .expect(403);
    expect(hijack.body).toMatchObject({ code: "MODEL.FORBIDDEN" });
    // Only the administrator versions a shipped model.
    const shipped = await request(api.server)
      .post("/models/plush-toy/versions")
      .set(as(brandOwner.token))
      .send(ownModel({ id: "plush-toy" }))
      .expect(403);
    expect(shipped.body).toMatchObject({ code: "MODEL.FORBIDDEN" });
    const versions = await request(api.server).get("/models/teddy-bear/versions").set(as(stranger.token)).expect(200);
    expect(versions.body).toHaveLength(2);
  });

  it("keeps one model per GTIN, even for the administrator", async () => {
    const taken = await request(api.server)
      .post("/models")
      .set(as(api.adminKey))
      .send(ownModel({ id: "second-teddy" }))
      .expect(409);
    expect(taken.body).toMatchObject({ code: "MODEL.GTIN_TAKEN", gtin: OWN_GTIN, model: "teddy-bear" });
    await request(api.server).get("/models/second-teddy").set(as(api.adminKey)).expect(404);
  });

  it("lets the administrator version a shipped model: the declared version 2 follows the shipped version 1", async () => {
    const body = { ...ownModel({ id: "plush-toy", gtins: PLUSH_TOY_MODEL.gtins }), sources: ["Revised ranges"] };
    const created = await request(api.server).post("/models/plush-toy/versions").set(as(api.adminKey)).send(body);
    expect([created.status, created.body]).toEqual([201, expect.objectContaining({ declaredBy: null })]);
    expect(created.body).toMatchObject({ model: { id: "plush-toy", version: 2, sources: ["Revised ranges"] } });
    const versions = await request(api.server).get("/models/plush-toy/versions").set(as(stranger.token)).expect(200);
    expect(
      (versions.body as Array<{ origin: string; model: { version: number } }>).map((v) => [v.model.version, v.origin]),
    ).toEqual([
      [1, "built-in"],
      [2, "declared"],
    ]);
    const listed = await request(api.server).get("/models").set(as(stranger.token)).expect(200);
    const plush = (listed.body as Array<{ model: { id: string; version: number } }>).filter(
      (m) => m.model.id === "plush-toy",
    );
    expect(plush.map((m) => m.model.version)).toEqual([2]);
  });

  it("answers bad models with MODEL.INVALID naming each problem, and unknown ids or versions with 404", async () => {
    const invalid = await request(api.server)
      .post("/models")
      .set(as(api.adminKey))
      .send(ownModel({ id: "Bad Id", gtins: [OTHER_GTIN.replace(/1$/, "2")] }))
      .expect(400);
    expect(invalid.body).toMatchObject({ code: "MODEL.INVALID" });
    expect((invalid.body as { errors: string[] }).errors.join(" ")).toContain("/id");
    const notObject = await request(api.server)
      .post("/models")
      .set(as(api.adminKey))
      .set("content-type", "application/json")
      .send("[1, 2]")
      .expect(400);
    expect(notObject.body).toMatchObject({ code: "MODEL.INVALID" });
    const upsideDown = ownModel({ id: "upside-down", gtins: ["09501101530010"] });
    const stages = upsideDown.stages as Array<{ activities: Array<{ range: { min: number; max: number } }> }>;
    const first = stages[1]?.activities[0];
    if (first !== undefined) first.range = { min: 5, max: 1 };
    const ranged = await request(api.server).post("/models").set(as(brandOwner.token)).send(upsideDown).expect(400);
    expect((ranged.body as { errors: string[] }).errors).toEqual(["/stages/1/activities/0/range min is above max"]);
    for (const path of ["/models/no-such-model", "/models/teddy-bear/versions/9", "/models/teddy-bear/versions/x1"]) {
      const missing = await request(api.server).get(path).set(as(stranger.token)).expect(404);
      expect(missing.body).toMatchObject({ code: "MODEL.NOT_FOUND" });
    }
  });
});

describe("spot checks and industry matching", () => {
  /** A model of rPET pellets: the storage box's collection and recycling stages, for the pellets' GTIN. */
  const PELLETS_MODEL = {
    ...JSON.parse(JSON.stringify(RPET_STORAGE_BOX_MODEL)),
    version: undefined,
    id: "rpet-pellets",
    name: { en: "rPET pellets", zh: "rPET 再生粒子" },
    gtins: [GTIN.pellets],
    declaredUnit: "KGM",
    unitMassKg: undefined,
    stages: RPET_STORAGE_BOX_MODEL.stages.slice(0, 2),
  } as Record<string, unknown>;

  let domain: SigningDomain;
  let certifier: TestParticipant;
  const recyclers: TestParticipant[] = [];

  /** One recycling run: 1,000 kg of pellets for `kWh` of grid electricity. */
  const recycling = (kWh: number): Json =>
    epcisDocument([
      commissioning([quantity(GTIN.pellets, newLot("PR"), 1000, "KGM")], {
        "ct:process": "recycling",
        "ct:activity": { "ct:electricity": [{ "ct:kWh": kWh, "ct:gridRegion": "CN-ZJ", "ct:basis": "measured" }] },
      }),
    ]);

  beforeAll(async () => {
    domain = await signingDomainOf(api.server);
    await request(api.server).post("/models").set(as(api.adminKey)).send(PELLETS_MODEL).expect(201);
    certifier = await registerParticipant(api.server, api.adminKey, ["certifier"], "self", { organisation: "Auditor" });
    for (const name of ["A", "B", "C", "D"]) {
      recyclers.push(
        await registerParticipant(api.server, api.adminKey, ["recycler"], "self", { organisation: `Recycler ${name}` }),
      );
    }
    // Three recyclers report the usual 0.49–0.60 kWh per kg of pellets, twice each.
    const usual = [
      [500, 550],
      [600, 520],
      [580, 490],
    ];
    for (const [i, runs] of usual.entries()) {
      for (const kWh of runs) {
        const captured = await capture(api.server, recyclers[i] as TestParticipant, recycling(kWh), domain);
        expect([captured.status, captured.body]).toEqual([202, expect.anything()]);
      }
    }
  }, 120_000);

  it("warns a partner before signing when it reports ten times the peers' kWh per kg, in both languages", async () => {
    const outlier = recyclers[3] as TestParticipant;
    const checked = await request(api.server)
      .post("/models/rpet-pellets/check")
      .set(as(outlier.token))
      .send(recycling(5600))
      .expect(200);
    const [check] = (checked.body as { checks: Array<Record<string, unknown>> }).checks;
    expect(check).toMatchObject({
      stage: "recycling",
      activity: "electricity",
      value: 5.6,
      status: "above",
      peerStatus: "outlier",
      peers: { count: 6, participants: 3 },
    });
    const warning = check?.warning as { en: string; zh: string };
    expect(warning.en).toContain("5.6 kWh per kg of output, outside the 0.3–1.2 this step usually takes");
    expect(warning.en).toContain("Other partners at this step report 0.505–0.573 (median 0.535)");
    expect(warning.zh).toContain("每千克产出 5.6 kWh");
    // A usual figure gets no warning; nothing was stored by either check.
    const usual = await request(api.server)
      .post("/models/rpet-pellets/check")
      .set(as(outlier.token))
      .send(recycling(540))
      .expect(200);
    expect((usual.body as { checks: unknown[] }).checks).toEqual([
      expect.objectContaining({ status: "in-range", peerStatus: "typical", warning: null }),
    ]);
    // What capture would refuse is refused here the same way (a warehouse does not commission pellets).
    const warehouse = await registerParticipant(api.server, api.adminKey, ["warehouse"], "self");
    const refused = await request(api.server)
      .post("/models/rpet-pellets/check")
      .set(as(warehouse.token))
      .send(recycling(540))
      .expect(403);
    expect((refused.body as { code: string }).code).toMatch(/^CAPTURE\./);
  });

  it("lists the outlier, once captured, on the certifier's spot-check list, and only there", async () => {
    const outlier = recyclers[3] as TestParticipant;
    const captured = await capture(api.server, outlier, recycling(5600), domain);
    expect(captured.status).toBe(202);
    const review = await request(api.server).get("/models/rpet-pellets/review").set(as(certifier.token)).expect(200);
    const body = review.body as { lots: number; checked: number; spotChecks: Array<Record<string, unknown>> };
    expect(body).toMatchObject({ lots: 7, checked: 7 });
    expect(body.spotChecks).toEqual([
      expect.objectContaining({
        organisation: "Recycler D",
        participant: outlier.id,
        value: 5.6,
        status: "above",
        peerStatus: "outlier",
        evidence: [],
      }),
    ]);
    const forbidden = await request(api.server)
      .get("/models/rpet-pellets/review")
      .set(as((recyclers[0] as TestParticipant).token))
      .expect(403);
    expect(forbidden.body).toMatchObject({ code: "MODEL.REVIEW_FORBIDDEN" });
    await request(api.server).get("/models/rpet-pellets/review").set(as(api.adminKey)).expect(200);
  });
});

describe("the console's lots, partner directory and rehearsed checks", () => {
  const WHEN = { date: "2026-10-02", time: "09:00", timeZoneOffset: "+08:00" } as const;
  let domain: SigningDomain;
  let supplier: TestParticipant;
  let recycler: TestParticipant;
  const bales = newLot("CB");

  type Lot = { lot: string; lotNumber: string; held: number; inTransit: number; from: { id: string } | null };
  const lotsOf = async (who: TestParticipant): Promise<Lot[]> =>
    (await request(api.server).get("/console/lots").set(as(who.token)).expect(200)).body as Lot[];

  beforeAll(async () => {
    domain = await signingDomainOf(api.server);
    supplier = await registerParticipant(api.server, api.adminKey, ["supplier"], "self", { country: "CN" });
    recycler = await registerParticipant(api.server, api.adminKey, ["recycler"], "self", { country: "CN" });
    // Built as the console builds them: 1,000 kg of bales made, 600 kg shipped to the recycler by truck.
    const made = producedLotDocument({
      ...WHEN,
      gln: supplier.gln,
      gtin: GTIN.bales,
      lotNumber: bales,
      quantity: 1,
      unit: "t",
      process: "baling",
    });
    const shipped = shippedLotDocument({
      ...WHEN,
      time: "15:00",
      gln: supplier.gln,
      lot: { gtin: GTIN.bales, lotNumber: bales, quantity: 600, unit: "kg" },
      toGln: recycler.gln,
      transport: { mode: "road", distanceKm: 80, region: "CN" },
    });
    for (const document of [made, shipped]) {
      const captured = await capture(api.server, supplier, document, domain);
      expect([captured.status, captured.body]).toEqual([202, expect.anything()]);
    }
  }, 60_000);

  it("lists what each partner holds and what is on its way to it, with the sender", async () => {
    expect(await lotsOf(supplier)).toEqual([
      expect.objectContaining({ lotNumber: bales, held: 400, inTransit: 0, unit: "KGM", from: null }),
    ]);
    expect(await lotsOf(recycler)).toEqual([
      expect.objectContaining({
        lotNumber: bales,
        held: 0,
        inTransit: 600,
        name: { en: "PET bottle bales", zh: "PET 瓶砖" },
        from: expect.objectContaining({ id: supplier.id, gln: supplier.gln }),
      }),
    ]);
    const directory = (await request(api.server).get("/console/partners").set(as(supplier.token)).expect(200))
      .body as Array<{ id: string; gln: string; roles: string[] }>;
    expect(directory).toContainEqual(
      expect.objectContaining({ id: recycler.id, gln: recycler.gln, roles: ["recycler"] }),
    );
    expect(directory.map((partner) => partner.id)).not.toContain(supplier.id);
    expect(directory.every((partner) => !partner.roles.includes("certifier"))).toBe(true);
    await request(api.server).get("/console/lots").expect(401);
  });

  it("rehearses capture before signing: mass balance and custody come back as capture's problems; nothing is kept", async () => {
    const receiving = (kg: number) =>
      receivedLotDocument({
        ...WHEN,
        time: "18:00",
        gln: recycler.gln,
        lot: { gtin: GTIN.bales, lotNumber: bales, quantity: kg, unit: "kg" },
        fromGln: supplier.gln,
      });
    const tooMuch = await request(api.server)
      .post("/models/rpet-storage-box/check")
      .set(as(recycler.token))
      .send(receiving(700))
      .expect(409);
    expect(tooMuch.body).toMatchObject({
      code: "LOT.NO_SHIPMENT",
      lot: expect.stringContaining(bales),
      inTransit: "600",
    });
    await request(api.server)
      .post("/models/rpet-storage-box/check")
      .set(as(recycler.token))
      .send(receiving(600))
      .expect(200);
    // Using the bales before receiving them is refused the same way.
    const early = await request(api.server)
      .post("/models/rpet-storage-box/check")
      .set(as(recycler.token))
      .send(
        transformedLotDocument({
          ...WHEN,
          time: "20:00",
          gln: recycler.gln,
          process: "recycling",
          inputs: [{ gtin: GTIN.bales, lotNumber: bales, quantity: 600, unit: "kg" }],
          outputs: [{ gtin: GTIN.pellets, lotNumber: newLot("CP"), quantity: 500, unit: "kg" }],
        }),
      )
      .expect(409);
    expect(early.body).toMatchObject({ code: "LOT.NOT_RECEIVED" });
    // Another partner's lot: a recycler the bales were never shipped to cannot even rehearse shipping them on.
    const stranger = await registerParticipant(api.server, api.adminKey, ["recycler"], "self", { country: "CN" });
    const notMine = await request(api.server)
      .post("/models/rpet-storage-box/check")
      .set(as(stranger.token))
      .send(
        shippedLotDocument({
          ...WHEN,
          time: "21:00",
          gln: stranger.gln,
          lot: { gtin: GTIN.bales, lotNumber: bales, quantity: 100, unit: "kg" },
          toGln: supplier.gln,
        }),
      )
      .expect(403);
    expect(notMine.body).toMatchObject({ code: "LOT.NOT_HOLDER" });
    // The rehearsals kept nothing: the shipment is still on its way, and the recycler has no event.
    expect(await lotsOf(recycler)).toEqual([expect.objectContaining({ held: 0, inTransit: 600 })]);
    expect(await lotsOf(supplier)).toEqual([expect.objectContaining({ held: 400, inTransit: 0 })]);
    const events = await request(api.server).get("/events").set(as(recycler.token)).expect(200);
    expect(JSON.stringify(events.body)).not.toContain("receiving");
  });
});
