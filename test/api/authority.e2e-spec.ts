import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Wallet } from "ethers";
import request from "supertest";
import { lotMovementsOf, readExtension, toText } from "#capture";
import { eventHashOf, namespacesOf } from "#epcis";
import { ROLES, traceLedgerReader } from "#ledger";
import {
  declarationIdOf,
  signDeclaration,
  signEventHash,
  verifyBundle,
  type ProofBundle,
  type SigningDomain,
} from "#proof";
import { startTestApp, type TestApp } from "../support/app.js";
import { carbontrace } from "../support/cli.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import {
  commissioning,
  CT,
  EPCIS_CONTEXT,
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
  siteOf,
  type TestParticipant,
} from "../support/participants.js";
import { startPactRecipient, type PactRecipient } from "../support/pact-recipient.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { tempDir } from "../support/temp.js";
import { waitFor } from "../support/waits.js";

/**
 * The attacks of issue 13, each played by a participant with its own valid key and role against another's
 * records: every one is refused with its problem code and changes nothing; events that a rogue operator slips
 * into the database anyway make the lot's bundle fail `carbontrace verify`.
 */

let postgres: TestPostgres;
let dir: Awaited<ReturnType<typeof tempDir>>;
let api: TestApp;
let domain: SigningDomain;
let recipient: PactRecipient;
let supplier: TestParticipant;
let recyclerA: TestParticipant;
let recyclerB: TestParticipant;
let moulder: TestParticipant;
let warehouse: TestParticipant;
let certifier: TestParticipant;

const lots = { bales: newLot("BB"), pellets: newLot("PA"), boxes: newLot("BX"), spare: newLot("PS") };
const BOXES = lotClass(GTIN.boxes, lots.boxes);
/** The moulder is the boxes' brand owner: their GTIN's 12-digit GS1 Company Prefix. */
const BOX_PREFIX = GTIN.boxes.slice(1, 13);
const PRODUCT = { name: { en: "rPET storage box 12 L", zh: "rPET 收纳盒 12 升" } };

const hashes: Record<"recycling" | "boxesShipped", string> = { recycling: "", boxesShipped: "" };
const boxesPath = () => `/lots/${GTIN.boxes}/${lots.boxes}`;

const kWh = (value: number): Json => ({
  "ct:process": "storage",
  "ct:activity": { "ct:electricity": [{ "ct:kWh": value, "ct:gridRegion": "CN-SH", "ct:basis": "measured" }] },
});

beforeAll(async () => {
  postgres = await startTestPostgres();
  dir = await tempDir("authority");
  recipient = await startPactRecipient();
  api = await startTestApp(
    {
      DATA_DIR: join(dir.path, "data"),
      DATABASE_URL: await postgres.createDatabase(),
      EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
      ANCHOR_BATCH_WINDOW_MS: "200",
      ANCHOR_POLL_MS: "100",
      PACT_CALLBACK_ALLOW: new URL(recipient.url).origin,
      AUTH_FAILURE_LIMIT: "10",
    },
    { listen: true },
  );
  domain = await signingDomainOf(api.server);
  [supplier, recyclerA, recyclerB, moulder, warehouse, certifier] = await Promise.all([
    registerParticipant(api.server, api.adminKey, ["supplier"], "custodial"),
    registerParticipant(api.server, api.adminKey, ["recycler"], "self", { organisation: "Recycler A" }),
    registerParticipant(api.server, api.adminKey, ["recycler"], "self", { organisation: "Recycler B (competitor)" }),
    registerParticipant(api.server, api.adminKey, ["moulder"], "self", { organisation: "Moulder" }),
    registerParticipant(api.server, api.adminKey, ["warehouse"], "self", { organisation: "Warehouse" }),
    registerParticipant(api.server, api.adminKey, ["certifier"], "self", { organisation: "Certifier" }),
  ]);
  await request(api.server)
    .post(`/participants/${moulder.id}/company-prefixes`)
    .set("authorization", `Bearer ${api.adminKey}`)
    .send({ companyPrefixes: [BOX_PREFIX] })
    .expect(201);

  const post = async (who: TestParticipant, events: Json[]): Promise<string[]> => {
    const response = await capture(api.server, who, epcisDocument(events), domain);
    expect([response.status, response.body]).toEqual([202, expect.anything()]);
    return (response.body as { events: Array<{ eventHash: string }> }).events.map((e) => e.eventHash);
  };
  const postOne = async (who: TestParticipant, events: Json[]): Promise<string> => (await post(who, events))[0] ?? "";
  await post(supplier, [commissioning([quantity(GTIN.bales, lots.bales, 1000, "KGM")], { "ct:process": "baling" })]);
  await handOver(api.server, domain, supplier, recyclerA, [quantity(GTIN.bales, lots.bales, 1000, "KGM")]);
  hashes.recycling = await postOne(recyclerA, [
    transformation(
      [quantity(GTIN.bales, lots.bales, 1000, "KGM")],
      [quantity(GTIN.pellets, lots.pellets, 980, "KGM")],
      { ...siteOf(recyclerA), "ct:process": "recycling" },
    ),
  ]);
  await handOver(api.server, domain, recyclerA, moulder, [quantity(GTIN.pellets, lots.pellets, 980, "KGM")]);
  await post(moulder, [
    transformation([quantity(GTIN.pellets, lots.pellets, 960, "KGM")], [quantity(GTIN.boxes, lots.boxes, 2000)], {
      ...siteOf(moulder),
      "ct:process": "moulding",
      "ct:unitMasses": [{ "ct:epcClass": BOXES, "ct:kgPerUnit": 0.48 }],
      "ct:activity": { "ct:electricity": [{ "ct:kWh": 1150, "ct:gridRegion": "CN-SH", "ct:basis": "measured" }] },
    }),
  ]);
  hashes.boxesShipped = await postOne(moulder, [
    observation("shipping", [quantity(GTIN.boxes, lots.boxes, 2000)], {
      ...siteOf(moulder),
      ...shippedTo(warehouse),
      "ct:unitMasses": [{ "ct:epcClass": BOXES, "ct:kgPerUnit": 0.48 }],
    }),
  ]);
  await post(warehouse, [
    observation(
      "receiving",
      [quantity(GTIN.boxes, lots.boxes, 2000)],
      siteOf(warehouse),
      "2026-10-03T08:00:00.000+08:00",
    ),
  ]);
  await request(api.server)
    .put(`/products/${GTIN.boxes}`)
    .set("authorization", `Bearer ${moulder.token}`)
    .send(PRODUCT)
    .expect(200);
  await waitAnchored();
}, 180_000);

afterAll(async () => {
  await api.stop();
  await recipient.close();
  await dir.remove();
  await postgres.stop();
});

async function waitAnchored(): Promise<void> {
  await waitFor(
    "every record to be anchored",
    async () => {
      const status = (await request(api.server).get("/anchoring").set("authorization", `Bearer ${api.adminKey}`))
        .body as { events: Record<string, number> };
      const { queued = 0, built = 0, sent = 0 } = status.events;
      return queued + built + sent === 0 ? true : undefined;
    },
    60_000,
  );
}

/** Everything an attack could change: lots, holdings, the footprint, the product, counts of records. */
async function state(): Promise<Record<string, unknown>> {
  const query = <T>(sql: string, params: unknown[] = []) => api.runtime.dataSource.query<T[]>(sql, params);
  const footprint = await request(api.server).get(`${boxesPath()}/footprint`);
  return {
    lots: await query(`SELECT id, produced::text, consumed::text, originator_id FROM lot ORDER BY id`),
    holdings: await query(`SELECT lot_id, participant_id, held::text, in_transit::text FROM lot_holding ORDER BY 1, 2`),
    events: await query(`SELECT event_hash, signer, error_declaration FROM epcis_event ORDER BY seq`),
    declarations: await query(`SELECT count(*)::int AS n FROM error_declaration`),
    footprintKg: (footprint.body as { totalKg?: number }).totalKg,
    product: (await request(api.server).get(`/products/${GTIN.boxes}`)).body as unknown,
  };
}

/** Posts as `who` and expects the problem `status`/`code` with nothing changed. */
async function refused(who: TestParticipant, events: Json[], status: number, code: string): Promise<Json> {
  const before = await state();
  const response = await capture(api.server, who, epcisDocument(events), domain);
  expect({ status: response.status, code: (response.body as { code?: string }).code }).toEqual({ status, code });
  expect(response.headers["content-type"]).toMatch(/application\/problem\+json/);
  expect(await state()).toEqual(before);
  return response.body as Json;
}

/** The event stored under `hash`, without the fields the service added: what its author signed. */
async function storedEvent(hash: string): Promise<Json> {
  const [row] = await api.runtime.dataSource.query<Array<{ body: Json }>>(
    `SELECT body FROM epcis_event WHERE event_hash = $1`,
    [hash],
  );
  return row?.body ?? {};
}

describe("1. retracting someone else's event", () => {
  const declaration = { declarationTime: "2026-11-01T08:00:00.000+08:00", reason: "incorrect_data" };

  it("is refused to a competitor that signs the declaration with its own key", async () => {
    const event = { ...(await storedEvent(hashes.recycling)), errorDeclaration: declaration };
    const body = await refused(recyclerB, [event], 403, "RETRACTION.NOT_SIGNER");
    expect(body.recordedBy).toBe("Recycler A");
  });

  it("is refused to the warehouse retracting the moulder's shipment", async () => {
    const event = { ...(await storedEvent(hashes.boxesShipped)), errorDeclaration: declaration };
    await refused(warehouse, [event], 403, "RETRACTION.NOT_SIGNER");
  });

  it("cannot be done with the event's own signature replayed as the declaration's", async () => {
    const event = { ...(await storedEvent(hashes.recycling)), errorDeclaration: declaration };
    const [row] = await api.runtime.dataSource.query<Array<{ signature: string }>>(
      `SELECT signature FROM epcis_event WHERE event_hash = $1`,
      [hashes.recycling],
    );
    const document = {
      ...epcisDocument([event]),
      "ct:signatures": [{ "ct:eventHash": hashes.recycling, "ct:signature": row?.signature }],
    };
    const before = await state();
    const response = await request(api.server)
      .post("/capture")
      .set("authorization", `Bearer ${recyclerA.token}`)
      .set("content-type", "application/ld+json")
      .send(JSON.stringify(document));
    expect((response.body as { code: string }).code).toBe("CAPTURE.SIGNATURE_INVALID");
    expect(await state()).toEqual(before);
  });

  it("is the signer's own, attributed act: stored, anchored, in the bundle, on the journey, verified", async () => {
    const mistake = observation("storing", [quantity(GTIN.pellets, lots.pellets, 20, "KGM")], {
      ...siteOf(moulder),
      ...kWh(3),
    });
    await capture(api.server, moulder, epcisDocument([mistake]), domain).then((r) => expect(r.status).toBe(202));
    const retracted = await capture(
      api.server,
      moulder,
      epcisDocument([{ ...mistake, errorDeclaration: declaration }]),
      domain,
    );
    expect(retracted.body).toMatchObject({ events: [{ outcome: "retracted" }] });
    await waitAnchored();
    const bundle = (await request(api.server).get(`${boxesPath()}/bundle`).expect(200)).body as ProofBundle;
    const [stored] = bundle.declarations ?? [];
    expect(stored).toMatchObject({ signer: moulder.address, anchor: { status: "final" } });
    expect(bundle.events.find((e) => e.eventHash === stored?.eventHash)?.retracted).toBe(true);
    const report = await verifyBundle(bundle, {
      ledger: traceLedgerReader(api.runtime.ledger.chain.provider, api.runtime.ledger.addresses.TraceLedger),
    });
    expect(report.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(report.checks).toContainEqual(expect.objectContaining({ check: "declaration.signer", status: "pass" }));
    const page = await request(api.server).get(`/01/${GTIN.boxes}/10/${lots.boxes}?lang=en`).set("accept", "text/html");
    expect(page.text).toContain("Corrected on 2026-11-01 by Test partner");
  }, 90_000);
});

describe("2. writing onto a lot you never held", () => {
  it("refuses a competitor's 50,000 kWh storing event on the boxes, with or without a quantity", async () => {
    const body = await refused(
      recyclerB,
      [observation("storing", [quantity(GTIN.boxes, lots.boxes, 2000)], { ...siteOf(recyclerB), ...kWh(50_000) })],
      403,
      "LOT.NOT_HOLDER",
    );
    expect(body).toMatchObject({ lot: BOXES });
    await refused(
      recyclerB,
      [observation("storing", [{ epcClass: BOXES }], { ...siteOf(recyclerB), ...kWh(50_000) })],
      403,
      "LOT.NOT_HOLDER",
    );
  });

  it("refuses the producer once it shipped the whole lot on, and the receiver more than it holds", async () => {
    await refused(
      moulder,
      [observation("storing", [quantity(GTIN.boxes, lots.boxes, 2000)], { ...siteOf(moulder), ...kWh(10) })],
      403,
      "LOT.NOT_HOLDER",
    );
    await refused(
      warehouse,
      [observation("storing", [quantity(GTIN.boxes, lots.boxes, 50_000)], { ...siteOf(warehouse), ...kWh(10) })],
      409,
      "LOT.EXCEEDS_HOLDING",
    );
  });

  it("refuses a receipt without a shipment to the receiver, and more of a lot by anyone but its maker", async () => {
    await refused(
      recyclerB,
      [observation("receiving", [quantity(GTIN.boxes, lots.boxes, 10)], siteOf(recyclerB))],
      409,
      "LOT.NO_SHIPMENT",
    );
    await refused(
      recyclerB,
      [commissioning([quantity(GTIN.pellets, lots.pellets, 500, "KGM")], siteOf(recyclerB))],
      403,
      "LOT.NOT_ORIGINATOR",
    );
  });

  it("lets the warehouse that received the boxes record storing them", async () => {
    const response = await capture(
      api.server,
      warehouse,
      epcisDocument([
        observation("storing", [quantity(GTIN.boxes, lots.boxes, 2000)], { ...siteOf(warehouse), ...kWh(14) }),
      ]),
      domain,
    );
    expect(response.status).toBe(202);
  });
});

describe("3. one event, one author", () => {
  it("refuses A's next shipment signed by the moulder (A's lot, A's site), then takes A's own", async () => {
    await capture(
      api.server,
      recyclerA,
      epcisDocument([commissioning([quantity(GTIN.pellets, lots.spare, 100, "KGM")], siteOf(recyclerA))]),
      domain,
    ).then((r) => expect(r.status).toBe(202));
    const shipment = observation("shipping", [quantity(GTIN.pellets, lots.spare, 100, "KGM")], {
      ...siteOf(recyclerA),
      ...shippedTo(moulder),
    });
    await refused(moulder, [shipment], 403, "CAPTURE.LOCATION_NOT_OWN");
    await refused(moulder, [{ ...shipment, ...siteOf(moulder) }], 403, "LOT.NOT_HOLDER");
    const own = await capture(api.server, recyclerA, epcisDocument([shipment]), domain);
    expect(own.body).toMatchObject({ events: [{ outcome: "created" }] });
  });

  it("answers the same event signed by another participant with 409 naming who recorded it", async () => {
    const inspection = observation("inspecting", [quantity(GTIN.boxes, lots.boxes, 2000)], siteOf(warehouse));
    await capture(api.server, warehouse, epcisDocument([inspection]), domain).then((r) => expect(r.status).toBe(202));
    const again = await capture(api.server, warehouse, epcisDocument([inspection]), domain);
    expect(again.body).toMatchObject({ events: [{ outcome: "exists" }] });
    // An event that names no site: the same event by another key is another author's claim on it.
    const unlocated = observation(
      "inspecting",
      [quantity(GTIN.boxes, lots.boxes, 2000)],
      {},
      "2026-10-05T08:00:00.000+08:00",
    );
    await capture(api.server, warehouse, epcisDocument([unlocated]), domain).then((r) => expect(r.status).toBe(202));
    const taken = await refused(recyclerB, [unlocated], 409, "CAPTURE.EVENT_RECORDED_BY_OTHER");
    expect(taken.recordedBy).toBe("Warehouse");
  });
});

describe("4. naming someone else's product", () => {
  it("is refused to the warehouse and the certifier, allowed to the brand owner, and every change is kept", async () => {
    for (const who of [warehouse, certifier, recyclerB]) {
      const response = await request(api.server)
        .put(`/products/${GTIN.boxes}`)
        .set("authorization", `Bearer ${who.token}`)
        .send({ name: { en: "Cheap plastic box", zh: "廉价塑料盒" } });
      expect({ status: response.status, code: (response.body as { code: string }).code }).toEqual({
        status: 403,
        code: "PRODUCT.NOT_BRAND_OWNER",
      });
    }
    expect((await request(api.server).get(`/products/${GTIN.boxes}`)).body).toMatchObject(PRODUCT);
    await request(api.server)
      .put(`/products/${GTIN.boxes}`)
      .set("authorization", `Bearer ${moulder.token}`)
      .send({ ...PRODUCT, description: { en: "12-litre box", zh: "12 升收纳盒" } })
      .expect(200);
    await request(api.server)
      .put(`/products/${GTIN.pellets}`)
      .set("authorization", `Bearer ${moulder.token}`)
      .send({ name: { en: "Pellets", zh: "粒子" } })
      .expect(403);
    const history = (await request(api.server).get(`/products/${GTIN.boxes}/history`).expect(200)).body as Array<{
      changedBy: { organisation: string } | null;
      changedAt: string;
    }>;
    expect(history.map((h) => h.changedBy?.organisation)).toEqual(["Moulder", "Moulder"]);
    const page = await request(api.server).get(`/01/${GTIN.boxes}/10/${lots.boxes}?lang=en`).set("accept", "text/html");
    expect(page.text).toContain(PRODUCT.name.en);
    expect(page.text).not.toContain("Cheap plastic box");
  });
});

describe("5. the service's key is not the chain's administrator", () => {
  it("holds registrar, anchorer and retirer only, and cannot make itself a certifier", async () => {
    const health = (await request(api.server).get("/health").expect(200)).body as {
      chain: { roles: Record<string, boolean>; admin: string; account: string; warnings: string[] };
    };
    expect(health.chain.roles).toEqual({ registrar: true, anchorer: true, retirer: true, admin: false });
    expect(health.chain.admin).not.toBe(health.chain.account);
    expect(health.chain.warnings).toEqual([]);
    const ledger = api.runtime.ledger.traceLedger;
    await expect(ledger.grantRole(ROLES.certifier, health.chain.account)).rejects.toMatchObject({
      message: expect.stringMatching(/TraceLedgerRoleConflict|reverted/),
    });
    await expect(ledger.grantRole(ROLES.admin, health.chain.account)).rejects.toBeDefined();
    expect(await ledger.hasRole(ROLES.certifier, health.chain.account)).toBe(false);
  });

  it("revokes a participant's role on the ledger, keeping its history, and capture under it stops", async () => {
    const partner = await registerParticipant(api.server, api.adminKey, ["supplier"]);
    const revoked = await request(api.server)
      .delete(`/participants/${partner.id}/roles/supplier`)
      .set("authorization", `Bearer ${api.adminKey}`)
      .expect(200);
    expect((revoked.body as { roles: unknown[] }).roles).toEqual([
      expect.objectContaining({ role: "supplier", chainStatus: "revoked", revokedAt: expect.any(String) }),
    ]);
    expect(await api.runtime.ledger.traceLedger.hasRole(ROLES.supplier, partner.address)).toBe(false);
    const terms = await api.runtime.ledger.traceLedger.roleTermsOf(ROLES.supplier, partner.address);
    expect(terms).toHaveLength(1);
    expect(terms[0]?.revokedAt).not.toBe(0n);
    const history = (
      await request(api.server)
        .get(`/participants/${partner.id}/roles/history`)
        .set("authorization", `Bearer ${partner.token}`)
        .expect(200)
    ).body as Array<{ action: string }>;
    expect(history.map((h) => h.action)).toEqual(["granted", "revoked"]);
    const attempt = await capture(
      api.server,
      partner,
      epcisDocument([commissioning([quantity(GTIN.bales, newLot("RV"), 1, "KGM")])]),
      domain,
    );
    expect((attempt.body as { code: string }).code).toBe("CAPTURE.ROLE_NOT_ALLOWED");
    for (const who of [moulder, recyclerB]) {
      await request(api.server)
        .delete(`/participants/${partner.id}/roles/supplier`)
        .set("authorization", `Bearer ${who.token}`)
        .expect(403);
    }
  }, 60_000);
});

describe("6. the service calls no address a participant names", () => {
  let internal: Server;
  let hits = 0;
  beforeAll(async () => {
    internal = createServer((_request, response) => {
      hits += 1;
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    await new Promise<void>((resolve) => internal.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => internal.close(() => resolve())));

  it("refuses callbacks over http, to loopback, private, link-local and metadata addresses", async () => {
    const port = (internal.address() as AddressInfo).port;
    for (const url of [
      `http://127.0.0.1:${String(port)}/internal`,
      `https://127.0.0.1:${String(port)}`,
      `https://localhost:${String(port)}`,
      "https://10.0.0.8",
      "https://169.254.169.254/latest",
      "https://[::1]:8443",
      "https://[::ffff:127.0.0.1]",
      "http://pact.example.com",
    ]) {
      const response = await request(api.server)
        .post("/pact/clients")
        .set("authorization", `Bearer ${moulder.token}`)
        .send({ name: "probe", callback: { url, clientId: "x", clientSecret: "y" } });
      expect({ url, status: response.status, code: (response.body as { code: string }).code }).toEqual({
        url,
        status: 400,
        code: "OUTBOUND.NOT_ALLOWED",
      });
    }
    expect(hits).toBe(0);
  });

  it("stops delivering answers once the client is revoked", async () => {
    const created = (
      await request(api.server)
        .post("/pact/clients")
        .set("authorization", `Bearer ${moulder.token}`)
        .send({
          name: "customer",
          callback: { url: recipient.url, clientId: recipient.clientId, clientSecret: recipient.clientSecret },
        })
        .expect(201)
    ).body as { id: string; clientId: string; clientSecret: string };
    const token = (
      await request(api.server)
        .post("/auth/token")
        .auth(created.clientId, created.clientSecret)
        .type("form")
        .send({ grant_type: "client_credentials" })
        .expect(200)
    ).body as { access_token: string };
    recipient.failNext(1000, 503);
    await request(api.server)
      .post("/3/events")
      .set("authorization", `Bearer ${token.access_token}`)
      .set("content-type", "application/cloudevents+json")
      .send(
        JSON.stringify({
          specversion: "1.0",
          id: `req-${String(Date.now())}`,
          source: recipient.url,
          time: new Date().toISOString(),
          type: "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
          data: { productId: [`urn:gtin:${GTIN.boxes}`] },
        }),
      )
      .expect(200);
    await waitFor("the first delivery attempt", async () => {
      const [row] = await api.runtime.dataSource.query<Array<{ attempts: number }>>(
        `SELECT attempts FROM pact_delivery ORDER BY created_at DESC LIMIT 1`,
      );
      return (row?.attempts ?? 0) > 0 ? true : undefined;
    });
    await request(api.server)
      .delete(`/pact/clients/${created.id}`)
      .set("authorization", `Bearer ${moulder.token}`)
      .expect(204);
    recipient.failNext(0, 503);
    const before = recipient.received.length;
    await api.runtime.dataSource.query(`UPDATE pact_delivery SET next_attempt_at = now() WHERE status = 'pending'`);
    const settled = await waitFor("the delivery to be abandoned", async () => {
      const [row] = await api.runtime.dataSource.query<Array<{ status: string; last_error: string }>>(
        `SELECT status, last_error FROM pact_delivery ORDER BY created_at DESC LIMIT 1`,
      );
      return row?.status === "abandoned" ? row : undefined;
    });
    expect(settled.last_error).toContain("revoked");
    expect(recipient.received.length).toBe(before);
  }, 60_000);
});

describe("8. headers and host", () => {
  it("prints no URI for a host that is not the service's", async () => {
    for (const path of [
      `/labels/${GTIN.boxes}/${lots.boxes}.svg`,
      `${boxesPath()}/bundle`,
      `/01/${GTIN.boxes}/10/${lots.boxes}`,
    ]) {
      const evil = await request(api.server).get(path).set("host", "evil.example").set("accept", "application/json");
      expect({ path, status: evil.status, code: (evil.body as { code?: string }).code }).toEqual({
        path,
        status: 400,
        code: "HTTP.HOST_NOT_ALLOWED",
      });
      const bad = await request(api.server).get(path).set("host", "a b");
      expect(bad.status).toBe(400);
    }
    const svg = await request(api.server).get(`/labels/${GTIN.boxes}/${lots.boxes}.svg`).expect(200);
    expect(String(svg.body)).not.toContain("evil.example");
  });

  it("sends security headers on the JSON API and the API docs", async () => {
    for (const path of ["/health", "/docs", `/products/${GTIN.boxes}`]) {
      const response = await request(api.server).get(path);
      expect(response.headers).toMatchObject({
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "no-referrer",
        "content-security-policy": expect.stringContaining("frame-ancestors 'none'"),
      });
      expect(response.headers["strict-transport-security"]).toBeUndefined(); // plain HTTP here; HTTPS: service test
    }
  });
});

describe("1–3 slipped past the API: the bundle does not verify", () => {
  /** What a rogue operator (or an older service) could write straight into PostgreSQL, anchored like the rest. */
  async function inject(author: TestParticipant, event: Json, extra: { declaration?: Json } = {}): Promise<string> {
    const wallet = author.wallet as Wallet;
    const context = [EPCIS_CONTEXT, { ct: CT }];
    const eventHash = eventHashOf(event, namespacesOf({ "@context": context }));
    const [job] = await api.runtime.dataSource.query<Array<{ id: string }>>(
      `INSERT INTO capture_job (participant_id, event_count, created_count, document_sha256, finished_at)
       VALUES ($1, 1, 1, '', now()) RETURNING id`,
      [author.id],
    );
    if (extra.declaration !== undefined) {
      const id = declarationIdOf(eventHash, extra.declaration);
      await api.runtime.dataSource.query(
        `INSERT INTO error_declaration (id, event_hash, body, context, declaration, participant_id, signer, signature,
           custodial, capture_id, record_time)
         VALUES ($1, $2, $3::jsonb, $4::jsonb, $5::jsonb, $6, $7, $8, false, $9, now())`,
        [
          id,
          eventHash,
          JSON.stringify({ ...event, errorDeclaration: extra.declaration }),
          JSON.stringify(context),
          JSON.stringify(extra.declaration),
          author.id,
          wallet.address,
          await signDeclaration(wallet, domain, eventHash, extra.declaration),
          job?.id,
        ],
      );
      await api.runtime.dataSource.query(`UPDATE epcis_event SET error_declaration = $2::jsonb WHERE event_hash = $1`, [
        eventHash,
        JSON.stringify(extra.declaration),
      ]);
      await api.runtime.dataSource.query(`INSERT INTO anchor_outbox (event_hash) VALUES ($1)`, [id]);
      return eventHash;
    }
    await api.runtime.dataSource.query(
      `INSERT INTO epcis_event (event_hash, event_id, event_type, action, biz_step, event_time, event_time_zone_offset,
         record_time, body, context, participant_id, role, signer, signature, custodial, capture_id)
       VALUES ($1, $1, $2, $3, $4, $5, '+08:00', now(), $6::jsonb, $7::jsonb, $8, $9, $10, $11, false, $12)`,
      [
        eventHash,
        event.type,
        event.action,
        `https://ref.gs1.org/cbv/BizStep-${String(event.bizStep)}`,
        event.eventTime,
        JSON.stringify(event),
        JSON.stringify(context),
        author.id,
        author === recyclerB ? "recycler" : "moulder",
        wallet.address,
        await signEventHash(wallet, domain, eventHash),
        job?.id,
      ],
    );
    for (const movement of lotMovementsOf(event, readExtension(event, namespacesOf({ "@context": context })))) {
      await api.runtime.dataSource.query(
        `INSERT INTO lot_movement (event_hash, lot_id, direction, quantity, unit) VALUES ($1, $2, $3, $4, $5)`,
        [eventHash, movement.lot.id, movement.direction, toText(movement.amount), movement.unit],
      );
    }
    await api.runtime.dataSource.query(`INSERT INTO anchor_outbox (event_hash) VALUES ($1)`, [eventHash]);
    return eventHash;
  }

  it("fails carbontrace verify on a foreign retraction, a write onto a lot never held, and a taken event", async () => {
    const stranger = await inject(
      recyclerB,
      observation("storing", [quantity(GTIN.boxes, lots.boxes, 2000)], { ...siteOf(recyclerB), ...kWh(50_000) }),
    );
    const taken = await inject(
      moulder,
      observation(
        "shipping",
        [quantity(GTIN.pellets, lots.pellets, 20, "KGM")],
        { ...siteOf(recyclerA), ...shippedTo(moulder) },
        "2026-10-09T08:00:00.000+08:00",
      ),
    );
    const storedRecycling = await storedEvent(hashes.recycling);
    await inject(recyclerB, storedRecycling, {
      declaration: { declarationTime: "2026-11-02T08:00:00.000+08:00", reason: "did_not_occur" },
    });
    await waitAnchored();

    const cli = await carbontrace([
      "verify",
      `${api.url}${boxesPath()}/bundle`,
      "--rpc",
      api.runtime.ledger.chain.rpcUrl,
    ]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain("FAILED");
    const bundle = (await request(api.server).get(`${boxesPath()}/bundle`).expect(200)).body as ProofBundle;
    const report = await verifyBundle(bundle, {
      ledger: traceLedgerReader(api.runtime.ledger.chain.provider, api.runtime.ledger.addresses.TraceLedger),
    });
    const failed = report.checks.filter((c) => c.status === "fail").map((c) => `${c.check} ${c.subject}`);
    expect(failed).toEqual(
      expect.arrayContaining([
        `event.custody ${stranger}`,
        `event.location ${taken}`,
        `event.retraction ${hashes.recycling}`,
        expect.stringMatching(/^declaration\.signer 0x/),
      ]),
    );
    for (const line of ["✘ event.custody", "✘ event.location", "✘ declaration.signer", "✘ event.retraction"]) {
      expect(cli.stdout).toContain(line);
    }
  }, 120_000);
});

describe("7. brakes on guessing keys (last: it blocks this test's address for a minute)", () => {
  it("answers 429 with Retry-After after repeated failures, for API keys and PACT secrets alike", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await request(api.server)
        .get("/participants/me")
        .set("authorization", `Bearer ctk_${"x".repeat(20)}${String(i)}.wrong`);
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => 401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    const blocked = await request(api.server).get("/participants/me").set("authorization", `Bearer ${moulder.token}`);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    expect((blocked.body as { code: string }).code).toBe("AUTH.TOO_MANY_FAILURES");
    const token = await request(api.server)
      .post("/auth/token")
      .auth("ctpc_guess", "guess")
      .type("form")
      .send({ grant_type: "client_credentials" });
    expect(token.status).toBe(429);
    expect(token.headers["retry-after"]).toBeDefined();
    // Public pages stay open to the blocked address: only authentication is braked.
    await request(api.server).get("/health").expect(200);
  });
});
