import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { PLUSH_TOY_MODEL } from "#footprint";
import { startTestApp, type TestApp } from "../support/app.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { registerParticipant, type TestParticipant } from "../support/participants.js";
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
