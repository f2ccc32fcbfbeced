import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { silentLogger } from "#common";
import { createHash } from "node:crypto";
import { documentFromXml, eventHashesOfDocument, preHashesOfDocument } from "#epcis";
import { signEventHash, signXmlDocument, type SigningDomain } from "#proof";
import { resolveEpcisXmlSchema, type EpcisXmlSchema } from "#runtime";
import { startTestApp, type TestApp } from "../support/app.js";
import { conformancePath, epcisSchemaForTests } from "../support/conformance.js";
import { commissioning, epcisDocument, GTIN, lotClass, newLot, quantity } from "../support/epcis.js";
import { capture, registerParticipant, signingDomainOf, type TestParticipant } from "../support/participants.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { tempDir } from "../support/temp.js";

/** GS1's XSDs, when the conformance data sits beside the checkout (GS1's licence: they are not copied here). */
const XSD_FOLDER = conformancePath("epcis", "XSD");
const HAS_XSD = existsSync(XSD_FOLDER);
const PROBLEM = /^application\/problem\+json/;

let postgres: TestPostgres;
let api: TestApp;
let dataDir: Awaited<ReturnType<typeof tempDir>>;
let domain: SigningDomain;
let supplier: TestParticipant;
let custodial: TestParticipant;
let xsd: EpcisXmlSchema;

beforeAll(async () => {
  postgres = await startTestPostgres();
  dataDir = await tempDir("xml-capture");
  api = await startTestApp({
    DATA_DIR: dataDir.path,
    DATABASE_URL: await postgres.createDatabase(),
    EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
    ...(HAS_XSD ? { EPCIS_XML_SCHEMA: XSD_FOLDER } : {}),
  });
  domain = await signingDomainOf(api.server);
  supplier = await registerParticipant(api.server, api.adminKey, ["supplier"]);
  custodial = await registerParticipant(api.server, api.adminKey, ["supplier"], "custodial");
  xsd = await resolveEpcisXmlSchema(HAS_XSD ? XSD_FOLDER : undefined, silentLogger);
}, 180_000);

afterAll(async () => {
  await api.stop();
  await postgres.stop();
  await dataDir.remove();
});

/** Bales commissioned at a collection point, with our extension, written in the XML binding by hand. */
function balesXml(lot: string, kWh = "35.50", namespace = "urn:epcglobal:epcis:xsd:2"): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="${namespace}" xmlns:ct="https://carbontrace.org/ns/epcis/"
    schemaVersion="2.0" creationDate="2026-11-01T08:00:00.000Z">
  <EPCISBody>
    <EventList>
      <ObjectEvent>
        <eventTime>2026-10-01T08:00:00.000+08:00</eventTime>
        <eventTimeZoneOffset>+08:00</eventTimeZoneOffset>
        <action>ADD</action>
        <bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
        ${namespace.endsWith(":1") ? "<extension>" : ""}
        <quantityList>
          <quantityElement>
            <epcClass>${lotClass(GTIN.bales, lot)}</epcClass>
            <quantity>1200</quantity>
            <uom>KGM</uom>
          </quantityElement>
        </quantityList>
        ${namespace.endsWith(":1") ? "</extension>" : ""}
        <ct:process>baling</ct:process>
        <ct:activity>
          <electricity><kWh>${kWh}</kWh><gridRegion>CN</gridRegion><renewable>false</renewable></electricity>
        </ct:activity>
      </ObjectEvent>
    </EventList>
  </EPCISBody>
</epcis:EPCISDocument>
`;
}

/** The same event in the JSON-LD binding, written by hand. */
function balesJson(lot: string): Record<string, unknown> {
  return epcisDocument([
    commissioning([quantity(GTIN.bales, lot, 1200, "KGM")], {
      "ct:process": "baling",
      "ct:activity": { electricity: [{ kWh: 35.5, gridRegion: "CN", renewable: false }] },
    }),
  ]);
}

function postXml(participant: TestParticipant, xml: string): request.Test {
  return request(api.server)
    .post("/capture")
    .set("authorization", `Bearer ${participant.token}`)
    .set("content-type", "application/xml")
    .send(xml);
}

async function captureJobs(): Promise<number> {
  const [row] = await api.runtime.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM capture_job`);
  return row?.n ?? 0;
}

async function expectRefused(send: () => request.Test, status: number, code: string): Promise<request.Response> {
  const before = await captureJobs();
  const response = await send();
  expect(response.headers["content-type"]).toMatch(PROBLEM);
  expect({ status: response.status, code: (response.body as { code?: string }).code }).toEqual({ status, code });
  expect(await captureJobs()).toBe(before);
  return response;
}

describe("POST /capture with the EPCIS XML binding", () => {
  it("captures a signed XML document, and its hand-written JSON-LD twin is the same event", async () => {
    const lot = newLot("X");
    const signed = await signXmlDocument(
      balesXml(lot),
      supplier.wallet as NonNullable<TestParticipant["wallet"]>,
      domain,
    );
    const response = await postXml(supplier, signed);
    expect([response.status, response.body]).toEqual([
      202,
      expect.objectContaining({ eventCount: 1, createdCount: 1 }),
    ]);
    const [eventHash] = (response.body as { events: Array<{ eventHash: string }> }).events.map((e) => e.eventHash);
    expect(eventHash).toBe(eventHashesOfDocument(documentFromXml(balesXml(lot)))[0]);

    const twin = await capture(api.server, supplier, balesJson(lot), domain);
    expect(twin.status).toBe(202);
    expect((twin.body as { events: unknown[] }).events).toEqual([
      { eventID: expect.any(String), eventHash, outcome: "exists" },
    ]);
  });

  it("types our extension after its schema: one element is a list of one, text numbers are numbers", async () => {
    const lot = newLot("X");
    const signed = await signXmlDocument(
      balesXml(lot),
      supplier.wallet as NonNullable<TestParticipant["wallet"]>,
      domain,
    );
    const eventHash = (await postXml(supplier, signed).expect(202)).body.events[0].eventHash as string;
    const stored = await request(api.server)
      .get(`/events/${encodeURIComponent(eventHash)}`)
      .set("authorization", `Bearer ${supplier.token}`)
      .expect(200);
    expect((stored.body as Record<string, unknown>)["ct:activity"]).toEqual({
      electricity: [{ kWh: 35.5, gridRegion: "CN", renewable: false }],
    });
  });

  it("lets a custodial participant post unsigned XML, and reads EPCIS 1.2 XML (extension wrappers)", async () => {
    const response = await postXml(custodial, balesXml(newLot("X"), "12", "urn:epcglobal:epcis:xsd:1"));
    expect([response.status, response.body]).toEqual([202, expect.objectContaining({ createdCount: 1 })]);
  });

  it("refuses what is not a signed, valid EPCIS XML document, and writes nothing", async () => {
    const lot = newLot("X");
    await expectRefused(() => postXml(supplier, "<epcis:EPCISDocument"), 400, "EPCIS.INVALID_XML");
    await expectRefused(() => postXml(supplier, "<html><body>hello</body></html>"), 400, "EPCIS.INVALID_XML");
    const entity = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]>${balesXml(lot).replace(/^<\?xml[^>]*>/, "")}`;
    await expectRefused(() => postXml(supplier, entity), 400, "EPCIS.INVALID_XML");
    await expectRefused(() => postXml(supplier, balesXml(lot)), 400, "CAPTURE.SIGNATURE_MISSING");
    const wallet = supplier.wallet as NonNullable<TestParticipant["wallet"]>;
    const badNumber = await signXmlDocument(balesXml(lot, "lots"), wallet, domain);
    const refused = await expectRefused(() => postXml(supplier, badNumber), 400, "CAPTURE.EXTENSION_INVALID");
    expect((refused.body as { detail: string }).detail).toContain("/activity/electricity/0/kWh");
  });

  (HAS_XSD ? it : it.skip)(
    "checks XML against GS1's XSD when EPCIS_XML_SCHEMA names them, saying what is wrong",
    async () => {
      const misordered = balesXml(newLot("X")).replace(
        "<action>ADD</action>\n        <bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>",
        "<bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>\n        <action>ADD</action>",
      );
      const signed = await signXmlDocument(
        misordered,
        supplier.wallet as NonNullable<TestParticipant["wallet"]>,
        domain,
      );
      const refused = await expectRefused(() => postXml(supplier, signed), 400, "EPCIS.XML_SCHEMA_INVALID");
      expect((refused.body as { detail: string }).detail).toMatch(/bizStep|action/);
      const health = await request(api.server).get("/health");
      expect((health.body as { epcis: { detail: string } }).epcis.detail).toContain("GS1's XSDs");
    },
  );
});

describe("GET /events in the XML binding (Accept: application/xml)", () => {
  it("answers one event, and a query, as XML that reads back to the same event hashes", async () => {
    const lot = newLot("X");
    const signed = await signXmlDocument(
      balesXml(lot),
      supplier.wallet as NonNullable<TestParticipant["wallet"]>,
      domain,
    );
    const eventHash = (await postXml(supplier, signed).expect(202)).body.events[0].eventHash as string;

    const one = await request(api.server)
      .get(`/events/${encodeURIComponent(eventHash)}`)
      .set("authorization", `Bearer ${supplier.token}`)
      .set("accept", "application/xml")
      .expect(200);
    expect(one.headers["content-type"]).toMatch(/^application\/xml/);
    expect(one.headers.vary).toMatch(/Accept/i);
    expect(eventHashesOfDocument(documentFromXml(one.text))).toEqual([eventHash]);

    const query = await request(api.server)
      .get(`/events?MATCH_anyEPCClass=${encodeURIComponent(lotClass(GTIN.bales, lot))}`)
      .set("authorization", `Bearer ${supplier.token}`)
      .set("accept", "application/xml, application/json;q=0.5")
      .expect(200);
    expect(query.headers["content-type"]).toMatch(/^application\/xml/);
    expect(eventHashesOfDocument(documentFromXml(query.text))).toEqual([eventHash]);
    for (const xml of [one.text, query.text]) {
      const kind = xml.includes("EPCISQueryDocument") ? "EPCISQueryDocument" : "EPCISDocument";
      if (xsd.validate !== undefined) expect(await xsd.validate(xml, kind)).toEqual([]);
    }

    const json = await request(api.server)
      .get(`/events/${encodeURIComponent(eventHash)}`)
      .set("authorization", `Bearer ${supplier.token}`)
      .expect(200);
    expect(json.headers["content-type"]).toMatch(/json/);
  });
});

describe("a signature under a hash computed by another tool", () => {
  it("names the event, both hashes, the cause and the field, and writes nothing", async () => {
    const document = balesJson(newLot("X"));
    // What the Python reference implementation hashes: the same pre-hash string with JSON booleans as Python writes them (False).
    const [preHash = ""] = preHashesOfDocument(document);
    expect(preHash).toContain("renewable=false");
    const pythonHash = `ni:///sha-256;${createHash("sha256").update(preHash.replace("renewable=false", "renewable=False")).digest("hex")}?ver=CBV2.0`;
    const wallet = supplier.wallet as NonNullable<TestParticipant["wallet"]>;
    const signed = {
      ...document,
      "ct:signatures": [
        { "ct:eventHash": pythonHash, "ct:signature": await signEventHash(wallet, domain, pythonHash) },
      ],
    };
    const post = (): request.Test =>
      request(api.server)
        .post("/capture")
        .set("authorization", `Bearer ${supplier.token}`)
        .set("content-type", "application/ld+json")
        .send(JSON.stringify(signed));
    const refused = await expectRefused(post, 400, "CAPTURE.EVENT_HASH_MISMATCH");
    expect(refused.body).toMatchObject({
      eventIndex: 0,
      claimedHash: pythonHash,
      eventHash: eventHashesOfDocument(document)[0],
      cause: "python-booleans",
      fields: ["ct:activity.electricity[0].renewable"],
      preHash,
    });
    expect((refused.body as { detail: string }).detail).toContain("True/False");
  });
});
