import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import { promisify } from "node:util";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "@jest/globals";
import { epcisSchemaForTests } from "../support/conformance.js";
import { emptyDataDir, initialisedDataDirs } from "../support/data-dirs.js";
import { registerParticipant } from "../support/participants.js";
import {
  alive,
  freeServicePort,
  logged,
  queryEmbeddedDatabase,
  recordedChildPids,
  spawnService,
  waitHealthy,
  type ServiceProcess,
} from "../support/service.js";
import { tempDir } from "../support/temp.js";
import { waitFor } from "../support/waits.js";

const execFileAsync = promisify(execFile);

/** GET over HTTPS trusting one certificate (fetch cannot take a CA per request). */
function httpsGet(url: string, ca: Buffer): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ca }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString(),
          headers: response.headers,
        }),
      );
    });
    request.on("error", reject);
  });
}

const running: ServiceProcess[] = [];
const dirs: Array<{ remove: () => Promise<void> }> = [];
const initialised = initialisedDataDirs();
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.destroy()));
  await Promise.all(dirs.splice(0).map((d) => d.remove()));
});
afterAll(() => initialised.remove());

function freshDataDir(): Promise<string> {
  return emptyDataDir("service", dirs);
}

/** For what a service does on a later start: a copy of a DATA_DIR a first start made (test/support/data-dirs.ts). */
function initialisedDataDir(): Promise<string> {
  return initialised.copy("service");
}

async function start(
  dataDir: string,
  extra: Record<string, string> = {},
  options: { group?: boolean } = {},
): Promise<ServiceProcess> {
  const service = spawnService(
    {
      PORT: String(await freeServicePort()),
      DATA_DIR: dataDir,
      EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
      ...extra,
    },
    options,
  );
  running.push(service);
  return service;
}

/** Requests in a loop over four keep-alive connections, recording every status (a refused connection is none). */
function keepAliveLoad(url: string): { statuses: number[]; stop: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const statuses: number[] = [];
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      await new Promise<void>((resolve) => {
        const request = http.get(url, { agent }, (response) => {
          statuses.push(response.statusCode ?? 0);
          response.resume();
          response.on("end", resolve);
        });
        request.on("error", () => setTimeout(resolve, 20));
      });
    }
  };
  for (let i = 0; i < 4; i += 1) void loop();
  return {
    statuses,
    stop: () => {
      running = false;
      agent.destroy();
    },
  };
}

async function childPids(dataDir: string): Promise<number[]> {
  const pids = await recordedChildPids(dataDir);
  expect(pids).toHaveLength(2);
  return pids;
}

const ROWS_SQL = `SELECT chain_id, name, address, deploy_tx_hash, deploy_block, created_at FROM chain_contract ORDER BY name`;

describe("npm start (the built service in its own process)", () => {
  it("comes up healthy on a fresh DATA_DIR, stops cleanly, and restarts onto the same contracts, rows and chain", async () => {
    const dataDir = await freshDataDir();
    const first = await start(dataDir);
    const before = await waitHealthy(first, 60_000);
    // The bundle (dist/service) carries its hashing worker: capture runs off the event loop as designed.
    expect(logged(first, "CarbonTrace is serving")?.hashingThreads).toBeGreaterThanOrEqual(1);
    const rowsBefore = await queryEmbeddedDatabase(first, dataDir, ROWS_SQL);
    const migrationsBefore = await queryEmbeddedDatabase(first, dataDir, "SELECT * FROM typeorm_migration");
    expect(rowsBefore).toHaveLength(2);
    const pids = await childPids(dataDir);

    expect(await first.stop("SIGTERM")).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(existsSync(join(dataDir, "chain", "state.json"))).toBe(true);
    expect(existsSync(join(dataDir, "carbontrace.pid"))).toBe(false);

    const second = await start(dataDir);
    const after = await waitHealthy(second, 60_000);
    expect(after.chain.contracts).toEqual(before.chain.contracts);
    expect(after.chain.block).toBe(before.chain.block);
    expect(await queryEmbeddedDatabase(second, dataDir, ROWS_SQL)).toEqual(rowsBefore);
    expect(await queryEmbeddedDatabase(second, dataDir, "SELECT * FROM typeorm_migration")).toEqual(migrationsBefore);
    expect(second.logs.some((l) => l.message === "using recorded contracts")).toBe(true);
    expect(await second.stop("SIGINT")).toBe(0);
  }, 150_000);

  it("runs two instances side by side with different PORT and DATA_DIR", async () => {
    const [a, b] = await Promise.all([initialisedDataDir(), initialisedDataDir()]);
    const [first, second] = await Promise.all([start(a), start(b)]);
    const [healthA, healthB] = await Promise.all([waitHealthy(first), waitHealthy(second)]);
    expect(healthA.status).toBe("ok");
    expect(healthB.status).toBe("ok");
    expect(await Promise.all([first.stop(), second.stop()])).toEqual([0, 0]);
  }, 150_000);

  it("refuses a DATA_DIR another instance is using", async () => {
    const dataDir = await initialisedDataDir();
    const first = await start(dataDir);
    await waitHealthy(first);
    const second = await start(dataDir);
    expect(await second.exited).toBe(1);
    expect(second.logs.find((l) => l.message === "failed to start")).toMatchObject({ code: "RUNTIME.DATA_DIR_IN_USE" });
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    expect(await first.stop()).toBe(0);
  }, 150_000);

  it("stops in order under keep-alive load, also on Ctrl-C to the whole process group: no 5xx, exit 0", async () => {
    const dataDir = await initialisedDataDir();
    const service = await start(dataDir, {}, { group: true });
    await waitHealthy(service);
    const engines = await childPids(dataDir);
    const load = keepAliveLoad(`${service.url}/factors/versions`);
    await waitFor("the load to be served", () => Promise.resolve(load.statuses.length > 20 ? true : undefined));
    // What a terminal sends on Ctrl-C: SIGINT to every process of the foreground group.
    process.kill(-(service.child.pid ?? 0), "SIGINT");
    const started = Date.now();
    expect(await service.exited).toBe(0);
    load.stop();
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(load.statuses.filter((status) => status >= 500)).toEqual([]);
    for (const pid of engines) expect(alive(pid)).toBe(false);
    const order = service.logs.map((line) => String(line.message));
    expect(order.indexOf("embedded anvil stopped, state written")).toBeGreaterThan(order.indexOf("shutting down"));
    expect(existsSync(join(dataDir, "chain", "state.json"))).toBe(true);
  }, 150_000);

  it("stops in order after whatever read its log has gone (a closed pipe): exit 0, database and chain stopped", async () => {
    const dataDir = await initialisedDataDir();
    const service = await start(dataDir);
    await waitHealthy(service);
    const engines = await childPids(dataDir);
    // The reading end goes, as when a log collector, `| tee` or the bench that started the service dies first.
    service.child.stdout?.destroy();
    service.child.stderr?.destroy();
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
    expect(await service.stop("SIGTERM")).toBe(0);
    for (const pid of engines) expect(alive(pid)).toBe(false);
    expect(existsSync(join(dataDir, "carbontrace.pid"))).toBe(false);
  }, 150_000);

  it("starts the embedded PostgreSQL and chain again when they die, without a hand", async () => {
    const dataDir = await initialisedDataDir();
    const service = await start(dataDir);
    await waitHealthy(service);
    for (const pid of await childPids(dataDir)) process.kill(pid, "SIGKILL");
    await waitFor("a part to be reported failing", async () => {
      const health = (await (await fetch(`${service.url}/health`)).json()) as { status: string };
      return health.status === "failing" ? true : undefined;
    });
    const back = await waitHealthy(service, 60_000);
    expect(back.status).toBe("ok");
    expect(service.logs.some((l) => l.message === "embedded PostgreSQL is back")).toBe(true);
    expect(service.logs.some((l) => l.message === "embedded anvil is back")).toBe(true);
    expect(await service.stop()).toBe(0);
  }, 150_000);

  it("recovers after being killed hard: stops the orphaned database and chain, then serves again", async () => {
    const dataDir = await initialisedDataDir();
    const first = await start(dataDir);
    const before = await waitHealthy(first);
    const orphans = await childPids(dataDir);
    await first.stop("SIGKILL");
    for (const pid of orphans) expect(alive(pid)).toBe(true);

    const second = await start(dataDir);
    const after = await waitHealthy(second);
    for (const pid of orphans) expect(alive(pid)).toBe(false);
    expect(after.chain.contracts).toEqual(before.chain.contracts);
    expect(await second.stop()).toBe(0);
  }, 150_000);

  it("serves HTTPS only when given a certificate: plain HTTP on the same port gets no answer", async () => {
    const dir = await tempDir("tls");
    dirs.push(dir);
    const cert = join(dir.path, "cert.pem");
    const key = join(dir.path, "key.pem");
    await execFileAsync("openssl", [
      ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"],
      ...["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
    ]);
    const service = await start(await initialisedDataDir(), { TLS_CERT_FILE: cert, TLS_KEY_FILE: key });
    const ca = await readFile(cert);
    const health = await waitFor(
      "HTTPS /health",
      async () => {
        const answer = await httpsGet(`${service.url.replace("http:", "https:")}/health`, ca).catch(() => undefined);
        return answer?.status === 200 ? answer : undefined;
      },
      60_000,
      250,
    );
    expect(JSON.parse(health.body)).toMatchObject({ status: "ok" });
    // Under TLS every answer tells browsers to keep to HTTPS.
    expect(health.headers["strict-transport-security"]).toMatch(/^max-age=\d+; includeSubDomains$/);
    expect(logged(service, "CarbonTrace is serving")?.url).toMatch(/^https:\/\//);
    // A token request in clear text never reaches the application (PACT: HTTPS only, no redirect).
    await expect(
      fetch(`${service.url}/auth/token`, { method: "POST", body: "grant_type=client_credentials" }),
    ).rejects.toThrow();
    expect(await service.stop()).toBe(0);
  }, 150_000);

  it("checks EPCIS XML against the XSDs in EPCIS_XML_SCHEMA (xmllint's worker comes with the build)", async () => {
    // Our own two-line schemas, for any machine: GS1's XSDs are not in the repository (xml-capture.e2e-spec.ts uses
    // them when they sit beside it). These declare an EPCIS document that must hold an element no document has.
    const xsd = await tempDir("xsd");
    dirs.push(xsd);
    const schema = (root: string): string =>
      `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:epcglobal:epcis:xsd:2">` +
      `<xs:element name="${root}"><xs:complexType><xs:sequence><xs:element name="NoSuchElement"/></xs:sequence>` +
      `<xs:anyAttribute processContents="skip"/></xs:complexType></xs:element></xs:schema>`;
    await writeFile(join(xsd.path, "EPCglobal-epcis-2_0.xsd"), schema("EPCISDocument"));
    await writeFile(join(xsd.path, "EPCglobal-epcis-query-2_0.xsd"), schema("EPCISQueryDocument"));
    const adminKey = `cta_${randomBytes(32).toString("base64url")}`;
    const service = await start(await initialisedDataDir(), { EPCIS_XML_SCHEMA: xsd.path, ADMIN_API_KEY: adminKey });
    const health = await waitHealthy(service);
    expect(JSON.stringify(health)).toContain("GS1's XSDs");
    const partner = await registerParticipant(service.url, adminKey, ["supplier"]);
    const response = await fetch(`${service.url}/capture`, {
      method: "POST",
      headers: { authorization: `Bearer ${partner.token}`, "content-type": "application/xml" },
      body:
        `<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" ` +
        `creationDate="2026-11-01T08:00:00.000Z"><EPCISBody><EventList/></EPCISBody>` +
        `</epcis:EPCISDocument>`,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe("EPCIS.XML_SCHEMA_INVALID");
    expect(await service.stop()).toBe(0);
  }, 150_000);

  it("refuses to boot on bad configuration and lists every bad key", async () => {
    const dataDir = await freshDataDir();
    const service = spawnService({
      PORT: "eighty",
      DATA_DIR: dataDir,
      LOG_LEVEL: "loud",
      RPC_URL: "http://127.0.0.1:1",
    });
    running.push(service);
    expect(await service.exited).toBe(78);
    const text = service.logs.map((l) => String(l.message)).join("\n");
    for (const key of ["PORT", "LOG_LEVEL", "CHAIN_PRIVATE_KEY", "TRACE_LEDGER_ADDRESS", "OFFSET_REGISTRY_ADDRESS"]) {
      expect(text).toContain(`${key}:`);
    }
    expect(existsSync(dataDir)).toBe(false);
  }, 30_000);
});
