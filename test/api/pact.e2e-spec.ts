import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { startTestApp, type TestApp } from "../support/app.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { GTIN } from "../support/epcis.js";
import { registerParticipant, signingDomainOf } from "../support/participants.js";
import { HAS_PACT_V3, pactV3Validator, type Validate } from "../support/pact-schema.js";
import { startPactRecipient, type PactRecipient } from "../support/pact-recipient.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { captureRpetChain, type RpetChain } from "../support/rpet-chain.js";
import { tempDir } from "../support/temp.js";
import { waitFor } from "../support/waits.js";

let postgres: TestPostgres;
let api: TestApp;
let dir: Awaited<ReturnType<typeof tempDir>>;
let chain: RpetChain;
let recipient: PactRecipient;
let client: { id: string; clientId: string; clientSecret: string };
let token: string;
let boxesPf: Record<string, unknown>;
let regrindPf: Record<string, unknown>;

type Json = Record<string, unknown>;
const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

/** The official v3 schema where the conformance data is here; else only our own structural checks apply. */
const validateFootprint: Validate = HAS_PACT_V3 ? pactV3Validator("ProductFootprint") : () => [];

async function anchored(): Promise<void> {
  await waitFor(
    "every captured event to be anchored",
    async () => {
      const status = (await request(api.server).get("/anchoring")).body as { events: Record<string, number> };
      const { queued, built, sent } = status.events;
      return queued === 0 && built === 0 && sent === 0 ? true : undefined;
    },
    60_000,
    200,
  );
}

function publish(gtin: string, lot: string, extra: Json = {}): request.Test {
  return request(api.server)
    .post(`/lots/${gtin}/${lot}/footprints`)
    .set("authorization", `Bearer ${chain.moulder.token}`)
    .send({
      productNameCompany: "rPET storage box 12 L",
      productDescription: "12-litre storage box injection-moulded from recycled PET pellets",
      productClassifications: ["urn:pact:productclassification:un-cpc:36490"],
      polymer: "PET",
      recycledShare: 0.8,
      ...extra,
    });
}

const pact = (path: string) => request(api.server).get(path).set("authorization", `Bearer ${token}`);

beforeAll(async () => {
  postgres = await startTestPostgres();
  dir = await tempDir("pact");
  recipient = await startPactRecipient();
  api = await startTestApp(
    {
      DATA_DIR: dir.path,
      DATABASE_URL: await postgres.createDatabase(),
      EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
      ANCHOR_BATCH_WINDOW_MS: "200",
      ANCHOR_POLL_MS: "100",
      // The recipient listens on loopback over http: allowed for this origin only.
      PACT_CALLBACK_ALLOW: new URL(recipient.url).origin,
    },
    { listen: true },
  );
  chain = await captureRpetChain(api.server, api.adminKey, await signingDomainOf(api.server));
}, 120_000);
afterAll(async () => {
  await api.stop();
  await recipient.close();
  await dir.remove();
  await postgres.stop();
});

describe("publishing a lot's footprint as a PACT ProductFootprint", () => {
  it("is for a producer of the lot only, once its events are anchored", async () => {
    const other = await registerParticipant(api.server, api.adminKey, ["moulder"]);
    const refused = await request(api.server)
      .post(`/lots/${GTIN.boxes}/${chain.lots.boxes}/footprints`)
      .set("authorization", `Bearer ${other.token}`)
      .send({ productNameCompany: "x", productDescription: "x", polymer: "PET" })
      .expect(403);
    expect(refused.body).toMatchObject({ code: "FOOTPRINT.NOT_PRODUCER" });
    await anchored();
    const missing = await publish(GTIN.boxes, chain.lots.boxes, { polymer: undefined, recycledShare: undefined });
    expect([missing.status, missing.body]).toEqual([
      400,
      expect.objectContaining({ code: "FOOTPRINT.CARBON_CONTENT_REQUIRED" }),
    ]);
    const invalid = await publish(GTIN.boxes, chain.lots.boxes, { productClassifications: ["cpc 36490"] });
    expect(invalid.status).toBe(400);
    expect(
      await request(api.server)
        .get(`/lots/${GTIN.boxes}/${chain.lots.boxes}/footprints`)
        .set("authorization", `Bearer ${chain.moulder.token}`),
    ).toMatchObject({ body: [] });
  }, 90_000);

  it("publishes a ProductFootprint that validates against the PACT v3 schema", async () => {
    const response = await publish(GTIN.boxes, chain.lots.boxes);
    expect([response.status, response.body]).toEqual([201, expect.anything()]);
    boxesPf = response.body as Json;
    expect(validateFootprint(boxesPf)).toEqual([]);
    const pcf = boxesPf.pcf as Json;
    // 592.1956 kg / 1000 boxes (see footprint.e2e-spec.ts); mass 0.48 kg from ct:unitMasses;
    // carbon: 0.48 kg × 120.11/192.17 (PET) = 0.3000087 kg, 80 % of it recycled = 0.2400070
    expect(pcf).toMatchObject({
      declaredUnitOfMeasurement: "piece",
      declaredUnitAmount: "1",
      productMassPerDeclaredUnit: "0.48",
      pcfExcludingBiogenicUptake: "0.592196",
      fossilCarbonContent: "0.300009",
      recycledCarbonContent: "0.240007",
      geographyCountry: "CN",
    });
    expect(boxesPf).toMatchObject({
      specVersion: "3.0.0",
      status: "Active",
      companyName: "Moulder Co.",
      productIds: [`urn:gtin:${GTIN.boxes}`],
    });
    expect(boxesPf.companyIds).toContain(`urn:uuid:${chain.moulder.id}`);
    const [extension] = boxesPf.extensions as Array<{ dataSchema: string; data: Json }>;
    expect(extension?.data).toMatchObject({ anchored: true, eventCount: 7, factorLibraryVersion: "1" });
    // the links resolve: the extension's schema, the proof bundle and the calculation
    for (const link of [extension?.dataSchema, extension?.data.proofBundle, extension?.data.calculation]) {
      const path = new URL(String(link)).pathname;
      expect([path, (await request(api.server).get(path)).status]).toEqual([path, 200]);
    }
  });

  it("publishes again as a new footprint naming its predecessor, which becomes Deprecated", async () => {
    // Once the boxes' brand owner has registered its GS1 Company Prefix, the lot is named as an LGTIN class URN too.
    await request(api.server)
      .post(`/participants/${chain.moulder.id}/company-prefixes`)
      .set("authorization", `Bearer ${api.adminKey}`)
      .send({ companyPrefixes: ["690123400003"] })
      .expect(201);
    const second = (await publish(GTIN.boxes, chain.lots.boxes).expect(201)).body as Json;
    expect(second.precedingPfIds).toEqual([boxesPf.id]);
    expect(second.productIds).toEqual([
      `urn:gtin:${GTIN.boxes}`,
      `urn:epc:class:lgtin:690123400003.0.${chain.lots.boxes}`,
    ]);
    expect(validateFootprint(second)).toEqual([]);
    const list = (
      await request(api.server)
        .get(`/lots/${GTIN.boxes}/${chain.lots.boxes}/footprints`)
        .set("authorization", `Bearer ${chain.moulder.token}`)
        .expect(200)
    ).body as Json[];
    expect(list.map((pf) => [pf.id, pf.status])).toEqual([
      [second.id, "Active"],
      [boxesPf.id, "Deprecated"],
    ]);
    boxesPf = second;
    regrindPf = (await publish(GTIN.pellets, chain.lots.regrind, { productNameCompany: "rPET regrind" }).expect(201))
      .body as Json;
    expect((regrindPf.pcf as Json).declaredUnitOfMeasurement).toBe("kilogram");
  });
});

describe("PACT Action Authenticate", () => {
  it("issues client credentials to the data owner and a bearer token for them (HTTP Basic)", async () => {
    const created = await request(api.server)
      .post("/pact/clients")
      .set("authorization", `Bearer ${chain.moulder.token}`)
      .send({
        name: "Retailer procurement",
        callback: { url: recipient.url, clientId: recipient.clientId, clientSecret: recipient.clientSecret },
      })
      .expect(201);
    client = created.body as typeof client;
    expect(client.clientId).toMatch(/^ctpc_/);
    const response = await request(api.server)
      .post("/auth/token")
      .set("authorization", basic(client.clientId, client.clientSecret))
      .type("form")
      .send({ grant_type: "client_credentials" })
      .expect(200);
    expect(response.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(response.headers["cache-control"]).toBe("no-store");
    token = (response.body as { access_token: string }).access_token;
  });

  it("refuses wrong credentials and grants as RFC 6749 says", async () => {
    const wrong = await request(api.server)
      .post("/auth/token")
      .set("authorization", basic(client.clientId, "wrong"))
      .type("form")
      .send({ grant_type: "client_credentials" })
      .expect(401);
    expect(wrong.body).toMatchObject({ error: "invalid_client" });
    expect(wrong.headers["content-type"]).toMatch(/^application\/json/);
    await request(api.server).post("/auth/token").type("form").send({ grant_type: "client_credentials" }).expect(401);
    const grant = await request(api.server)
      .post("/auth/token")
      .set("authorization", basic(client.clientId, client.clientSecret))
      .type("form")
      .send({ grant_type: "password" })
      .expect(400);
    expect(grant.body).toMatchObject({ error: "unsupported_grant_type" });
  });
});

describe("PACT ListFootprints and GetFootprint", () => {
  it("lists the owner's footprints, each valid, newest first", async () => {
    const list = (await pact("/3/footprints").expect(200)).body as { data: Json[] };
    expect(list.data.map((pf) => pf.id)).toEqual([regrindPf.id, boxesPf.id, expect.any(String)]);
    for (const pf of list.data) expect(validateFootprint(pf)).toEqual([]);
  });

  it("pages with limit and an absolute Link rel=next that keeps the filters", async () => {
    const first = await pact("/3/footprints?status=Active&limit=1").expect(200);
    expect((first.body as { data: Json[] }).data).toHaveLength(1);
    const link = /^<([^>]+)>; rel="next"$/.exec(String(first.headers.link))?.[1] ?? "";
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/3\/footprints\?/);
    const next = new URL(link);
    expect(Object.fromEntries(next.searchParams)).toEqual({ status: "Active", limit: "1", cursor: expect.any(String) });
    const second = await pact(`${next.pathname}${next.search}`).expect(200);
    expect((second.body as { data: Json[] }).data.map((pf) => pf.id)).toEqual([boxesPf.id]);
    expect(second.headers.link).toBeUndefined();
  });

  it("filters by every criterion (repeated values: any of; different criteria: all)", async () => {
    const ids = async (query: string): Promise<unknown[]> =>
      ((await pact(`/3/footprints?${query}`).expect(200)).body as { data: Json[] }).data.map((pf) => pf.id);
    const created = String(boxesPf.validityPeriodStart);
    expect(await ids(`productId=urn:gtin:${GTIN.boxes}&status=Active`)).toEqual([boxesPf.id]);
    expect(await ids(`productId=urn:epc:class:lgtin:690123400003.0.${chain.lots.boxes}`)).toEqual([boxesPf.id]);
    expect(await ids(`productId=urn:bogus&productId=urn:gtin:${GTIN.pellets}`)).toEqual([regrindPf.id]);
    expect(await ids(`companyId=urn:uuid:${chain.moulder.id}&status=Active`)).toEqual([regrindPf.id, boxesPf.id]);
    expect(await ids("geography=CN&status=Deprecated")).toHaveLength(1);
    expect(await ids("classification=urn:pact:productclassification:un-cpc:36490&status=Active")).toHaveLength(2);
    expect(await ids(`validOn=${encodeURIComponent(created)}&productId=urn:gtin:${GTIN.boxes}`)).toContain(boxesPf.id);
    expect(await ids(`validAfter=${encodeURIComponent(created)}`)).not.toContain(boxesPf.id);
    for (const query of [
      "productId=urn:bogus:product:nonexistent123",
      "companyId=urn:bogus:company:1&companyId=urn:bogus:company:2",
      "geography=XX",
      "classification=urn:bogus:classification:1",
      "validOn=1900-01-01T00:00:00Z",
      "validAfter=2099-12-31T23:59:59Z",
      "validBefore=1900-01-01T00:00:00Z",
      "status=BogusStatusValue",
      `companyId=urn:bogus:company:1&productId=urn:gtin:${GTIN.boxes}`,
    ]) {
      expect([query, await ids(query)]).toEqual([query, []]);
    }
  });

  it("matches criteria without regard to case (status=active, geography=cn, URNs in any case)", async () => {
    const ids = async (query: string): Promise<unknown[]> =>
      ((await pact(`/3/footprints?${query}`).expect(200)).body as { data: Json[] }).data.map((pf) => pf.id);
    expect(await ids("status=active")).toEqual(await ids("status=Active"));
    expect(await ids("status=active")).toContain(boxesPf.id);
    expect(await ids("geography=cn&status=DEPRECATED")).toEqual(await ids("geography=CN&status=Deprecated"));
    expect(await ids(`productId=URN:GTIN:${GTIN.boxes}&status=Active`)).toEqual([boxesPf.id]);
    expect(await ids(`companyId=URN:UUID:${chain.moulder.id.toUpperCase()}&status=active`)).toEqual([
      regrindPf.id,
      boxesPf.id,
    ]);
    expect(await ids("classification=URN:PACT:PRODUCTCLASSIFICATION:UN-CPC:36490&status=Active")).toHaveLength(2);
  });

  it("finds a country's footprints by the UN M49 region or subregion around it (geography=Eastern Asia, Asia)", async () => {
    const ids = async (query: string): Promise<unknown[]> =>
      ((await pact(`/3/footprints?${query}`).expect(200)).body as { data: Json[] }).data.map((pf) => pf.id);
    const inChina = await ids("geography=CN");
    expect(inChina).toContain(boxesPf.id);
    expect(await ids(`geography=${encodeURIComponent("Eastern Asia")}`)).toEqual(inChina);
    expect(await ids(`geography=${encodeURIComponent("eastern asia")}`)).toEqual(inChina);
    expect(await ids("geography=Asia")).toEqual(inChina);
    expect(await ids("geography=Europe&geography=Asia")).toEqual(inChina);
    for (const elsewhere of ["Europe", "Western Europe", "Americas", "South-eastern Asia"]) {
      expect([elsewhere, await ids(`geography=${encodeURIComponent(elsewhere)}`)]).toEqual([elsewhere, []]);
    }
  });

  it("answers errors in PACT's format (application/json { code, message })", async () => {
    const odata = await pact("/3/footprints?$filter=created%20ge%20'2023-01-15T10:15:30Z'").expect(400);
    expect(odata.body).toMatchObject({ code: "NotImplemented" });
    expect(odata.headers["content-type"]).toMatch(/^application\/json/);
    expect((await pact("/3/footprints?limit=-1").expect(400)).body).toMatchObject({ code: "BadRequest" });
    expect((await pact("/3/footprints?validOn=soon").expect(400)).body).toMatchObject({ code: "BadRequest" });
    const invalidToken = await request(api.server)
      .get("/3/footprints")
      .set("authorization", "Bearer invalid-access-token");
    expect([invalidToken.status, invalidToken.body]).toEqual([
      401,
      { code: "BadRequest", message: "Invalid token provided" },
    ]);
    await request(api.server).get("/3/footprints").expect(401);
    expect((await pact("/3/footprints/00000000-0000-0000-0000-000000000000").expect(404)).body).toMatchObject({
      code: "NotFound",
    });
    expect((await pact("/3/footprints/non-existent-id").expect(404)).body).toMatchObject({ code: "NotFound" });
  });

  it("answers limit=0 (the OpenAPI's minimum) with no footprints and a next page of the default size", async () => {
    const none = await pact("/3/footprints?limit=0&status=Active").expect(200);
    expect((none.body as { data: Json[] }).data).toEqual([]);
    const link = /^<([^>]+)>; rel="next"$/.exec(String(none.headers.link))?.[1] ?? "";
    expect(Object.fromEntries(new URL(link).searchParams)).toMatchObject({ status: "Active", offset: "0" });
    // A cursor that is not one of ours is a BadRequest, not a page.
    expect((await pact("/3/footprints?cursor=bm90LWEtY3Vyc29y").expect(400)).body).toMatchObject({
      code: "BadRequest",
    });
    expect(Number(new URL(link).searchParams.get("limit"))).toBeGreaterThan(0);
  });

  it("answers a malformed body and unknown paths under /3 in PACT's format, authentication first", async () => {
    const malformed = (auth?: string) => {
      const post = request(api.server).post("/3/events").set("content-type", "application/cloudevents+json");
      return (auth === undefined ? post : post.set("authorization", `Bearer ${auth}`)).send("{not json");
    };
    const anonymous = await malformed();
    expect([anonymous.status, anonymous.headers["content-type"]]).toEqual([
      401,
      expect.stringMatching(/^application\/json/),
    ]);
    expect(anonymous.body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    const authenticated = await malformed(token);
    expect([authenticated.status, authenticated.headers["content-type"]]).toEqual([
      400,
      expect.stringMatching(/^application\/json/),
    ]);
    expect(authenticated.body).toMatchObject({ code: "BadRequest" });
    const unknown = await pact("/3/no-such-action");
    expect([unknown.status, unknown.headers["content-type"], unknown.body.code]).toEqual([
      404,
      expect.stringMatching(/^application\/json/),
      "NotFound",
    ]);
  });

  it("gets one footprint by id, and keeps other data owners' footprints from the client", async () => {
    const got = (await pact(`/3/footprints/${String(boxesPf.id)}`).expect(200)).body as { data: Json };
    expect(got.data).toEqual(boxesPf);
    // a client of another data owner sees none of the moulder's footprints
    const owner = await registerParticipant(api.server, api.adminKey, ["supplier"]);
    const other = (
      await request(api.server)
        .post("/pact/clients")
        .set("authorization", `Bearer ${owner.token}`)
        .send({ name: "x" })
        .expect(201)
    ).body as typeof client;
    const otherToken = (
      (
        await request(api.server)
          .post("/auth/token")
          .set("authorization", basic(other.clientId, other.clientSecret))
          .type("form")
          .send({ grant_type: "client_credentials" })
          .expect(200)
      ).body as { access_token: string }
    ).access_token;
    const list = await request(api.server)
      .get("/3/footprints")
      .set("authorization", `Bearer ${otherToken}`)
      .expect(200);
    expect(list.body).toEqual({ data: [] });
    const denied = await request(api.server)
      .get(`/3/footprints/${String(boxesPf.id)}`)
      .set("authorization", `Bearer ${otherToken}`)
      .expect(403);
    expect(denied.body).toMatchObject({ code: "AccessDenied" });
    // revoking the client ends its token at once
    await request(api.server)
      .delete(`/pact/clients/${other.id}`)
      .set("authorization", `Bearer ${owner.token}`)
      .expect(204);
    await request(api.server).get("/3/footprints").set("authorization", `Bearer ${otherToken}`).expect(401);
  });
});

describe("PACT Action Events", () => {
  const event = (id: string, type: string, data: Json, source = recipient.url): Json => ({
    specversion: "1.0",
    id,
    source,
    time: "2025-05-19T10:30:00Z",
    type: `org.wbcsd.pact.ProductFootprint.${type}`,
    data,
  });
  const post = (body: unknown, bearer = token) =>
    request(api.server)
      .post("/3/events")
      .set("authorization", `Bearer ${bearer}`)
      .set("content-type", "application/cloudevents+json; charset=UTF-8")
      .send(JSON.stringify(body));

  it("answers a PF request asynchronously at the client's host with the matching footprints", async () => {
    const accepted = await post(event("req-1", "RequestCreatedEvent.3", { productId: [`urn:gtin:${GTIN.boxes}`] }));
    expect([accepted.status, accepted.text]).toEqual([200, ""]);
    const answer = await waitFor("the answer at the recipient", () =>
      Promise.resolve(recipient.received.find((e) => (e.data as Json).requestEventId === "req-1")),
    );
    expect(answer.type).toBe("org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3");
    const pfs = (answer.data as { pfs: Json[] }).pfs;
    expect(pfs.map((pf) => pf.id)).toContain(boxesPf.id);
    for (const pf of pfs) expect(validateFootprint(pf)).toEqual([]);
    if (HAS_PACT_V3) expect(pactV3Validator("RequestFulfilledEvent")(answer)).toEqual([]);
  }, 20_000);

  it("answers a request nothing matches with a Rejected event, retrying until the host takes it", async () => {
    recipient.failNext(1, 503);
    await post(event("req-2", "RequestCreatedEvent.3", { productId: ["urn:pact:null"] })).expect(200);
    const answer = await waitFor(
      "the rejection at the recipient",
      () => Promise.resolve(recipient.received.find((e) => (e.data as Json).requestEventId === "req-2")),
      30_000,
      200,
    );
    expect(answer.type).toBe("org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3");
    expect((answer.data as { error: Json }).error).toMatchObject({ code: "NotFound" });
    const log = (
      await request(api.server)
        .get(`/pact/clients/${client.id}/events`)
        .set("authorization", `Bearer ${chain.moulder.token}`)
        .expect(200)
    ).body as Array<{ id: string; answer: { status: string; attempts: number } }>;
    expect(log.find((e) => e.id === "req-2")?.answer).toMatchObject({ status: "delivered", attempts: 2 });
  }, 40_000);

  it("takes a repeated request once, and refuses a request from another source at once", async () => {
    const before = recipient.received.length;
    await post(event("req-1", "RequestCreatedEvent.3", { productId: [`urn:gtin:${GTIN.boxes}`] })).expect(200);
    const foreign = await post(
      event("req-3", "RequestCreatedEvent.3", { productId: ["x"] }, "https://elsewhere.example"),
    ).expect(400);
    expect(foreign.body).toMatchObject({ code: "BadRequest" });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(recipient.received.length).toBe(before);
  });

  it("accepts notifications and answers, and refuses malformed events and bad tokens", async () => {
    await post(event("pub-1", "PublishedEvent.3", { pfIds: ["3a6c14a7-4deb-498a-b5ea-16ce2535b576"] })).expect(200);
    const notUuid = await post(event("pub-2", "PublishedEvent.3", { pfIds: ["urn:gtin:4712345060507"] })).expect(400);
    expect(notUuid.body).toMatchObject({ code: "BadRequest" });
    await post({ type: "something" }).expect(400);
    await post(
      event("pub-3", "PublishedEvent.3", { pfIds: ["3a6c14a7-4deb-498a-b5ea-16ce2535b576"] }),
      "invalid",
    ).expect(401);
  });
});

describe("PACT paging while footprints are published", () => {
  it("never shows a footprint twice nor skips one when another is published between two pages", async () => {
    const page = async (path: string) => {
      const response = await pact(path).expect(200);
      const link = /^<([^>]+)>; rel="next"$/.exec(String(response.headers.link))?.[1];
      return { ids: (response.body as { data: Json[] }).data.map((pf) => String(pf.id)), next: link };
    };
    const before = (await page("/3/footprints?limit=100")).ids;
    const first = await page("/3/footprints?limit=1");
    // Published meanwhile: newest, so first in the list; the old version stays, deprecated.
    await publish(GTIN.pellets, chain.lots.regrind, { productNameCompany: "rPET regrind v2" }).expect(201);
    const seen = [...first.ids];
    for (let next = first.next; next !== undefined;) {
      const url = new URL(next);
      const more = await page(`${url.pathname}${url.search}`);
      seen.push(...more.ids);
      next = more.next;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(before);
  });
});
