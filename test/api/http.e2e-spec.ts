import { createHash } from "node:crypto";
import { Agent, get as httpGet } from "node:http";
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { startTestApp, type TestApp } from "../support/app.js";
import { startTestChain, deployTestLedger, ANVIL_DEV_KEY, type TestChain } from "../support/anvil.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import {
  KUBO_RPC_DAEMON_START_TIMEOUT_MS,
  startKuboRpcDaemon,
  type KuboRpcDaemon,
} from "../support/kubo-rpc-daemon.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { tempDir } from "../support/temp.js";

const PROBLEM = /^application\/problem\+json/;

interface OnTheWire {
  readonly encoding?: string;
  readonly cacheControl?: string;
  readonly vary?: string;
  readonly bytes: Buffer;
}

/** What goes over the wire (fetch and supertest would decompress it): a plain request, its bytes as they arrive. */
function rawGet(base: string, path: string, encoding: string | undefined): Promise<OnTheWire> {
  return new Promise((resolve, reject) => {
    const sent = httpGet(
      `${base}${path}`,
      { headers: encoding === undefined ? {} : { "accept-encoding": encoding } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.once("end", () =>
          resolve({
            encoding: answer.headers["content-encoding"],
            cacheControl: answer.headers["cache-control"],
            vary: answer.headers.vary,
            bytes: Buffer.concat(chunks),
          }),
        );
      },
    );
    sent.once("error", reject);
  });
}

describe("API on embedded chain and IPFS (PostgreSQL at DATABASE_URL)", () => {
  let postgres: TestPostgres;
  let api: TestApp;
  let dataDir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    postgres = await startTestPostgres();
    dataDir = await tempDir("api");
    api = await startTestApp(
      {
        DATA_DIR: dataDir.path,
        DATABASE_URL: await postgres.createDatabase(),
        EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
      },
      { listen: true },
    );
  }, 120_000);
  afterAll(async () => {
    await api.stop();
    await postgres.stop();
    await dataDir.remove();
  });

  it("GET /health reports database, chain and IPFS as ok", async () => {
    const response = await request(api.server).get("/health").expect(200);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.body).toMatchObject({
      status: "ok",
      database: { status: "ok", detail: "PostgreSQL at DATABASE_URL", version: expect.stringMatching(/^17\./) },
      chain: {
        status: "ok",
        detail: "embedded anvil",
        chainId: "31337",
        block: expect.any(Number),
        contracts: {
          TraceLedger: { address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/), deployed: true },
          OffsetRegistry: { address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/), deployed: true },
        },
      },
      ipfs: { status: "ok", kind: "embedded" },
      epcis: { status: "ok" },
    });
  });

  it("serves Swagger UI at /docs and the OpenAPI document beside it, without third-party assets", async () => {
    const ui = await request(api.server).get("/docs").redirects(1).expect(200);
    expect(ui.headers["content-type"]).toMatch(/text\/html/);
    expect(ui.text).not.toMatch(/https?:\/\/(?!localhost)[a-z0-9.-]+\/[^"']*\.(js|css)/i);
    const doc = await request(api.server).get("/docs/openapi.json").expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.info.title).toBe("CarbonTrace API");
    expect(Object.keys(doc.body.paths as Record<string, unknown>)).toContain("/health");
  });

  it("answers an unknown route with a problem+json 404", async () => {
    const response = await request(api.server).get("/nowhere").expect(404);
    expect(response.headers["content-type"]).toMatch(PROBLEM);
    expect(response.body).toEqual({
      type: "tag:carbontrace.org,2026:problem:HTTP.NOT_FOUND",
      title: "Not Found",
      status: 404,
      detail: "No route for GET /nowhere",
      code: "HTTP.NOT_FOUND",
      instance: "/nowhere",
    });
  });

  it("answers malformed JSON with a problem+json 400", async () => {
    const response = await request(api.server)
      .post("/health")
      .set("content-type", "application/json")
      .send('{"half":')
      .expect(400);
    expect(response.headers["content-type"]).toMatch(PROBLEM);
    expect(response.body.code).toBe("REQUEST.MALFORMED_JSON");
  });

  it("answers an oversized body with a problem+json 413", async () => {
    const response = await request(api.server)
      .post("/health")
      .set("content-type", "application/json")
      .send(JSON.stringify({ blob: "x".repeat(4 * 1024 * 1024 + 1) }))
      .expect(413);
    expect(response.headers["content-type"]).toMatch(PROBLEM);
    expect(response.body).toMatchObject({ code: "REQUEST.TOO_LARGE", limit: 4 * 1024 * 1024 });
  });

  it("keeps an idle keep-alive connection open longer than clients keep theirs (no 'other side closed')", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const socketOf = (): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const sent = httpGet(`${api.url}/health`, { agent }, (response) => {
          response.resume();
          response.once("end", () => resolve(sent.socket as Socket));
        });
        sent.once("error", reject);
      });
    const first = await socketOf();
    // Longer than Node's default server keep-alive (5 s) and undici's client keep-alive (4 s).
    await sleep(6_000);
    const second = await socketOf();
    expect(second).toBe(first);
    agent.destroy();
  }, 30_000);

  it("compresses pages, scripts and JSON with brotli or gzip as the client accepts, and nothing for a client that does not", async () => {
    const raw = (path: string, encoding: string | undefined): Promise<OnTheWire> => rawGet(api.url, path, encoding);
    const plain = await raw("/docs/openapi.json", undefined);
    expect(plain.encoding).toBeUndefined();
    const br = await raw("/docs/openapi.json", "gzip, deflate, br");
    expect(br.encoding).toBe("br");
    expect(brotliDecompressSync(br.bytes).equals(plain.bytes)).toBe(true);
    expect(br.bytes.length).toBeLessThan(plain.bytes.length / 4);
    const gzip = await raw("/assets/journey.js", "gzip");
    expect(gzip.encoding).toBe("gzip");
    expect(gunzipSync(gzip.bytes).length).toBeGreaterThan(gzip.bytes.length * 2);
  });

  it("serves the page's assets under content-hashed names, precompressed, cacheable for a year", async () => {
    // The name carries the first 16 hex digits of the content's SHA-256.
    const plain = await request(api.server).get("/assets/journey.js").set("accept-encoding", "identity").expect(200);
    expect(plain.headers["cache-control"]).toBe("public, max-age=300");
    const script = `/assets/journey.${createHash("sha256").update(plain.text).digest("hex").slice(0, 16)}.js`;
    const page = await request(api.server).get("/01/09521234000013/10/NOPE").set("accept", "text/html");
    const style = /<link rel="stylesheet" href="(\/assets\/journey\.[0-9a-f]{16}\.css)">/.exec(page.text)?.[1];
    expect(style).toBeDefined();
    const hashed = await rawGet(api.url, script, "br");
    expect(hashed.encoding).toBe("br");
    expect(hashed.cacheControl).toBe("public, max-age=31536000, immutable");
    expect(hashed.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(hashed.bytes).toString()).toBe(plain.text);
    await request(api.server)
      .get(style ?? "")
      .expect(200)
      .expect("content-type", /text\/css/);
    const stale = (await request(api.server).get("/assets/journey.0000000000000000.js").expect(404)).body as {
      code: string;
    };
    expect(stale.code).toBe("LABEL.ASSET_NOT_FOUND");
  });

  it("does not announce its framework", async () => {
    const response = await request(api.server).get("/health");
    expect(response.headers["x-powered-by"]).toBeUndefined();
  });
});

describe("API on external engines (DATABASE_URL, RPC_URL, IPFS_API_URL)", () => {
  let postgres: TestPostgres;
  let chain: TestChain;
  let kubo: KuboRpcDaemon;
  let api: TestApp;

  /** What to undo after the file, last started first: whatever did start, also when something else did not. */
  const started: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    // Each engine is kept as soon as it is up, and every start is waited for before a failure is reported, so that
    // a Kubo daemon that cannot start (its install failed) leaves no PostgreSQL database or anvil running.
    const outcomes = await Promise.allSettled([
      startTestPostgres().then((engine) => {
        postgres = engine;
        started.push(() => engine.stop());
      }),
      startTestChain().then((engine) => {
        chain = engine;
        started.push(() => engine.stop().catch(() => undefined)); // the chain test stops its anvil itself
      }),
      startKuboRpcDaemon().then((engine) => {
        kubo = engine;
        started.push(() => engine.stop());
      }),
    ]);
    for (const outcome of outcomes) if (outcome.status === "rejected") throw outcome.reason;
    const ledger = await deployTestLedger(chain.chain);
    const dir = await tempDir("api-external");
    started.push(() => dir.remove());
    api = await startTestApp({
      DATA_DIR: dir.path,
      DATABASE_URL: await postgres.createDatabase(),
      RPC_URL: chain.anvil.rpcUrl,
      CHAIN_PRIVATE_KEY: ANVIL_DEV_KEY,
      TRACE_LEDGER_ADDRESS: ledger.addresses.TraceLedger,
      OFFSET_REGISTRY_ADDRESS: ledger.addresses.OffsetRegistry,
      IPFS_API_URL: kubo.apiUrl,
      EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
    });
    started.push(() => api.stop());
  }, KUBO_RPC_DAEMON_START_TIMEOUT_MS); // the first run installs js-ipfs (test/support/kubo-rpc-daemon.ts)
  afterAll(async () => {
    for (const undo of started.reverse()) await undo();
  });

  it("uses the configured engines and embeds nothing", async () => {
    expect(api.runtime.embedded).toEqual({ postgres: false, chain: false, ipfs: false });
    const response = await request(api.server).get("/health").expect(200);
    expect(response.body).toMatchObject({
      status: "ok",
      chain: { status: "ok", detail: "chain at RPC_URL" },
      ipfs: { status: "ok", kind: "kubo", detail: expect.stringContaining(kubo.apiUrl) },
    });
  });

  it("reports 503 with the failing component when the chain goes away", async () => {
    await chain.anvil.stop();
    const response = await request(api.server).get("/health").expect(503);
    expect(response.body).toMatchObject({
      status: "failing",
      database: { status: "ok" },
      chain: { status: "failing" },
      ipfs: { status: "ok" },
    });
  }, 30_000);
});
