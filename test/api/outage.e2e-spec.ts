import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { silentLogger } from "#common";
import type { SigningDomain } from "#proof";
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from "#runtime";
import { signalTree } from "../../scripts/faults/service.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { commissioning, epcisDocument, GTIN, newLot, quantity } from "../support/epcis.js";
import { capture, registerParticipant, signingDomainOf, type TestParticipant } from "../support/participants.js";
import { tempDir } from "../support/temp.js";
import { waitFor } from "../support/waits.js";

/**
 * PostgreSQL going away under a running service (issue 15): callers get 503 with Retry-After and the part named,
 * never a 500 and never a hang; /health says so; once the database is back, so is the service, without a hand.
 */
let dir: Awaited<ReturnType<typeof tempDir>>;
let postgres: EmbeddedPostgresServer;
let api: TestApp;
let domain: SigningDomain;
let supplier: TestParticipant;

const clusterDir = (): string => join(dir.path, "postgres");

function startPostgres(port = 0): Promise<EmbeddedPostgresServer> {
  return startEmbeddedPostgres({
    dir: clusterDir(),
    passwordFile: join(dir.path, "keys", "postgres.password"),
    port,
    log: silentLogger,
  });
}

async function postmasterPid(): Promise<number> {
  const content = await readFile(join(clusterDir(), "postmaster.pid"), "utf8");
  return Number.parseInt(content.split("\n")[0] ?? "", 10);
}

/** The postmaster and every process below it (backends, checkpointer, WAL writer…). */
async function signalCluster(name: NodeJS.Signals): Promise<void> {
  await signalTree(await postmasterPid(), name);
}

const bales = () =>
  epcisDocument([commissioning([quantity(GTIN.bales, newLot("B"), 10, "KGM")], { "ct:process": "baling" })]);

beforeAll(async () => {
  dir = await tempDir("outage");
  postgres = await startPostgres();
  api = await startTestApp({
    DATA_DIR: join(dir.path, "data"),
    DATABASE_URL: postgres.url,
    EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
  });
  domain = await signingDomainOf(api.server);
  supplier = await registerParticipant(api.server, api.adminKey, ["supplier"]);
}, 120_000);

afterAll(async () => {
  await api.stop();
  await postgres.stop();
  await dir.remove();
});

describe("PostgreSQL outages", () => {
  it("answers 503 with Retry-After while the database is down, and serves again once its supervisor restarted it", async () => {
    expect((await capture(api.server, supplier, bales(), domain)).status).toBe(202);
    await signalCluster("SIGKILL");

    const refused = await capture(api.server, supplier, bales(), domain);
    expect([refused.status, (refused.body as { code: string }).code]).toEqual([503, "DATABASE.UNAVAILABLE"]);
    expect(refused.headers["retry-after"]).toBe("5");
    expect(refused.body).toMatchObject({ part: "database" });
    const lot = await request(api.server).get(`/lots/${GTIN.bales}/ANY1`);
    expect(lot.status).toBe(503);
    const health = await request(api.server).get("/health");
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: "failing", database: { status: "failing" } });

    const back = await waitFor("the service to capture again", async () => {
      const response = await capture(api.server, supplier, bales(), domain);
      return response.status === 202 ? response : undefined;
    });
    expect(back.status).toBe(202);
    expect((await request(api.server).get("/health")).body).toMatchObject({ database: { status: "ok" } });
    expect(postgres.liveness()).toMatchObject({ running: true, restarts: 1 });
  }, 120_000);

  it("gives up on a frozen database within its deadlines instead of hanging the caller", async () => {
    await signalCluster("SIGSTOP");
    try {
      const started = Date.now();
      const [stalled, health] = await Promise.all([
        capture(api.server, supplier, bales(), domain),
        request(api.server).get("/health"),
      ]);
      expect([stalled.status, (stalled.body as { code: string }).code]).toEqual([
        503,
        expect.stringMatching(/^DATABASE\.(TIMEOUT|UNAVAILABLE)$/),
      ]);
      // The query deadline is 20 s; the connection deadline 5 s.
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ database: { status: "failing" } });
    } finally {
      await signalCluster("SIGCONT");
    }
    await waitFor("the service to capture again", async () => {
      const response = await capture(api.server, supplier, bales(), domain);
      return response.status === 202 ? response : undefined;
    });
  }, 120_000);
});
