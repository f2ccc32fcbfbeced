import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import request from "supertest";
import type { SigningDomain } from "#proof";
import { startTestApp, type TestApp } from "../support/app.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { commissioning, epcisDocument, GTIN, newLot, quantity } from "../support/epcis.js";
import { capture, registerParticipant, signingDomainOf, type TestParticipant } from "../support/participants.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { tempDir } from "../support/temp.js";

/**
 * Inputs that a fuzzer found answered with 500 (issue 14): each one, as a caller could send it, gets a documented
 * 4xx problem, and the service keeps working.
 */

let postgres: TestPostgres;
let dir: Awaited<ReturnType<typeof tempDir>>;
let api: TestApp;
let domain: SigningDomain;
let supplier: TestParticipant;

beforeAll(async () => {
  postgres = await startTestPostgres();
  dir = await tempDir("bad-input");
  api = await startTestApp({
    DATA_DIR: dir.path,
    DATABASE_URL: await postgres.createDatabase(),
    EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
  });
  domain = await signingDomainOf(api.server);
  supplier = await registerParticipant(api.server, api.adminKey, ["supplier"]);
}, 120_000);

afterAll(async () => {
  await api.stop();
  await dir.remove();
  await postgres.stop();
});

const admin = (): [string, string] => ["authorization", `Bearer ${api.adminKey}`];

function expectProblem(response: request.Response, status: number, code?: string): void {
  expect({ status: response.status, problem: response.headers["content-type"] }).toEqual({
    status,
    problem: expect.stringMatching(/problem\+json|application\/json/),
  });
  if (code !== undefined) expect((response.body as { code: string }).code).toBe(code);
}

/** Writes bytes to the server as they are (no HTTP client would send them) and reads what comes back. */
async function rawExchange(bytes: string): Promise<string> {
  if (!api.server.listening) await new Promise<void>((resolve) => api.server.listen(0, "127.0.0.1", resolve));
  const { port } = api.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(bytes));
    let answer = "";
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("utf8")));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

async function post(document: Record<string, unknown>): Promise<request.Response> {
  return capture(api.server, supplier, document, domain);
}

/** A body sent to POST /capture exactly as written (JSON text that no document builder would produce). */
function postText(body: string): Promise<request.Response> {
  return request(api.server)
    .post("/capture")
    .set("authorization", `Bearer ${supplier.token}`)
    .set("content-type", "application/json")
    .send(body);
}

describe("every bad input is a 4xx", () => {
  it("a negative quantity in a quantity list", async () => {
    for (const amount of [-1, -0.001, -1e9]) {
      const document = epcisDocument([commissioning([quantity(GTIN.bales, newLot("N"), amount, "KGM")])]);
      expectProblem(await post(document), 400, "CAPTURE.QUANTITY_INVALID");
    }
  });

  it("JSON nested thousands deep in ct:activity or an extension", async () => {
    const deep = `${'{"a":'.repeat(12_000)}1${"}".repeat(12_000)}`;
    const document = JSON.stringify(
      epcisDocument([commissioning([quantity(GTIN.bales, newLot("D"), 1, "KGM")], { "ct:activity": "DEEP" })]),
    );
    const deepArrays = `${"[".repeat(12_000)}1${"]".repeat(12_000)}`;
    for (const body of [document.replace('"DEEP"', deep), `[${deep}]`, document.replace('"DEEP"', deepArrays)]) {
      expectProblem(await postText(body), 400, "REQUEST.TOO_DEEP");
    }
  });

  it("lone surrogates and NUL characters in JSON strings", async () => {
    for (const bad of ["\\ud800", "x\\udc00y", "\\u0000"]) {
      const body = JSON.stringify(epcisDocument([commissioning([quantity(GTIN.bales, newLot("S"), 1, "KGM")])]))
        .replace('"baling"', `"${bad}"`)
        .replace('"creationDate":"', `"creationDate":"${bad}`);
      expectProblem(await postText(body), 400, "REQUEST.INVALID_TEXT");
    }
    // Inside an array, and in a key rather than a value.
    for (const body of ['{"ct:activity":["ok","\\u0000"]}', '{"ct:activity":{"a\\ud800":1}}']) {
      expectProblem(await postText(body), 400, "REQUEST.INVALID_TEXT");
    }
  });

  it("NUL bytes in query parameters and paths", async () => {
    expectProblem(await request(api.server).get("/evidence/%00"), 400, "REQUEST.INVALID_TEXT");
    expectProblem(await request(api.server).get("/factors?q=%00"), 400, "REQUEST.INVALID_TEXT");
    expectProblem(
      await request(api.server)
        .get("/events?EQ_bizStep=%00")
        .set(...admin()),
      400,
      "REQUEST.INVALID_TEXT",
    );
  });

  it("integers out of range in paths and queries", async () => {
    for (const path of [
      "/anchoring/batches/99999999999",
      "/factors/versions/99999999999",
      "/factors?year=99999999999",
      "/factors?version=99999999999",
      "/anchoring/batches/-1",
    ]) {
      const response = await request(api.server)
        .get(path)
        .set(...admin());
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
    }
  });

  it("null where an object is expected, and a missing identifier", async () => {
    const participant = await request(api.server)
      .post("/participants")
      .set(...admin())
      .send({
        organisation: "x",
        displayName: { zh: "x", en: "x" },
        roles: ["supplier"],
        custody: "custodial",
      });
    expectProblem(participant, 400, "REQUEST.VALIDATION_FAILED");
    const clients = await request(api.server)
      .post("/pact/clients")
      .set("authorization", `Bearer ${supplier.token}`)
      .send({ name: "x", callback: null });
    expectProblem(clients, 400, "REQUEST.VALIDATION_FAILED");
    const factor = {
      id: "TEST_NULL_ACTIVITY",
      name: "x",
      category: "electricity",
      value: 0.1,
      unit: "kgCO2e/kWh",
      region: "GB",
      year: 2026,
      source: "x",
      sourceUrl: "https://example.com",
      licence: "x",
    };
    for (const bad of [{ activity: null }, { supersedes: null }, { region: null }]) {
      const response = await request(api.server)
        .post("/factors")
        .set(...admin())
        .send({ description: "x", factors: [{ ...factor, ...bad }] });
      expectProblem(response, 400, "REQUEST.VALIDATION_FAILED");
    }
  });

  it("a key id that is not a UUID, and a forged page token", async () => {
    expectProblem(
      await request(api.server)
        .delete(`/participants/${supplier.id}/api-keys/not-a-uuid`)
        .set(...admin()),
      404,
    );
    for (const token of ["garbage", "eyJmb28iOiJiYXIifQ", Buffer.from('{"t":"x","h":1}').toString("base64url")]) {
      const response = await request(api.server)
        .get(`/events?nextPageToken=${token}`)
        .set(...admin());
      expectProblem(response, 400);
    }
  });

  it("ids that are not UUIDs, wherever a UUID id is looked up (the fuzz run found a participant id)", async () => {
    const dashes = "-".repeat(36); // passed the old /^[0-9a-f-]{36}$/ check, then PostgreSQL refused it
    for (const path of [
      `/participants/0x1F/api-keys/${supplier.id}`,
      `/participants/${dashes}/api-keys/${dashes}`,
      `/participants/${dashes}`,
      `/capture/${dashes}`,
    ]) {
      const method = path.includes("api-keys") ? "delete" : "get";
      const response = await request(api.server)
        [method](path)
        .set(...admin());
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expectProblem(response, 404);
    }
  });

  it("a request line and headers over 16 KiB, and bytes that are not HTTP, get problems too", async () => {
    expectProblem(await request(api.server).get(`/factors?q=${"x".repeat(20_000)}`), 431, "REQUEST.HEADERS_TOO_LARGE");
    const answer = await rawExchange("NOT HTTP AT ALL\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain("Content-Type: application/problem+json");
    expect(answer).toContain('"code":"REQUEST.MALFORMED_HTTP"');
  });

  it("the same evidence file uploaded twice gets the same CID", async () => {
    const bytes = Buffer.from("weighbridge ticket 42 kg\n");
    const upload = () =>
      request(api.server)
        .post("/evidence")
        .set("authorization", `Bearer ${supplier.token}`)
        .attach("file", bytes, { filename: "ticket.txt", contentType: "text/plain" });
    const first = await upload();
    const second = await upload();
    expect([first.status, second.status]).toEqual([201, 201]);
    expect((second.body as { cid: string }).cid).toBe((first.body as { cid: string }).cid);
  });

  it("still answers after all of it", async () => {
    await request(api.server).get("/health").expect(200);
  });
});
