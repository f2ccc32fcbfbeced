import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { WebSocket } from "ws";
import { eventHashesOfDocument } from "#epcis";
import type { SigningDomain } from "#proof";
import { startTestApp, type TestApp } from "../support/app.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { commissioning, epcisDocument, GTIN, lotClass, newLot, quantity } from "../support/epcis.js";
import { capture, registerParticipant, signingDomainOf, type TestParticipant } from "../support/participants.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { tempDir } from "../support/temp.js";
import { waitFor } from "../support/waits.js";

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A subscriber's webhook on loopback: records what it is sent; answers 500 while `failures` > 0. */
class Receiver {
  readonly received: Received[] = [];
  failures = 0;
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (this.failures > 0) {
        this.failures -= 1;
        res.writeHead(500).end();
        return;
      }
      this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(204).end();
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
  }

  get origin(): string {
    return `http://127.0.0.1:${String((this.server.address() as AddressInfo).port)}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let postgres: TestPostgres;
let api: TestApp;
let dataDir: Awaited<ReturnType<typeof tempDir>>;
let domain: SigningDomain;
let brandOwner: TestParticipant;
let supplier: TestParticipant;
const receiver = new Receiver();

beforeAll(async () => {
  await receiver.start();
  postgres = await startTestPostgres();
  dataDir = await tempDir("subscriptions");
  api = await startTestApp(
    {
      DATA_DIR: dataDir.path,
      DATABASE_URL: await postgres.createDatabase(),
      EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
      // The loopback receiver is allowed by name, as an operator allows a private deployment's host.
      PACT_CALLBACK_ALLOW: receiver.origin,
    },
    { listen: true },
  );
  domain = await signingDomainOf(api.server);
  [brandOwner, supplier] = await Promise.all([
    registerParticipant(api.server, api.adminKey, ["warehouse"]),
    registerParticipant(api.server, api.adminKey, ["supplier"]),
  ]);
}, 180_000);

afterAll(async () => {
  await api.stop();
  await postgres.stop();
  await dataDir.remove();
  await receiver.stop();
});

const as = (participant: TestParticipant) => ({
  get: (path: string) => request(api.server).get(path).set("authorization", `Bearer ${participant.token}`),
  post: (path: string, body: unknown) =>
    request(api.server)
      .post(path)
      .set("authorization", `Bearer ${participant.token}`)
      .send(body as object),
  delete: (path: string) => request(api.server).delete(path).set("authorization", `Bearer ${participant.token}`),
});

/** The supplier records bales of a lot; returns the event's hash. */
async function bales(lot: string): Promise<string> {
  const document = epcisDocument([commissioning([quantity(GTIN.bales, lot, 500, "KGM")])]);
  const response = await capture(api.server, supplier, document, domain);
  expect(response.status).toBe(202);
  return eventHashesOfDocument(document)[0] ?? "";
}

function eventHashesIn(body: string): string[] {
  const document = JSON.parse(body) as { "ct:provenance": Array<{ "ct:eventHash": string }> };
  return document["ct:provenance"].map((entry) => entry["ct:eventHash"]);
}

describe("named queries", () => {
  it("are their owner's: created, listed, run, and invisible to everyone else", async () => {
    const lot = newLot("Q");
    const eventHash = await bales(lot);
    const created = await as(brandOwner).post("/queries", {
      name: "my-bales",
      query: { MATCH_anyEPCClass: [lotClass(GTIN.bales, lot)], eventType: "ObjectEvent" },
    });
    expect([created.status, created.headers.location]).toEqual([201, "/queries/my-bales"]);
    expect((await as(brandOwner).post("/queries", { name: "my-bales", query: {} })).body).toMatchObject({
      status: 409,
      code: "QUERY.EXISTS",
    });
    expect((await as(brandOwner).get("/queries").expect(200)).body).toEqual([
      expect.objectContaining({ name: "my-bales" }),
    ]);
    const run = await as(brandOwner).get("/queries/my-bales/events").expect(200);
    expect((run.body as { epcisBody: { queryResults: { queryName: string } } }).epcisBody.queryResults.queryName).toBe(
      "my-bales",
    );
    expect(eventHashesIn(JSON.stringify(run.body))).toEqual([eventHash]);

    // Another participant sees nothing of it, and cannot delete it.
    expect((await as(supplier).get("/queries").expect(200)).body).toEqual([]);
    expect((await as(supplier).get("/queries/my-bales/events")).body).toMatchObject({ code: "QUERY.NOT_FOUND" });
    expect((await as(supplier).delete("/queries/my-bales")).status).toBe(404);
    expect((await as(brandOwner).get("/queries/my-bales")).status).toBe(200);
  });

  it("refuses what is not a query, saying why", async () => {
    for (const body of [
      { name: "bad name/", query: {} },
      { name: "q1", query: { EQ_colour: ["red"] } },
      { name: "q2", query: { GE_eventTime: ["yesterday"] } },
      { name: "q3", query: { perPage: ["5"] } },
      { name: "q4" },
    ]) {
      const response = await as(brandOwner).post("/queries", body);
      expect([body, response.status, (response.body as { code: string }).code]).toEqual([
        body,
        400,
        expect.stringMatching(/^QUERY\.(INVALID|PARAMETER_INVALID)$/),
      ]);
    }
    expect((await as(brandOwner).get("/queries/my-bales/events?eventType=x")).status).toBe(400);
  });
});

describe("webhook subscriptions", () => {
  let lot: string;
  let subscriptionID: string;

  beforeAll(async () => {
    lot = newLot("S");
    await as(brandOwner)
      .post("/queries", { name: "watch", query: { MATCH_anyEPCClass: [lotClass(GTIN.bales, lot)] } })
      .expect(201);
  });

  it("never go to a private or non-https address that is not allowed", async () => {
    for (const dest of [
      "http://example.com/hook",
      "https://127.0.0.1:9/hook",
      "https://10.1.2.3/hook",
      "https://[::1]/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://user:pass@example.com/hook",
    ]) {
      const response = await as(brandOwner).post("/queries/watch/subscriptions", { dest, stream: true });
      expect([dest, response.status, (response.body as { code: string }).code]).toEqual([
        dest,
        400,
        "OUTBOUND.NOT_ALLOWED",
      ]);
    }
    for (const body of [
      { dest: `${receiver.origin}/hook` },
      { dest: `${receiver.origin}/hook`, stream: true, schedule: { hour: "1" } },
      { dest: `${receiver.origin}/hook`, schedule: { hour: "25" } },
    ]) {
      const response = await as(brandOwner).post("/queries/watch/subscriptions", body);
      expect([body, response.status]).toEqual([body, 400]);
    }
  });

  it("deliver each newly recorded matching event, signed with the subscriber's token, retried when refused", async () => {
    const created = await as(brandOwner)
      .post("/queries/watch/subscriptions", { dest: `${receiver.origin}/hook`, signatureToken: "s3cret", stream: true })
      .expect(201);
    subscriptionID = (created.body as { subscriptionID: string }).subscriptionID;
    expect(created.headers.location).toBe(`/queries/watch/subscriptions/${subscriptionID}`);
    const listed = await as(brandOwner).get("/queries/watch/subscriptions").expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ subscriptionID, stream: true, signed: true })]);
    expect(JSON.stringify(listed.body)).not.toContain("s3cret");

    receiver.failures = 1;
    const before = receiver.received.length;
    const eventHash = await bales(lot);
    await bales(newLot("OTHER")); // does not match: never sent
    const delivery = await waitFor(
      "the subscription's delivery",
      () => Promise.resolve(receiver.received.slice(before).find((r) => r.body.includes(subscriptionID))),
      30_000,
    );
    expect(delivery.headers["gs1-epcis-version"]).toBe("2.0.0");
    expect(delivery.headers["gs1-cbv-version"]).toBe("2.0.0");
    const expected = `sha256=${createHmac("sha256", "s3cret").update(delivery.body).digest("hex")}`;
    expect(delivery.headers["gs1-signature"]).toBe(expected);
    expect(eventHashesIn(delivery.body)).toEqual([eventHash]);
    const results = (JSON.parse(delivery.body) as { epcisBody: { queryResults: Record<string, unknown> } }).epcisBody
      .queryResults;
    expect(results).toMatchObject({ queryName: "watch", subscriptionID });
    expect(receiver.failures).toBe(0);
  }, 60_000);

  it("can be read, ended by their owner only, and end with their query", async () => {
    expect((await as(supplier).delete(`/queries/watch/subscriptions/${subscriptionID}`)).status).toBe(404);
    expect((await as(brandOwner).get(`/queries/watch/subscriptions/${subscriptionID}`)).status).toBe(200);
    await as(brandOwner).delete(`/queries/watch/subscriptions/${subscriptionID}`).expect(204);
    expect((await as(brandOwner).get(`/queries/watch/subscriptions/${subscriptionID}`)).status).toBe(404);
    const again = await as(brandOwner)
      .post("/queries/watch/subscriptions", { dest: `${receiver.origin}/hook`, stream: true })
      .expect(201);
    await as(brandOwner).delete("/queries/watch").expect(204);
    expect((await as(brandOwner).get("/queries/watch/subscriptions")).status).toBe(404);
    const [row] = await api.runtime.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM "epcis_subscription" WHERE "id" = $1`,
      [(again.body as { subscriptionID: string }).subscriptionID],
    );
    expect(row?.n).toBe(0);
  });

  it("on a schedule, report even when nothing is new (reportIfEmpty)", async () => {
    await as(brandOwner)
      .post("/queries", { name: "nightly", query: { MATCH_anyEPCClass: [lotClass(GTIN.bales, newLot("N"))] } })
      .expect(201);
    const created = await as(brandOwner)
      .post("/queries/nightly/subscriptions", {
        dest: `${receiver.origin}/nightly`,
        schedule: { second: "[0-59]" },
        reportIfEmpty: true,
      })
      .expect(201);
    const id = (created.body as { subscriptionID: string }).subscriptionID;
    const report = await waitFor(
      "a scheduled report",
      () => Promise.resolve(receiver.received.find((r) => r.body.includes(id))),
      30_000,
    );
    expect(eventHashesIn(report.body)).toEqual([]);
    expect(report.headers["gs1-signature"]).toBeUndefined();
  }, 60_000);
});

describe("WebSocket subscriptions (GET /queries/{name}/events, Upgrade: websocket)", () => {
  const wsUrl = (path: string): string => `${api.url.replace(/^http/, "ws")}${path}`;

  /** Opens a socket; resolves with it once open, or with the HTTP status the server refused it with. */
  function connect(path: string, token?: string): Promise<WebSocket | number> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(wsUrl(path), {
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      });
      socket.once("open", () => resolve(socket));
      socket.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      socket.once("error", reject);
    });
  }

  it("streams each newly recorded matching event to the query's owner, and only to it", async () => {
    const lot = newLot("W");
    await as(brandOwner)
      .post("/queries", { name: "live", query: { MATCH_anyEPCClass: [lotClass(GTIN.bales, lot)] } })
      .expect(201);
    expect(await connect("/queries/live/events")).toBe(401);
    expect(await connect("/queries/live/events", "ctk_not_a_key")).toBe(401);
    expect(await connect("/queries/live/events", supplier.token)).toBe(404);
    expect(await connect("/elsewhere", brandOwner.token)).toBe(404);

    const socket = await connect("/queries/live/events", brandOwner.token);
    if (typeof socket === "number") throw new Error(`refused with ${String(socket)}`);
    const messages: string[] = [];
    socket.on("message", (data: Buffer) => messages.push(data.toString("utf8")));
    const eventHash = await bales(lot);
    const message = await waitFor("a streamed event", () => Promise.resolve(messages[0]), 30_000);
    expect(eventHashesIn(message)).toEqual([eventHash]);
    expect(JSON.parse(message)).toMatchObject({ type: "EPCISQueryDocument" });
    socket.close();
  }, 60_000);
});
