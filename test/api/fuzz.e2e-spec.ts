import { Agent } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Validator } from "@seriousme/openapi-schema-validator";
import fc from "fast-check";
import request from "supertest";
import { startTestApp, type TestApp } from "../support/app.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { commissioning, epcisDocument, GTIN, newLot, observation, quantity, transformation } from "../support/epcis.js";
import {
  operationsOf,
  oversizeRequestsFor,
  requestsFor,
  summarise,
  type FuzzContext,
  type FuzzRequest,
  type OpenApiDocument,
  type Operation,
} from "../support/openapi-fuzz.js";
import { capture, registerParticipant, signingDomainOf, type TestParticipant } from "../support/participants.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { tempDir } from "../support/temp.js";

/**
 * Issue 14, "every bad input is a 4xx": the app's own OpenAPI document validates against the official schema, and
 * every operation it lists is fuzzed with requests generated from its parameters and body schema (shaped values,
 * mutated ones, hostile ones; bad content types) as each caller. No answer may be a 5xx, and every 4xx must be one
 * the document declares for the operation, in a declared format: problem+json with a `code` (PACT's routes answer
 * in PACT's and OAuth's formats, which the document declares for them).
 *
 * Bounded for CI: a fixed seed (FUZZ_SEED), FUZZ_RUNS requests per operation, and at most FUZZ_OPERATION_MS of
 * generation per operation (fast-check stops early, as a pass, on a slow machine). A failure reports the shrunk
 * request and how to replay it; FUZZ_ONLY="GET /factors" fuzzes the operations whose "METHOD /path" contains it.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_114);
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const OPERATION_MS = Number(process.env.FUZZ_OPERATION_MS ?? 3_000);
const ONLY = process.env.FUZZ_ONLY;

const PROBLEM = "application/problem+json";
const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });

let postgres: TestPostgres;
let dir: Awaited<ReturnType<typeof tempDir>>;
let api: TestApp;
let document: Record<string, unknown>;
let context: FuzzContext;

beforeAll(async () => {
  postgres = await startTestPostgres();
  dir = await tempDir("fuzz");
  api = await startTestApp(
    {
      DATA_DIR: dir.path,
      DATABASE_URL: await postgres.createDatabase(),
      EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
      // The fuzzer authenticates validly or not at all; hostile Basic credentials on /auth/token must not lock the
      // other callers out for the rest of the run (the limiter has its own tests in authority.e2e-spec.ts).
      AUTH_FAILURE_LIMIT: "1000000",
    },
    { listen: true },
  );
  document = (await request(api.server).get("/docs/openapi.json").expect(200)).body as Record<string, unknown>;
  context = await fuzzContext(api);
}, 180_000);

afterAll(async () => {
  keepAlive.destroy();
  await api.stop();
  await dir.remove();
  await postgres.stop();
});

/** Values that exist on the service, so that generated requests get past "not found" into the routes' rules. */
async function fuzzContext(app: TestApp): Promise<FuzzContext> {
  const admin = { authorization: `Bearer ${app.adminKey}` };
  // Custodial: the service signs its events, so that generated capture documents reach the capture rules.
  const partner = await registerParticipant(app.server, app.adminKey, ["supplier", "recycler"], "custodial");
  const bystander = await registerParticipant(app.server, app.adminKey, ["moulder"], "custodial");
  const lot = newLot("FUZZ");
  const bales = epcisDocument([commissioning([quantity(GTIN.bales, lot, 500, "KGM")])]);
  const captured = await capture(app.server, partner, bales, await signingDomainOf(app.server));
  expect(captured.status).toBe(202);
  const job = captured.body as { captureID: string; events: Array<{ eventID: string; eventHash: string }> };
  const evidence = await request(app.server)
    .post("/evidence")
    .set("authorization", `Bearer ${partner.token}`)
    .attach("file", Buffer.from("weighbridge ticket 500 kg\n"), { filename: "ticket.txt", contentType: "text/plain" })
    .expect(201);
  const pact = await pactCredentials(app, partner);
  const factors = await request(app.server).get("/factors?limit=2").expect(200);
  const factorIds = (factors.body as { factors: Array<{ id: string }> }).factors.map((f) => f.id);
  const keys = await request(app.server).get(`/participants/${bystander.id}/api-keys`).set(admin).expect(200);
  const event = job.events[0];
  return {
    identities: {
      none: {},
      admin,
      partner: { authorization: `Bearer ${partner.token}` },
      // Not identities of their own in the issue's sense: the partner's credentials for the PACT routes.
      "partner (PACT token)": { authorization: `Bearer ${pact.token}` },
      "partner (PACT client)": { authorization: pact.basic },
    },
    known: {
      id: [partner.id, bystander.id, pact.id, ...factorIds, "1"],
      keyId: (keys.body as Array<{ id: string }>).map((key) => key.id),
      role: ["supplier", "recycler", "moulder", "certifier"],
      gtin: [GTIN.bales, GTIN.pellets, GTIN.bales.slice(1)],
      lot: [lot],
      file: [`${lot}.svg`, `${lot}.png`],
      captureID: [job.captureID],
      eventID: event === undefined ? [] : [event.eventID, event.eventHash],
      cid: [(evidence.body as { cid: string }).cid],
      version: ["1"],
      libraryVersion: ["1"],
    },
    seeds: {
      CaptureController_post: [
        bales,
        epcisDocument([observation("shipping", [quantity(GTIN.bales, lot, 10, "KGM")])]),
        epcisDocument([
          transformation([quantity(GTIN.bales, lot, 10, "KGM")], [quantity(GTIN.pellets, newLot("P"), 9, "KGM")], {
            "ct:process": "recycling",
            "ct:activity": { electricity: [{ kWh: 12, gridRegion: "CN" }] },
          }),
        ]),
      ],
    },
  };
}

async function pactCredentials(
  app: TestApp,
  partner: TestParticipant,
): Promise<{ id: string; basic: string; token: string }> {
  const created = await request(app.server)
    .post("/pact/clients")
    .set("authorization", `Bearer ${partner.token}`)
    .send({ name: "fuzz" })
    .expect(201);
  const client = created.body as { id: string; clientId: string; clientSecret: string };
  const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;
  const token = await request(app.server)
    .post("/auth/token")
    .set("authorization", basic)
    .type("form")
    .send({ grant_type: "client_credentials" })
    .expect(200);
  return { id: client.id, basic, token: (token.body as { access_token: string }).access_token };
}

/** The callers of an operation: everyone, plus the partner's PACT credentials where PACT's routes take them. */
function contextFor(operation: Operation): FuzzContext {
  const { "partner (PACT token)": token, "partner (PACT client)": basic, ...identities } = context.identities;
  const pact: Record<string, Readonly<Record<string, string>>> = {};
  if (operation.path.startsWith("/3/") && token !== undefined) pact["partner (PACT token)"] = token;
  if (operation.path === "/auth/token" && basic !== undefined) pact["partner (PACT client)"] = basic;
  return { ...context, identities: { ...identities, ...pact } };
}

async function send(r: FuzzRequest): Promise<request.Response> {
  const method = r.method as "get" | "post" | "put" | "delete" | "options" | "patch";
  // Over one listening socket with keep-alive: supertest given the bare server would listen and close it again for
  // every request, which is most of the run's time and not what a client does.
  let test = request(api.url)[method](r.url).agent(keepAlive).timeout(30_000);
  for (const [name, value] of Object.entries(r.headers)) test = test.set(name, value);
  if (r.body !== undefined) test = test.send(r.body);
  return await test;
}

/** What is wrong with an answer, or undefined: a 5xx, or a 4xx the document does not declare as sent. */
function verdict(operation: Operation, response: request.Response): string | undefined {
  const { status } = response;
  if (status >= 500) return `answered ${String(status)}: ${response.text.slice(0, 500)}`;
  if (status < 400) return undefined;
  const declared = operation.responses[String(status)];
  if (declared === undefined)
    return `answered ${String(status)}, which is not declared: ${response.text.slice(0, 300)}`;
  const contentType: string | undefined = response.headers["content-type"];
  const type = contentType?.split(";")[0]?.trim() ?? "";
  const media = declared.content?.[type];
  if (media === undefined) {
    return `answered ${String(status)} as "${type}"; declared: ${Object.keys(declared.content ?? {}).join(", ")}`;
  }
  if (type === "text/html") return undefined;
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return `answered ${String(status)} as ${type} that is not JSON: ${response.text.slice(0, 200)}`;
  }
  const missing = (media.schema?.required ?? []).filter(
    (member) => typeof body !== "object" || body === null || !(member in body),
  );
  if (missing.length > 0)
    return `answered ${String(status)} without ${missing.join(", ")}: ${response.text.slice(0, 300)}`;
  const problem = body as { status?: unknown; code?: unknown };
  if (type === PROBLEM && (problem.status !== status || typeof problem.code !== "string" || problem.code === "")) {
    return `answered ${String(status)} with a problem without its status or a code: ${response.text.slice(0, 300)}`;
  }
  return undefined;
}

function codeOf(response: request.Response): string {
  const body = response.body as { code?: unknown; error?: unknown } | undefined;
  const code = body?.code ?? body?.error;
  return typeof code === "string" ? code : "";
}

/** A stable per-operation seed: adding an operation does not change what the others are sent. */
function seedOf(operation: Operation): number {
  let hash = SEED;
  for (const char of `${operation.method} ${operation.path}`) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

interface Outcome {
  readonly operation: string;
  readonly runs: number;
  readonly ms: number;
  /**
   * How many answers of each status (and problem code): shows how deep the run got, e.g. a route that never
   * answered 2xx was barely reached. Printed with FUZZ_VERBOSE.
   */
  readonly statuses: Readonly<Record<string, number>>;
  readonly failure?: string;
}

async function fuzz(operation: Operation): Promise<Outcome> {
  const name = `${operation.method.toUpperCase()} ${operation.path}`;
  const started = Date.now();
  const seed = seedOf(operation);
  const statuses: Record<string, number> = {};
  const details = await fc.check(
    fc.asyncProperty(requestsFor(operation, contextFor(operation)), async (r) => {
      const response = await send(r);
      const key = `${String(response.status)} ${codeOf(response)}`.trim();
      statuses[key] = (statuses[key] ?? 0) + 1;
      const problem = verdict(operation, response);
      if (problem !== undefined) throw new Error(problem);
    }),
    { seed, numRuns: RUNS, plugins: [fc.interruptAfterTimeLimit(OPERATION_MS)] },
  );
  const ms = Date.now() - started;
  if (!details.failed || details.counterexample === null) {
    return { operation: name, runs: details.numRuns, ms, statuses };
  }
  const [counterexample] = details.counterexample as [FuzzRequest];
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  return {
    operation: name,
    runs: details.numRuns,
    ms,
    statuses,
    failure:
      `${name}: ${error}\n  shrunk request (${String(details.numShrinks)} shrinks): ` +
      `${JSON.stringify(summarise(counterexample), null, 2)}\n  replay: FUZZ_SEED=${String(SEED)} FUZZ_ONLY="${name}" ` +
      `(seed ${String(seed)}, path ${details.counterexamplePath})`,
  };
}

/** The service's OpenAPI document with every $ref resolved, as the fuzzer reads it. */
async function resolvedDocument(): Promise<OpenApiDocument> {
  const validator = new Validator();
  await validator.validate(structuredClone(document));
  return validator.resolveRefs() as unknown as OpenApiDocument;
}

/** Destructive operations last, so that revoking keys or roles does not blunt the rest of the run. */
function fuzzOrder(operations: Operation[]): Operation[] {
  const chosen = operations.filter((o) => ONLY === undefined || `${o.method.toUpperCase()} ${o.path}`.includes(ONLY));
  return [...chosen.filter((o) => o.method !== "delete"), ...chosen.filter((o) => o.method === "delete")];
}

describe("the OpenAPI document", () => {
  it("validates against the official OpenAPI schema of the version it declares", async () => {
    const validator = new Validator({ allErrors: true });
    const result = await validator.validate(structuredClone(document));
    expect({ version: document.openapi, errors: result.errors ?? [] }).toEqual({ version: "3.0.3", errors: [] });
  });

  it("declares a string (not an object) wherever it says nullable", () => {
    const bare: string[] = [];
    const walk = (value: unknown, path: string): void => {
      if (typeof value !== "object" || value === null) return;
      const schema = value as Record<string, unknown>;
      const shapeless = schema.properties === undefined && schema.additionalProperties === undefined;
      if (schema.nullable === true && (schema.type === undefined || (schema.type === "object" && shapeless))) {
        bare.push(path);
      }
      for (const [key, child] of Object.entries(schema)) walk(child, `${path}/${key}`);
    };
    walk(document, "#");
    expect(bare).toEqual([]);
  });

  it("declares problem+json for the 4xx answers of every operation, and server errors as `default`", () => {
    const operations = operationsOf(document as unknown as OpenApiDocument);
    const missing = operations.flatMap((operation) =>
      ["400", "401", "429", "default"]
        .filter((status) => operation.responses[status]?.content?.[PROBLEM] === undefined)
        .map((status) => `${operation.method} ${operation.path} ${status}`),
    );
    expect(missing).toEqual([]);
    expect(operations.length).toBeGreaterThan(50);
  });
});

describe("fuzzing every operation", () => {
  it("answers a body past every limit with 413, as declared, on every operation that takes one", async () => {
    const operations = operationsOf(await resolvedDocument());
    const problems: string[] = [];
    let sent = 0;
    for (const operation of operations) {
      for (const r of oversizeRequestsFor(operation, contextFor(operation), "partner")) {
        sent++;
        const response = await send(r);
        const problem = response.status === 413 ? verdict(operation, response) : `answered ${String(response.status)}`;
        if (problem !== undefined)
          problems.push(`${r.method.toUpperCase()} ${r.url} as ${String(r.headers["content-type"])}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThan(20);
  }, 300_000);

  it("never answers 5xx, and answers every 4xx as declared", async () => {
    const resolved = await resolvedDocument();
    // No operation is skipped: each one is sent requests, however few answers get past authentication.
    const outcomes: Outcome[] = [];
    for (const operation of fuzzOrder(operationsOf(resolved))) outcomes.push(await fuzz(operation));
    const slowest = [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 5);
    console.info(
      `fuzzed ${String(outcomes.length)} operations, ${String(outcomes.reduce((n, o) => n + o.runs, 0))} requests ` +
        `(seed ${String(SEED)}); slowest: ${slowest.map((o) => `${o.operation} ${String(o.runs)} in ${String(o.ms)} ms`).join("; ")}`,
    );
    if (process.env.FUZZ_VERBOSE !== undefined) {
      console.info(
        outcomes.map((o) => `${o.operation}: ${JSON.stringify(o.statuses)} in ${String(o.ms)} ms`).join("\n"),
      );
    }
    const failures = outcomes.flatMap((outcome) => (outcome.failure === undefined ? [] : [outcome.failure]));
    if (failures.length > 0)
      throw new Error(`${String(failures.length)} operations failed:\n\n${failures.join("\n\n")}`);
    expect(outcomes.length).toBeGreaterThan(ONLY === undefined ? 50 : 0);
  }, 600_000);

  it("still answers after all of it", async () => {
    await request(api.server).get("/health").expect(200);
  });
});
