import { createHash, randomBytes } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { documentFromXml, eventHashesOfDocument } from "#epcis";
import { cidOf } from "#proof";
import { recoverEventSigner, type SigningDomain } from "#proof";
import { startTestApp, type TestApp } from "../support/app.js";
import { carbontrace } from "../support/cli.js";
import { conformancePath, epcisSchemaForTests, HAS_CONFORMANCE } from "../support/conformance.js";
import { commissioning, epcisDocument, GTIN, newLot, quantity } from "../support/epcis.js";
import { signingDomainOf, uniqueGln } from "../support/participants.js";
import { ROOT } from "../support/service.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { tempDir } from "../support/temp.js";

let postgres: TestPostgres;
let api: TestApp;
let dir: Awaited<ReturnType<typeof tempDir>>;
let domain: SigningDomain;

beforeAll(async () => {
  postgres = await startTestPostgres();
  dir = await tempDir("cli");
  api = await startTestApp(
    {
      DATA_DIR: join(dir.path, "data"),
      DATABASE_URL: await postgres.createDatabase(),
      EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
    },
    { listen: true },
  );
  domain = await signingDomainOf(api.server);
}, 180_000);

afterAll(async () => {
  await api.stop();
  await postgres.stop();
  await dir.remove();
});

describe("npx carbontrace hash", () => {
  it("prints each event's CBV 2.0 hash, one per line, in document order", async () => {
    const document = epcisDocument([
      commissioning([quantity(GTIN.bales, "A1", 1, "KGM")]),
      commissioning([quantity(GTIN.bales, "A2", 2, "KGM")]),
    ]);
    const file = join(dir.path, "two.jsonld");
    writeFileSync(file, JSON.stringify(document));
    const result = await carbontrace(["hash", file], {}, undefined, { npx: true });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual(eventHashesOfDocument(document));
  }, 60_000);

  (HAS_CONFORMANCE ? it : it.skip)(
    "matches the published vectors",
    async () => {
      const vectors = conformancePath("epcis-event-hash", "examples");
      for (const name of ["epcisDocWithVariousEventTypes", "epcisDocWithSensorDataObjectEvent"]) {
        const result = await carbontrace(["hash", join(vectors, `${name}.jsonld`)]);
        expect(result.stdout.trim()).toBe(readFileSync(join(vectors, `${name}.hashes`), "utf8").trim());
      }
    },
    60_000,
  );

  it("hashes XML like the reference implementation (its XML vectors, copied with their licence)", async () => {
    const vectors = join(ROOT, "test", "fixtures", "epcis-event-hash", "examples");
    for (const name of ["epcisDocWithVariousEventTypes", "SensorDataExamples"]) {
      const result = await carbontrace(["hash", join(vectors, `${name}.xml`)]);
      expect(result.stdout.trim()).toBe(readFileSync(join(vectors, `${name}.hashes`), "utf8").trim());
    }
  }, 60_000);

  it("--explain prints each hash followed by the pre-hash string it is the SHA-256 of", async () => {
    const vectors = join(ROOT, "test", "fixtures", "epcis-event-hash", "examples");
    const result = await carbontrace(["hash", "--explain", join(vectors, "ReferenceEventHashAlgorithm.xml")]);
    expect(result.code).toBe(0);
    const [heading, hash = "", preHash = ""] = result.stdout.split("\n");
    expect(heading).toBe("# event 0");
    expect(hash).toBe(readFileSync(join(vectors, "ReferenceEventHashAlgorithm.hashes"), "utf8").split("\n")[0]);
    expect(`ni:///sha-256;${createHash("sha256").update(preHash).digest("hex")}?ver=CBV2.0`).toBe(hash);
  }, 60_000);

  it("reads standard input and explains a file that is not JSON", async () => {
    const document = epcisDocument([commissioning([quantity(GTIN.bales, "A3", 1, "KGM")])]);
    const piped = await carbontrace(["hash", "-"], {}, JSON.stringify(document));
    expect(piped.stdout.trim()).toBe(eventHashesOfDocument(document)[0]);
    const bad = join(dir.path, "bad.txt");
    writeFileSync(bad, "not json");
    const failed = await carbontrace(["hash", bad]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("is not a JSON document");
  }, 60_000);
});

describe("a partner with its own key", () => {
  let keyFile: string;
  let address: string;
  let apiKey: string;

  beforeAll(async () => {
    keyFile = join(dir.path, "partner.key");
    const generated = await carbontrace(["keygen", keyFile]);
    expect(generated.code).toBe(0);
    address = generated.stdout.trim();
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const registered = await request(api.server)
      .post("/participants")
      .set("authorization", `Bearer ${api.adminKey}`)
      .send({
        organisation: "CLI Recycling",
        identifier: { scheme: "gln", value: uniqueGln() },
        displayName: { zh: "命令行回收", en: "CLI Recycling" },
        roles: ["supplier"],
        custody: "self",
        address,
      })
      .expect(201);
    apiKey = (registered.body as { apiKey: { token: string } }).apiKey.token;
  }, 60_000);

  it("refuses to overwrite a key file", async () => {
    const again = await carbontrace(["keygen", keyFile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("not overwriting");
  }, 60_000);

  it("signs offline for a given ledger; signatures recover to its address", async () => {
    const document = epcisDocument([commissioning([quantity(GTIN.bales, newLot(), 5, "KGM")])]);
    const file = join(dir.path, "unsigned.jsonld");
    writeFileSync(file, JSON.stringify(document));
    const signedFile = join(dir.path, "signed.jsonld");
    const result = await carbontrace([
      "sign",
      file,
      "--key-file",
      keyFile,
      "--chain-id",
      domain.chainId,
      "--ledger",
      domain.verifyingContract,
      "-o",
      signedFile,
    ]);
    expect(result.code).toBe(0);
    const signed = JSON.parse(readFileSync(signedFile, "utf8")) as { "ct:signatures": Array<Record<string, string>> };
    const [hash = ""] = eventHashesOfDocument(document);
    expect(signed["ct:signatures"]).toHaveLength(1);
    expect(recoverEventSigner(domain, hash, signed["ct:signatures"][0]?.["ct:signature"] ?? "")).toBe(address);
  }, 60_000);

  it("stores evidence and captures a signed document through the API", async () => {
    const photo = join(dir.path, "weighbridge.png");
    const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(500)]);
    writeFileSync(photo, bytes);
    const env = { CARBONTRACE_API_URL: api.url, CARBONTRACE_API_KEY: apiKey };
    const stored = await carbontrace(["evidence", photo], env);
    expect(stored.code).toBe(0);
    expect(stored.stdout.trim()).toBe(await cidOf(bytes));

    const document = epcisDocument([
      commissioning([quantity(GTIN.bales, newLot(), 800, "KGM")], {
        "ct:evidence": [{ "ct:cid": stored.stdout.trim(), "ct:kind": "weighbridge-ticket" }],
      }),
    ]);
    const file = join(dir.path, "bales.jsonld");
    writeFileSync(file, JSON.stringify(document));
    const captured = await carbontrace(["capture", file, "--key-file", keyFile], env, undefined, { npx: true });
    expect(captured.code).toBe(0);
    const [hash = ""] = eventHashesOfDocument(document);
    expect(captured.stdout).toContain("1 of 1 event(s) stored");
    expect(captured.stdout).toContain(`created   ${hash}`);
    const again = await carbontrace(["capture", file, "--key-file", keyFile, "--json"], env);
    expect(JSON.parse(again.stdout)).toMatchObject({
      createdCount: 0,
      events: [{ eventHash: hash, outcome: "exists" }],
    });
  }, 60_000);

  it("signs and captures an XML document, which stays XML", async () => {
    const env = { CARBONTRACE_API_URL: api.url, CARBONTRACE_API_KEY: apiKey };
    const lot = newLot();
    const xml = `<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2026-11-01T08:00:00Z">
  <EPCISBody><EventList><ObjectEvent>
    <eventTime>2026-10-01T08:00:00.000+08:00</eventTime><eventTimeZoneOffset>+08:00</eventTimeZoneOffset>
    <action>ADD</action><bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
    <quantityList><quantityElement><epcClass>https://id.gs1.org/01/${GTIN.bales}/10/${lot}</epcClass><quantity>40</quantity><uom>KGM</uom></quantityElement></quantityList>
  </ObjectEvent></EventList></EPCISBody>
</epcis:EPCISDocument>`;
    const file = join(dir.path, "bales.xml");
    writeFileSync(file, xml);
    const [hash = ""] = eventHashesOfDocument(documentFromXml(xml));
    const signedFile = join(dir.path, "bales.signed.xml");
    const offline = ["--chain-id", domain.chainId, "--ledger", domain.verifyingContract, "-o", signedFile];
    expect((await carbontrace(["sign", file, "--key-file", keyFile, ...offline])).code).toBe(0);
    const signed = readFileSync(signedFile, "utf8");
    expect(signed).toMatch(/^<epcis:EPCISDocument|^<\?xml/);
    const entries = documentFromXml(signed)["ct:signatures"] as Array<Record<string, string>>;
    expect(entries.map((entry) => entry["ct:eventHash"])).toEqual([hash]);
    expect(recoverEventSigner(domain, hash, entries[0]?.["ct:signature"] ?? "")).toBe(address);

    const captured = await carbontrace(["capture", file, "--key-file", keyFile], env);
    expect([captured.code, captured.stderr]).toEqual([0, ""]);
    expect(captured.stdout).toContain(`created   ${hash}`);
  }, 60_000);

  it("exits non-zero with the server's code when a capture is refused", async () => {
    const document = epcisDocument([commissioning([quantity(GTIN.bales, newLot(), 1, "KGM")])]);
    const file = join(dir.path, "unsigned-capture.jsonld");
    writeFileSync(file, JSON.stringify(document));
    const refused = await carbontrace(["capture", file], { CARBONTRACE_API_URL: api.url, CARBONTRACE_API_KEY: apiKey });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("CAPTURE.SIGNATURE_MISSING");
  }, 60_000);

  it("names the URL it tried when nothing answers there, for requests and for bundles alike", async () => {
    const file = join(dir.path, "meter.txt");
    writeFileSync(file, "meter 1234 kWh\n");
    const nobody = "http://127.0.0.1:9";
    const upload = await carbontrace(["evidence", file], { CARBONTRACE_API: nobody, CARBONTRACE_API_KEY: apiKey });
    expect(upload.code).toBe(1);
    expect(upload.stderr).toContain(`CLIENT.UNREACHABLE: No answer from ${nobody}/evidence`);
    const bundle = await carbontrace(["verify", `${nobody}/lots/1/2/bundle`]);
    expect(bundle.code).toBe(1);
    expect(bundle.stderr).toContain(`No answer from ${nobody}/lots/1/2/bundle`);
  }, 60_000);
});
