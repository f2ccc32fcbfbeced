import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Wallet } from "ethers";
import request from "supertest";
import { eventHashesOfDocument } from "#epcis";
import { cidOf } from "#proof";
import { ROLES } from "#ledger";
import { recoverEventSigner, signDocument, type SigningDomain } from "#proof";
import { startTestApp, type TestApp } from "../support/app.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import {
  commissioning,
  epcisDocument,
  GTIN,
  lotClass,
  newLot,
  observation,
  quantity,
  transformation,
  type Json,
} from "../support/epcis.js";
import {
  capture,
  handOver,
  registerParticipant,
  shippedTo,
  signingDomainOf,
  type TestParticipant,
} from "../support/participants.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { tempDir } from "../support/temp.js";
import { waitFor } from "../support/waits.js";

const PROBLEM = /^application\/problem\+json/;

let postgres: TestPostgres;
let api: TestApp;
let dataDir: Awaited<ReturnType<typeof tempDir>>;
let domain: SigningDomain;
let supplier: TestParticipant;
let recycler: TestParticipant;
let moulder: TestParticipant;
let custodialWarehouse: TestParticipant;

beforeAll(async () => {
  postgres = await startTestPostgres();
  dataDir = await tempDir("capture");
  api = await startTestApp({
    DATA_DIR: dataDir.path,
    DATABASE_URL: await postgres.createDatabase(),
    CAPTURE_MAX_BYTES: String(256 * 1024),
    CAPTURE_MAX_EVENTS: "50",
    EVIDENCE_MAX_BYTES: String(512 * 1024),
    EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
  });
  domain = await signingDomainOf(api.server);
  [supplier, recycler, moulder, custodialWarehouse] = await Promise.all([
    registerParticipant(api.server, api.adminKey, ["supplier"]),
    registerParticipant(api.server, api.adminKey, ["recycler"]),
    registerParticipant(api.server, api.adminKey, ["moulder"]),
    registerParticipant(api.server, api.adminKey, ["warehouse"], "custodial"),
  ]);
}, 180_000);

afterAll(async () => {
  await api.stop();
  await postgres.stop();
  await dataDir.remove();
});

async function count(table: string): Promise<number> {
  const [row] = await api.runtime.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM "${table}"`);
  return row?.n ?? 0;
}

/** Counts of everything a capture writes, to prove a rejected capture wrote nothing. */
async function snapshot(): Promise<Record<string, number>> {
  const tables = [
    "capture_job",
    "epcis_event",
    "event_reference",
    "lot",
    "lot_movement",
    "event_evidence",
    "lot_holding",
    "custody_movement",
    "error_declaration",
  ];
  // The anchoring worker moves outbox rows into batch leaves (in one transaction) while a test runs: their sum,
  // read in one statement, counts every event ever queued for anchoring, whatever the worker did meanwhile.
  const [queued] = await api.runtime.dataSource.query<Array<{ n: number }>>(
    `SELECT ((SELECT count(*) FROM "anchor_outbox") + (SELECT count(*) FROM "batch_leaf"))::int AS n`,
  );
  return {
    ...Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)] as const))),
    "anchor_outbox+batch_leaf": queued?.n ?? 0,
  };
}

async function expectRejected(
  send: () => Promise<request.Response>,
  status: number,
  code: string,
): Promise<request.Response> {
  const before = await snapshot();
  const response = await send();
  expect(response.headers["content-type"]).toMatch(PROBLEM);
  expect({ status: response.status, code: (response.body as { code: string }).code }).toEqual({ status, code });
  expect(await snapshot()).toEqual(before);
  return response;
}

/** Bales lot of `kg` made by the supplier and handed over to `receiver` (the recycler; null: kept); returns its number. */
async function balesLot(kg: number, receiver: TestParticipant | null = recycler): Promise<string> {
  const lot = newLot("B");
  const response = await capture(
    api.server,
    supplier,
    epcisDocument([commissioning([quantity(GTIN.bales, lot, kg, "KGM")], { "ct:process": "baling" })]),
    domain,
  );
  expect(response.status).toBe(202);
  if (receiver !== null) await handOver(api.server, domain, supplier, receiver, [quantity(GTIN.bales, lot, kg, "KGM")]);
  return lot;
}

describe("participants", () => {
  it("registers a self-custody participant and grants its role on the ledger", async () => {
    const wallet = Wallet.createRandom();
    const response = await request(api.server)
      .post("/participants")
      .set("authorization", `Bearer ${api.adminKey}`)
      .send({
        organisation: "Huadong Moulding",
        identifier: { scheme: "gln", value: "6901234000009" },
        displayName: { zh: "华东注塑", en: "Huadong Moulding" },
        roles: ["moulder"],
        custody: "self",
        address: wallet.address.toLowerCase(),
      })
      .expect(201);
    const body = response.body as { id: string; address: string; roles: unknown[]; apiKey: { token: string } };
    expect(body.address).toBe(wallet.address);
    expect(body.roles).toEqual([
      { role: "moulder", chainStatus: "granted", txHash: expect.stringMatching(/^0x/), error: null, revokedAt: null },
    ]);
    expect(await api.runtime.ledger.traceLedger.hasRole(ROLES.moulder, wallet.address)).toBe(true);
    const me = await request(api.server)
      .get("/participants/me")
      .set("authorization", `Bearer ${body.apiKey.token}`)
      .expect(200);
    expect((me.body as { id: string }).id).toBe(body.id);
  });

  it("gives a custodial participant a key it never sees", async () => {
    const response = await request(api.server)
      .get(`/participants/${custodialWarehouse.id}`)
      .set("authorization", `Bearer ${api.adminKey}`)
      .expect(200);
    const body = response.body as { custody: string; roles: Array<{ txHash?: string }> };
    expect(body.custody).toBe("custodial");
    const withoutTxHashes = JSON.stringify({ ...body, roles: body.roles.map((r) => ({ ...r, txHash: undefined })) });
    expect(withoutTxHashes).not.toMatch(/[0-9a-f]{64}/i);
    expect(withoutTxHashes).not.toMatch(/encrypted|privateKey|sealed|secret/i);
    expect(Object.keys(body).sort()).toEqual([
      "address",
      "companyPrefixes",
      "country",
      "createdAt",
      "custody",
      "displayName",
      "id",
      "identifier",
      "keyStatus",
      "locations",
      "organisation",
      "roles",
    ]);
  });

  it("rejects bad registrations with clear codes", async () => {
    const post = (body: Json) =>
      request(api.server).post("/participants").set("authorization", `Bearer ${api.adminKey}`).send(body);
    const valid = {
      organisation: "X",
      identifier: { scheme: "gln", value: "6901234000016" },
      displayName: { zh: "甲", en: "X" },
      roles: ["supplier"],
      custody: "custodial",
    };
    expect((await post({ ...valid, identifier: { scheme: "gln", value: "6901234000017" } })).body).toMatchObject({
      status: 400,
      code: "PARTICIPANT.IDENTIFIER_INVALID",
    });
    expect((await post({ ...valid, custody: "self" })).body).toMatchObject({ code: "PARTICIPANT.ADDRESS_REQUIRED" });
    expect((await post({ ...valid, address: Wallet.createRandom().address })).body).toMatchObject({
      code: "PARTICIPANT.ADDRESS_NOT_ALLOWED",
    });
    expect((await post({ ...valid, roles: ["pirate"] })).body).toMatchObject({
      status: 400,
      code: "REQUEST.VALIDATION_FAILED",
    });
    expect((await post({ ...valid, surprise: 1 })).body).toMatchObject({ code: "REQUEST.VALIDATION_FAILED" });
    await post(valid).expect(201);
    expect((await post(valid)).body).toMatchObject({ status: 409, code: "PARTICIPANT.ALREADY_EXISTS" });
  });

  it("lets only the administrator register, and only with a valid key", async () => {
    const body = { organisation: "Y" };
    expect((await request(api.server).post("/participants").send(body)).body).toMatchObject({
      status: 401,
      code: "AUTH.UNAUTHENTICATED",
    });
    expect(
      (
        await request(api.server)
          .post("/participants")
          .set("authorization", "Bearer ctk_0000000000000000_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
          .send(body)
      ).body,
    ).toMatchObject({ status: 401, code: "AUTH.INVALID_CREDENTIALS" });
    expect(
      (await request(api.server).post("/participants").set("authorization", `Bearer ${supplier.token}`).send(body))
        .body,
    ).toMatchObject({
      status: 403,
      code: "AUTH.FORBIDDEN",
    });
  });

  it("issues and revokes API keys", async () => {
    const issued = await request(api.server)
      .post(`/participants/${supplier.id}/api-keys`)
      .set("authorization", `Bearer ${api.adminKey}`)
      .send({ label: "second PC" })
      .expect(201);
    const { id, token } = issued.body as { id: string; token: string };
    await request(api.server).get("/participants/me").set("authorization", `Bearer ${token}`).expect(200);
    await request(api.server)
      .delete(`/participants/${supplier.id}/api-keys/${id}`)
      .set("authorization", `Bearer ${api.adminKey}`)
      .expect(204);
    expect(
      (await request(api.server).get("/participants/me").set("authorization", `Bearer ${token}`)).body,
    ).toMatchObject({
      code: "AUTH.INVALID_CREDENTIALS",
    });
  });
});

describe("capture", () => {
  it("stores signed events under their CBV event hash and serves them back", async () => {
    const lot = newLot("B");
    const document = epcisDocument([
      commissioning([quantity(GTIN.bales, lot, 1200, "KGM")], { "ct:process": "baling" }),
    ]);
    const [hash] = eventHashesOfDocument(document);
    const response = await capture(api.server, supplier, document, domain);
    expect(response.status).toBe(202);
    expect(response.headers.location).toBe(`/capture/${(response.body as { captureID: string }).captureID}`);
    expect(response.body).toMatchObject({
      success: true,
      running: false,
      eventCount: 1,
      createdCount: 1,
      events: [{ eventHash: hash, eventID: hash, outcome: "created" }],
    });

    const served = await request(api.server)
      .get(`/events/${encodeURIComponent(hash ?? "")}`)
      .set("authorization", `Bearer ${supplier.token}`)
      .expect(200);
    expect(served.headers["carbontrace-event-hash"]).toBe(hash);
    expect(served.headers["carbontrace-signer"]).toBe(supplier.address);
    expect(served.headers["carbontrace-custodial"]).toBe("false");
    const event = served.body as Json;
    expect(eventHashesOfDocument(epcisDocument([event]))).toEqual([hash]);
    expect(event.recordTime).toEqual(expect.any(String));

    const job = await request(api.server)
      .get(`/capture/${(response.body as { captureID: string }).captureID}`)
      .set("authorization", `Bearer ${supplier.token}`)
      .expect(200);
    expect(job.body).toMatchObject({ success: true, events: [{ eventHash: hash }] });
  });

  it("is idempotent: the same event again creates nothing and says it exists", async () => {
    const document = epcisDocument([commissioning([quantity(GTIN.bales, newLot("B"), 10, "KGM")])]);
    await capture(api.server, supplier, document, domain).then((r) => expect(r.status).toBe(202));
    const before = await snapshot();
    const again = await capture(api.server, supplier, document, domain);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ createdCount: 0, events: [{ outcome: "exists" }] });
    const after = await snapshot();
    expect(after.epcis_event).toBe(before.epcis_event);
    expect(after.lot_movement).toBe(before.lot_movement);
  });

  it("stores an event once, queued for anchoring once, when a retry races the original document", async () => {
    const document = epcisDocument([commissioning([quantity(GTIN.bales, newLot("B"), 10, "KGM")])]);
    const before = await snapshot();
    const answers = await Promise.all([1, 2, 3].map(() => capture(api.server, supplier, document, domain)));
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    const created = answers.map((answer) => (answer.body as { createdCount: number }).createdCount);
    expect(created.sort()).toEqual([0, 0, 1]);
    const after = await snapshot();
    expect((after.epcis_event ?? 0) - (before.epcis_event ?? 0)).toBe(1);
    expect((after["anchor_outbox+batch_leaf"] ?? 0) - (before["anchor_outbox+batch_leaf"] ?? 0)).toBe(1);
  });

  it("answers EPCIS queries with a query document and provenance", async () => {
    const lot = await balesLot(500);
    const response = await request(api.server)
      .get("/events")
      .query({
        EQ_bizStep: "commissioning",
        MATCH_anyEPCClass: `urn:epc:class:lgtin:6901234.000001.${lot}`,
        perPage: "10",
      })
      .set("authorization", `Bearer ${recycler.token}`)
      .expect(200);
    const body = response.body as {
      type: string;
      epcisBody: { queryResults: { resultsBody: { eventList: Json[] } } };
      "ct:provenance": Json[];
    };
    expect(body.type).toBe("EPCISQueryDocument");
    expect(body.epcisBody.queryResults.resultsBody.eventList).toHaveLength(1);
    expect(body["ct:provenance"]).toEqual([
      expect.objectContaining({ "ct:signer": supplier.address, "ct:custodial": false }),
    ]);
  });

  it("pages through results with the Link header", async () => {
    for (let i = 0; i < 3; i++) await balesLot(1 + i);
    const seen: string[] = [];
    let path: string | undefined = "/events?eventType=ObjectEvent&EQ_bizStep=commissioning&perPage=2";
    while (path !== undefined) {
      const page = await request(api.server).get(path).set("authorization", `Bearer ${supplier.token}`).expect(200);
      const list = (page.body as { "ct:provenance": Array<{ "ct:eventHash": string }> })["ct:provenance"];
      seen.push(...list.map((p) => p["ct:eventHash"]));
      const link: unknown = page.headers.link;
      path = typeof link === "string" ? /<([^>]+)>; rel="next"/.exec(link)?.[1] : undefined;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(4);
  });

  it("signs for a custodial participant and marks its events custodial everywhere", async () => {
    const lot = await balesLot(300, null);
    const shipped = epcisDocument([
      observation("shipping", [quantity(GTIN.bales, lot, 300, "KGM")], shippedTo(custodialWarehouse)),
    ]);
    expect((await capture(api.server, supplier, shipped, domain)).status).toBe(202);
    const document = epcisDocument([
      observation("receiving", [quantity(GTIN.bales, lot, 300, "KGM")], {}, "2026-10-02T18:00:00.000+08:00"),
    ]);
    const [hash = ""] = eventHashesOfDocument(document);
    const response = await capture(api.server, custodialWarehouse, document, domain);
    expect(response.status).toBe(202);
    const served = await request(api.server)
      .get(`/events/${encodeURIComponent(hash)}`)
      .set("authorization", `Bearer ${recycler.token}`)
      .expect(200);
    expect(served.headers["carbontrace-custodial"]).toBe("true");
    expect(served.headers["carbontrace-signer"]).toBe(custodialWarehouse.address);
    const [row] = await api.runtime.dataSource.query<Array<{ signature: string; custodial: boolean }>>(
      `SELECT signature, custodial FROM epcis_event WHERE event_hash = $1`,
      [hash],
    );
    expect(row?.custodial).toBe(true);
    expect(recoverEventSigner(domain, hash, row?.signature ?? "")).toBe(custodialWarehouse.address);
    const listed = await request(api.server)
      .get("/events")
      .query({ EQ_bizStep: "receiving" })
      .set("authorization", `Bearer ${recycler.token}`);
    const provenance = (listed.body as { "ct:provenance": Array<Record<string, unknown>> })["ct:provenance"];
    expect(provenance.find((p) => p["ct:eventHash"] === hash)).toMatchObject({ "ct:custodial": true });
  });

  it("links evidence uploaded to IPFS, and refuses evidence it cannot resolve", async () => {
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2000)]);
    const upload = await request(api.server)
      .post("/evidence")
      .set("authorization", `Bearer ${supplier.token}`)
      .attach("file", photo, { filename: "weighbridge.jpg", contentType: "image/jpeg" })
      .expect(201);
    const cid = (upload.body as { cid: string }).cid;
    expect(cid).toBe(await cidOf(photo));
    const withEvidence = epcisDocument([
      commissioning([quantity(GTIN.bales, newLot("B"), 20, "KGM")], {
        "ct:evidence": [{ "ct:cid": cid, "ct:kind": "weighbridge-ticket" }],
      }),
    ]);
    expect((await capture(api.server, supplier, withEvidence, domain)).status).toBe(202);
    const [link] = await api.runtime.dataSource.query<Array<{ kind: string }>>(
      `SELECT kind FROM event_evidence WHERE cid = $1`,
      [cid],
    );
    expect(link?.kind).toBe("weighbridge-ticket");

    const unknown = await cidOf(randomBytes(100));
    const withUnknown = epcisDocument([
      commissioning([quantity(GTIN.bales, newLot("B"), 20, "KGM")], { "ct:evidence": [{ "ct:cid": unknown }] }),
    ]);
    const rejected = await expectRejected(
      () => capture(api.server, supplier, withUnknown, domain),
      400,
      "CAPTURE.EVIDENCE_UNKNOWN",
    );
    expect(rejected.body).toMatchObject({ cid: unknown, eventIndex: 0 });
  });
});

describe("capture rejects bad input with a problem and stores nothing", () => {
  const post = (token: string | undefined, body: string, type = "application/ld+json") => {
    const req = request(api.server).post("/capture").set("content-type", type);
    return (token === undefined ? req : req.set("authorization", `Bearer ${token}`)).send(body);
  };

  it("malformed JSON", async () => {
    await expectRejected(() => post(supplier.token, '{"type": "EPCISDocument", '), 400, "REQUEST.MALFORMED_JSON");
  });

  it("a document the GS1 schema rejects", async () => {
    const document = epcisDocument([commissioning([quantity(GTIN.bales, newLot(), 1, "KGM")])]);
    const events = (document.epcisBody as { eventList: Json[] }).eventList;
    delete events[0]?.eventTime;
    const response = await expectRejected(
      async () => capture(api.server, supplier, document, domain),
      400,
      "CAPTURE.SCHEMA_INVALID",
    );
    expect(JSON.stringify(response.body)).toContain("eventTime");
  });

  it("an invalid CarbonTrace extension", async () => {
    const document = epcisDocument([
      commissioning([quantity(GTIN.bales, newLot(), 1, "KGM")], {
        "ct:activity": { "ct:electricity": [{ "ct:kWh": -5, "ct:gridRegion": "CN" }] },
      }),
    ]);
    await expectRejected(() => capture(api.server, supplier, document, domain), 400, "CAPTURE.EXTENSION_INVALID");
  });

  it("a missing signature", async () => {
    const document = epcisDocument([commissioning([quantity(GTIN.bales, newLot(), 1, "KGM")])]);
    await expectRejected(() => post(supplier.token, JSON.stringify(document)), 400, "CAPTURE.SIGNATURE_MISSING");
  });

  it("a signature by someone else's key", async () => {
    const document = epcisDocument([commissioning([quantity(GTIN.bales, newLot(), 1, "KGM")])]);
    const signed = await signDocument(document, Wallet.createRandom(), domain);
    await expectRejected(() => post(supplier.token, JSON.stringify(signed)), 403, "CAPTURE.SIGNATURE_INVALID");
  });

  it("a signature for another ledger", async () => {
    const document = epcisDocument([commissioning([quantity(GTIN.bales, newLot(), 1, "KGM")])]);
    const signed = await signDocument(document, supplier.wallet as Wallet, { ...domain, chainId: "1" });
    await expectRejected(() => post(supplier.token, JSON.stringify(signed)), 403, "CAPTURE.SIGNATURE_INVALID");
  });

  it("an event changed after signing (its hash has no signature)", async () => {
    const document = epcisDocument([commissioning([quantity(GTIN.bales, newLot(), 1, "KGM")])]);
    const signed = await signDocument(document, supplier.wallet as Wallet, domain);
    const signedHashes = eventHashesOfDocument(document);
    const events = (signed.epcisBody as { eventList: Array<{ quantityList: Json[] }> }).eventList;
    (events[0]?.quantityList[0] as Json).quantity = 1000;
    const refused = await expectRejected(
      () => post(supplier.token, JSON.stringify(signed)),
      400,
      "CAPTURE.SIGNATURE_MISSING",
    );
    // The hash it was signed under is named, so the partner can see the event is not the one signed.
    expect(refused.body).toMatchObject({ unmatchedSignatures: signedHashes });
  });

  it("a malformed signature", async () => {
    const document = epcisDocument([commissioning([quantity(GTIN.bales, newLot(), 1, "KGM")])]);
    const [hash] = eventHashesOfDocument(document);
    const signed = { ...document, "ct:signatures": [{ "ct:eventHash": hash, "ct:signature": "0x1234" }] };
    await expectRejected(() => post(supplier.token, JSON.stringify(signed)), 400, "PROOF.SIGNATURE_MALFORMED");
  });

  it("no API key, or an unknown participant", async () => {
    const document = JSON.stringify(epcisDocument([commissioning([quantity(GTIN.bales, newLot(), 1, "KGM")])]));
    await expectRejected(() => post(undefined, document), 401, "AUTH.UNAUTHENTICATED");
    await expectRejected(
      () => post("ctk_0123456789abcdef_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", document),
      401,
      "AUTH.INVALID_CREDENTIALS",
    );
    await expectRejected(() => post(api.adminKey, document), 403, "AUTH.FORBIDDEN");
  });

  it("a role that may not record the event: a moulder posting a recycling transformation", async () => {
    const lot = await balesLot(100);
    const document = epcisDocument([
      transformation([quantity(GTIN.bales, lot, 100, "KGM")], [quantity(GTIN.pellets, newLot("P"), 90, "KGM")], {
        "ct:process": "recycling",
      }),
    ]);
    const response = await expectRejected(
      () => capture(api.server, moulder, document, domain),
      403,
      "CAPTURE.ROLE_NOT_ALLOWED",
    );
    expect(response.body).toMatchObject({ allowed: ["recycler"], held: ["moulder"] });
    expect((await capture(api.server, recycler, document, domain)).status).toBe(202);
  });

  it("a warehouse transforming anything", async () => {
    const document = epcisDocument([
      transformation([quantity(GTIN.pellets, newLot(), 1, "KGM")], [quantity(GTIN.boxes, newLot(), 1, "KGM")]),
    ]);
    await expectRejected(
      () => capture(api.server, custodialWarehouse, document, domain),
      403,
      "CAPTURE.ROLE_NOT_ALLOWED",
    );
  });

  it("an oversized body", async () => {
    const huge = JSON.stringify({ ...epcisDocument([]), padding: "x".repeat(300 * 1024) });
    const response = await expectRejected(() => post(supplier.token, huge), 413, "REQUEST.TOO_LARGE");
    expect(response.body).toMatchObject({ limit: 256 * 1024 });
  });

  it("too many events", async () => {
    const events = Array.from({ length: 51 }, () => commissioning([quantity(GTIN.bales, newLot(), 1, "KGM")]));
    await expectRejected(
      () => capture(api.server, supplier, epcisDocument(events), domain),
      413,
      "CAPTURE.TOO_MANY_EVENTS",
    );
  });

  it("something that is not JSON", async () => {
    await expectRejected(
      () => post(supplier.token, "eventTime=now", "text/plain"),
      415,
      "REQUEST.UNSUPPORTED_MEDIA_TYPE",
    );
  });

  it("a capture error behaviour other than rollback", async () => {
    const document = await signDocument(
      epcisDocument([commissioning([quantity(GTIN.bales, newLot(), 1, "KGM")])]),
      supplier.wallet as Wallet,
      domain,
    );
    await expectRejected(
      () =>
        request(api.server)
          .post("/capture")
          .set("authorization", `Bearer ${supplier.token}`)
          .set("content-type", "application/json")
          .set("GS1-Capture-Error-Behaviour", "proceed")
          .send(JSON.stringify(document)),
      400,
      "CAPTURE.ERROR_BEHAVIOUR_UNSUPPORTED",
    );
  });

  it("a document with one bad event: none of its events is stored", async () => {
    const lot = await balesLot(100);
    const document = epcisDocument([
      commissioning([quantity(GTIN.pellets, newLot("P"), 5, "KGM")]),
      transformation([quantity(GTIN.bales, lot, 150, "KGM")], [quantity(GTIN.pellets, newLot("P"), 100, "KGM")], {
        "ct:process": "recycling",
      }),
    ]);
    const response = await expectRejected(
      () => capture(api.server, recycler, document, domain),
      409,
      "MASS_BALANCE.INSUFFICIENT_QUANTITY",
    );
    expect(response.body).toMatchObject({ eventIndex: 1 });
  });
});

describe("mass balance", () => {
  async function lotRow(
    gtin: string,
    lot: string,
  ): Promise<{ produced: string; consumed: string; external: boolean; unit: string } | undefined> {
    const [row] = await api.runtime.dataSource.query<
      Array<{ produced: string; consumed: string; external: boolean; unit: string }>
    >(`SELECT produced::text, consumed::text, external, unit FROM lot WHERE id = $1`, [lotClass(gtin, lot)]);
    return row;
  }

  it("lets transformations consume what was produced, and no more", async () => {
    const bales = await balesLot(1000);
    const pellets = newLot("P");
    const first = epcisDocument([
      transformation([quantity(GTIN.bales, bales, 600, "KGM")], [quantity(GTIN.pellets, pellets, 540, "KGM")], {
        "ct:process": "recycling",
      }),
    ]);
    expect((await capture(api.server, recycler, first, domain)).status).toBe(202);
    expect(await lotRow(GTIN.bales, bales)).toMatchObject({ produced: "1000", consumed: "600", external: false });
    expect(await lotRow(GTIN.pellets, pellets)).toMatchObject({ produced: "540", consumed: "0", external: false });

    const tooMuch = epcisDocument([
      transformation([quantity(GTIN.bales, bales, 0.5, "TNE")], [quantity(GTIN.pellets, newLot("P"), 400, "KGM")], {
        "ct:process": "recycling",
      }),
    ]);
    const response = await expectRejected(
      () => capture(api.server, recycler, tooMuch, domain),
      409,
      "MASS_BALANCE.INSUFFICIENT_QUANTITY",
    );
    expect(response.body).toMatchObject({
      lot: lotClass(GTIN.bales, bales),
      requested: "500",
      produced: "1000",
      consumed: "600",
    });
  });

  it("refuses a yield above 100 %, counting declared materials as inputs", async () => {
    const bales = await balesLot(100);
    const over = epcisDocument([
      transformation([quantity(GTIN.bales, bales, 100, "KGM")], [quantity(GTIN.pellets, newLot("P"), 101, "KGM")], {
        "ct:process": "recycling",
      }),
    ]);
    await expectRejected(() => capture(api.server, recycler, over, domain), 409, "MASS_BALANCE.YIELD_EXCEEDED");
    const withMaterials = epcisDocument([
      transformation([quantity(GTIN.bales, bales, 100, "KGM")], [quantity(GTIN.pellets, newLot("P"), 101, "KGM")], {
        "ct:process": "recycling",
        "ct:activity": { "ct:materials": [{ "ct:material": "PET", "ct:origin": "virgin", "ct:massKg": 5 }] },
      }),
    ]);
    expect((await capture(api.server, recycler, withMaterials, domain)).status).toBe(202);
  });

  it("weighs counted outputs by their declared unit mass", async () => {
    const pellets = newLot("P");
    await capture(
      api.server,
      recycler,
      epcisDocument([commissioning([quantity(GTIN.pellets, pellets, 100, "KGM")])]),
      domain,
    );
    await handOver(api.server, domain, recycler, moulder, [quantity(GTIN.pellets, pellets, 100, "KGM")]);
    const boxes = (n: number) =>
      epcisDocument([
        transformation([quantity(GTIN.pellets, pellets, 10, "KGM")], [quantity(GTIN.boxes, newLot("X"), n)], {
          "ct:process": "moulding",
          "ct:unitMasses": [{ "ct:epcClass": `https://id.gs1.org/01/${GTIN.boxes}`, "ct:kgPerUnit": 0.5 }],
        }),
      ]);
    await expectRejected(() => capture(api.server, moulder, boxes(21), domain), 409, "MASS_BALANCE.YIELD_EXCEEDED");
    expect((await capture(api.server, moulder, boxes(20), domain)).status).toBe(202);
  });

  it("accepts an input lot it has never seen as external, and binds it from then on", async () => {
    const foreign = newLot("EXT");
    const document = epcisDocument([
      transformation([quantity(GTIN.bales, foreign, 200, "KGM")], [quantity(GTIN.pellets, newLot("P"), 180, "KGM")], {
        "ct:process": "recycling",
      }),
    ]);
    expect((await capture(api.server, recycler, document, domain)).status).toBe(202);
    expect(await lotRow(GTIN.bales, foreign)).toMatchObject({ produced: "200", consumed: "200", external: true });
    const again = epcisDocument([
      transformation([quantity(GTIN.bales, foreign, 1, "KGM")], [quantity(GTIN.pellets, newLot("P"), 1, "KGM")], {
        "ct:process": "recycling",
      }),
    ]);
    await expectRejected(() => capture(api.server, recycler, again, domain), 409, "MASS_BALANCE.INSUFFICIENT_QUANTITY");
  });

  it("takes a signed declaration that an input came from outside the chain, but not for a lot made here", async () => {
    const foreign = newLot("EXT");
    const declared = epcisDocument([
      transformation([quantity(GTIN.bales, foreign, 50, "KGM")], [quantity(GTIN.pellets, newLot("P"), 40, "KGM")], {
        "ct:process": "recycling",
        "ct:externalLots": [lotClass(GTIN.bales, foreign)],
      }),
    ]);
    expect((await capture(api.server, recycler, declared, domain)).status).toBe(202);
    const bales = await balesLot(100);
    const lie = epcisDocument([
      transformation([quantity(GTIN.bales, bales, 100, "KGM")], [quantity(GTIN.pellets, newLot("P"), 90, "KGM")], {
        "ct:process": "recycling",
        "ct:externalLots": [`urn:epc:class:lgtin:6901234.000001.${bales}`],
      }),
    ]);
    await expectRejected(() => capture(api.server, recycler, lie, domain), 409, "CAPTURE.EXTERNAL_LOT_KNOWN");
  });

  it("refuses a lot stated in another unit than it is tracked in", async () => {
    const bales = await balesLot(100);
    const counted = epcisDocument([
      transformation([quantity(GTIN.bales, bales, 3)], [quantity(GTIN.pellets, newLot("P"), 1, "KGM")], {
        "ct:process": "recycling",
      }),
    ]);
    await expectRejected(() => capture(api.server, recycler, counted, domain), 409, "MASS_BALANCE.UNIT_MISMATCH");
  });

  it("lets only one of two concurrent captures take the same remaining quantity", async () => {
    for (let round = 0; round < 5; round++) {
      const bales = await balesLot(1000);
      const take = (kg: number) =>
        epcisDocument([
          transformation(
            [quantity(GTIN.bales, bales, kg, "KGM")],
            [quantity(GTIN.pellets, newLot("P"), kg - 1, "KGM")],
            { "ct:process": "recycling" },
          ),
        ]);
      const [a, b] = await Promise.all([
        capture(api.server, recycler, take(700), domain),
        capture(api.server, recycler, take(600), domain),
      ]);
      expect([a.status, b.status].sort()).toEqual([202, 409]);
      const loser = a.status === 409 ? a : b;
      expect((loser.body as { code: string }).code).toBe("MASS_BALANCE.INSUFFICIENT_QUANTITY");
      const row = await lotRow(GTIN.bales, bales);
      expect(["700", "600"]).toContain(row?.consumed);
    }
  });

  /**
   * A capture by `capturer` of 50 kg more of a new bales lot while a concurrent transaction, standing for another
   * capture, has created that lot (100 kg made by the supplier, in its holding) and not committed; once the capture
   * waits on it, that transaction commits or rolls back.
   */
  async function captureRacingNewLot(
    capturer: TestParticipant,
    outcome: "commit" | "rollback",
  ): Promise<{ lot: string; id: string; response: request.Response }> {
    const lot = newLot("B");
    const id = lotClass(GTIN.bales, lot);
    const concurrent = api.runtime.dataSource.createQueryRunner();
    await concurrent.connect();
    await concurrent.startTransaction();
    await concurrent.query(
      `INSERT INTO "lot" ("id", "gtin", "lot_number", "unit", "produced", "consumed", "external", "originator_id")
       VALUES ($1, $2, $3, 'KGM', 100, 0, false, $4)`,
      [id, GTIN.bales, lot, supplier.id],
    );
    await concurrent.query(
      `INSERT INTO "lot_holding" ("lot_id", "participant_id", "held", "in_transit") VALUES ($1, $2, 100, 0)`,
      [id, supplier.id],
    );
    const pending = capture(
      api.server,
      capturer,
      epcisDocument([commissioning([quantity(GTIN.bales, lot, 50, "KGM")], { "ct:process": "baling" })]),
      domain,
    );
    await waitFor(
      "the capture to wait for the concurrent one",
      async () => {
        const [row] = await api.runtime.dataSource.query<Array<{ n: number }>>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return (row?.n ?? 0) > 0 ? true : undefined;
      },
      30_000,
      20,
    );
    if (outcome === "commit") await concurrent.commitTransaction();
    else await concurrent.rollbackTransaction();
    await concurrent.release();
    return { lot, id, response: await pending };
  }

  async function holdingsOf(id: string): Promise<Array<{ participant_id: string; held: string }>> {
    return api.runtime.dataSource.query<Array<{ participant_id: string; held: string }>>(
      `SELECT "participant_id", "held"::text AS held FROM "lot_holding" WHERE "lot_id" = $1`,
      [id],
    );
  }

  it("counts a new lot that a concurrent capture created while this one ran on that lot's row, not beside it", async () => {
    for (const outcome of ["commit", "rollback"] as const) {
      const { lot, id, response } = await captureRacingNewLot(supplier, outcome);
      expect(response.status).toBe(202);
      const made = outcome === "commit" ? "150" : "50";
      expect(await lotRow(GTIN.bales, lot)).toMatchObject({ produced: made, consumed: "0", unit: "KGM" });
      expect(await holdingsOf(id)).toEqual([{ participant_id: supplier.id, held: made }]);
    }
  });

  it("refuses a partner whose capture of a new lot lost the race to another partner's, on that partner's lot", async () => {
    const rival = await registerParticipant(api.server, api.adminKey, ["supplier"]);
    const { lot, id, response } = await captureRacingNewLot(rival, "commit");
    expect(response.headers["content-type"]).toMatch(PROBLEM);
    expect({ status: response.status, code: (response.body as { code: string }).code }).toEqual({
      status: 403,
      code: "LOT.NOT_ORIGINATOR",
    });
    expect(await lotRow(GTIN.bales, lot)).toMatchObject({ produced: "100", consumed: "0", unit: "KGM" });
    expect(await holdingsOf(id)).toEqual([{ participant_id: supplier.id, held: "100" }]);
  });

  it("reverses an event declared erroneous, unless its output was used since", async () => {
    const bales = await balesLot(500);
    const pellets = newLot("P");
    const wrong = transformation(
      [quantity(GTIN.bales, bales, 500, "KGM")],
      [quantity(GTIN.pellets, pellets, 450, "KGM")],
      { "ct:process": "recycling" },
    );
    expect((await capture(api.server, recycler, epcisDocument([wrong]), domain)).status).toBe(202);
    const declaration = {
      ...wrong,
      errorDeclaration: { declarationTime: "2026-10-04T08:00:00.000+08:00", reason: "incorrect_data" },
    };
    const retracted = await capture(api.server, recycler, epcisDocument([declaration]), domain);
    expect(retracted.body).toMatchObject({ events: [{ outcome: "retracted" }] });
    expect(await lotRow(GTIN.bales, bales)).toMatchObject({ consumed: "0" });
    expect(await lotRow(GTIN.pellets, pellets)).toMatchObject({ produced: "0" });
  });
});

describe("the inputs under the claim: one lot, one identity, nothing counted twice, nothing that cannot resolve", () => {
  it("treats an LGTIN with special characters and its Digital Link as one lot, everywhere", async () => {
    const lot = `${newLot("A")}(1)`;
    const urn = `urn:epc:class:lgtin:6901234.000001.${lot}`;
    const made = epcisDocument([
      commissioning([{ epcClass: urn, quantity: 100, uom: "KGM" }], { "ct:process": "baling" }),
    ]);
    expect((await capture(api.server, supplier, made, domain)).status).toBe(202);
    await handOver(api.server, domain, supplier, recycler, [quantity(GTIN.bales, lot, 100, "KGM")]);
    const used = epcisDocument([
      transformation([quantity(GTIN.bales, lot, 100, "KGM")], [quantity(GTIN.pellets, newLot("P"), 90, "KGM")], {
        "ct:process": "recycling",
      }),
    ]);
    expect((await capture(api.server, recycler, used, domain)).status).toBe(202);
    const rows = await api.runtime.dataSource.query<Array<{ id: string; produced: string; consumed: string }>>(
      `SELECT id, produced::text, consumed::text FROM lot WHERE lot_number = $1`,
      [lot],
    );
    expect(rows).toEqual([
      {
        id: `https://id.gs1.org/01/${GTIN.bales}/10/${lot.replace("(", "%28").replace(")", "%29")}`,
        produced: "100",
        consumed: "100",
      },
    ]);
    const bundle = await request(api.server)
      .get(`/lots/${GTIN.bales}/${encodeURIComponent(lot)}/bundle`)
      .expect(200);
    expect((bundle.body as { lot: { id: string } }).lot.id).toBe(rows[0]?.id);
  });

  it("refuses a GTIN whose check digit is wrong, saying so, and stores nothing", async () => {
    const document = epcisDocument([
      commissioning([quantity("06901234000017", newLot("B"), 10, "KGM")], { "ct:process": "baling" }),
    ]);
    const response = await expectRejected(
      () => capture(api.server, supplier, document, domain),
      400,
      "DIGITAL_LINK.CHECK_DIGIT",
    );
    expect((response.body as { detail: string }).detail).toMatch(/check digit/);
    const route = await request(api.server).get(`/lots/06901234000017/X1/bundle`);
    expect([route.status, (route.body as { code: string }).code]).toEqual([400, "DIGITAL_LINK.CHECK_DIGIT"]);
  });

  it("refuses a grid region no emission factor can be chosen for, instead of a silent world average", async () => {
    const document = epcisDocument([
      commissioning([quantity(GTIN.bales, newLot("B"), 10, "KGM")], {
        "ct:process": "baling",
        "ct:activity": { "ct:electricity": [{ "ct:kWh": 5, "ct:gridRegion": "Zhejiang" }] },
      }),
    ]);
    const response = await expectRejected(
      () => capture(api.server, supplier, document, domain),
      400,
      "CAPTURE.REGION_UNKNOWN",
    );
    expect(response.body).toMatchObject({ field: "ct:activity.electricity[0].gridRegion", value: "Zhejiang" });
  });

  it("does not count a material twice when it names one of the event's input lots", async () => {
    const bales = await balesLot(100);
    const doubled = epcisDocument([
      transformation([quantity(GTIN.bales, bales, 100, "KGM")], [quantity(GTIN.pellets, newLot("P"), 190, "KGM")], {
        "ct:process": "recycling",
        "ct:activity": {
          "ct:materials": [
            {
              "ct:material": "PET",
              "ct:origin": "recycled",
              "ct:massKg": 100,
              "ct:epcClass": lotClass(GTIN.bales, bales),
            },
          ],
        },
      }),
    ]);
    await expectRejected(() => capture(api.server, recycler, doubled, domain), 409, "MASS_BALANCE.YIELD_EXCEEDED");
  });
});

describe("evidence files", () => {
  const upload = (token: string | undefined, bytes: Buffer, filename: string, contentType: string) => {
    const req = request(api.server).post("/evidence");
    return (token === undefined ? req : req.set("authorization", `Bearer ${token}`)).attach("file", bytes, {
      filename,
      contentType,
    });
  };
  const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(300)]);

  it("stores a file under its IPFS CID and serves the same bytes back", async () => {
    const stored = await upload(recycler.token, pdf, "delivery-note.pdf", "application/pdf").expect(201);
    const body = stored.body as { cid: string; mediaType: string; byteSize: number; sha256: string; url: string };
    expect(body).toMatchObject({ cid: await cidOf(pdf), mediaType: "application/pdf", byteSize: pdf.byteLength });
    const served = await request(api.server)
      .get(body.url)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => done(null, Buffer.concat(chunks)));
      });
    expect(served.status).toBe(200);
    expect(served.headers["content-type"]).toBe("application/pdf");
    expect(served.headers["x-content-type-options"]).toBe("nosniff");
    expect(Buffer.compare(served.body as Buffer, pdf)).toBe(0);
  });

  it("accepts text, CSV and JSON meter exports, sniffing an undeclared type", async () => {
    const csv = Buffer.from("time,kWh\n2026-10-01T00:00Z,1234.5\n");
    expect((await upload(recycler.token, csv, "meter.csv", "text/csv").expect(201)).body).toMatchObject({
      mediaType: "text/csv",
    });
    const json = Buffer.from(JSON.stringify({ kWh: 12 }));
    expect((await upload(recycler.token, json, "meter.json", "application/json").expect(201)).body).toMatchObject({
      mediaType: "application/json",
    });
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xdb]), randomBytes(64)]);
    expect((await upload(recycler.token, photo, "photo", "application/octet-stream").expect(201)).body).toMatchObject({
      mediaType: "image/jpeg",
    });
  });

  it("refuses a file whose content is not what it claims", async () => {
    const response = await upload(recycler.token, Buffer.from("plain text"), "fake.jpg", "image/jpeg").expect(415);
    expect(response.body).toMatchObject({
      code: "EVIDENCE.MEDIA_TYPE_MISMATCH",
      declared: "image/jpeg",
      detected: "text",
    });
    const badJson = await upload(recycler.token, Buffer.from("{not json"), "x.json", "application/json").expect(415);
    expect(badJson.body).toMatchObject({ code: "EVIDENCE.MEDIA_TYPE_MISMATCH" });
  });

  it("refuses unsupported types, empty files, missing files, oversized files and anonymous uploads", async () => {
    expect(
      (await upload(recycler.token, Buffer.from("<svg/>"), "x.svg", "image/svg+xml").expect(415)).body,
    ).toMatchObject({
      code: "EVIDENCE.UNSUPPORTED_MEDIA_TYPE",
    });
    expect((await upload(recycler.token, Buffer.alloc(0), "empty.txt", "text/plain").expect(400)).body).toMatchObject({
      code: "EVIDENCE.EMPTY",
    });
    const none = await request(api.server)
      .post("/evidence")
      .set("authorization", `Bearer ${recycler.token}`)
      .field("note", "no file")
      .expect(400);
    expect(none.body).toMatchObject({ code: "EVIDENCE.FILE_MISSING" });
    const big = Buffer.concat([Buffer.from("%PDF-"), randomBytes(600 * 1024)]);
    expect((await upload(recycler.token, big, "big.pdf", "application/pdf").expect(413)).body).toMatchObject({
      code: "REQUEST.TOO_LARGE",
    });
    expect((await upload(undefined, pdf, "x.pdf", "application/pdf").expect(401)).body).toMatchObject({
      code: "AUTH.UNAUTHENTICATED",
    });
    expect(await count("evidence_file")).toBeGreaterThan(0);
  });

  it("answers an unknown CID with 404", async () => {
    const response = await request(api.server)
      .get(`/evidence/${await cidOf(randomBytes(10))}`)
      .expect(404);
    expect(response.body).toMatchObject({ code: "EVIDENCE.NOT_FOUND" });
  });
});

describe("vocabulary", () => {
  it("publishes the extension's JSON-LD context and JSON Schema", async () => {
    const context = await request(api.server).get("/ns/epcis").expect(200);
    expect(context.headers["content-type"]).toMatch(/application\/ld\+json/);
    expect((JSON.parse(context.text) as { "@context": { ct: string } })["@context"].ct).toBe(
      "https://carbontrace.org/ns/epcis/",
    );
    const schema = await request(api.server).get("/ns/epcis/schema").expect(200);
    expect((schema.body as { properties: Record<string, unknown> }).properties).toHaveProperty("activity");
  });

  it("tells partners how to sign and what the capture interface accepts", async () => {
    const options = await request(api.server).options("/capture").expect(204);
    expect(options.headers).toMatchObject({
      "gs1-epcis-version": "2.0.0",
      "gs1-epcis-capture-limit": "50",
      "gs1-epcis-capture-file-size-limit": String(256 * 1024),
      "gs1-capture-error-behaviour": "rollback",
    });
    expect(domain).toMatchObject({ name: "CarbonTrace", version: "1", chainId: "31337" });
  });
});
