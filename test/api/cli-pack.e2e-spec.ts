import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { eventHashesOfDocument } from "#epcis";
import type { ProofBundle, SigningDomain } from "#proof";
import { startTestApp, type TestApp } from "../support/app.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { commissioning, epcisDocument, GTIN, newLot, quantity } from "../support/epcis.js";
import { capture, registerParticipant, signingDomainOf, type TestParticipant } from "../support/participants.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { ROOT } from "../support/service.js";
import { tempDir } from "../support/temp.js";
import { waitFor } from "../support/waits.js";

/**
 * `npm run pack:cli` gives a package a partner installs without the repository: this packs it, installs the
 * tarball into an empty folder with Node 20 and its npm (the oldest Node the package claims), and runs the
 * installed `carbontrace` and SDK there against a real service, ledger and proof bundle.
 */

/** A Node 20 binary with its npm beside it (Debian/NodeSource layout: bin/node, lib/node_modules/npm). */
const NODE20 = process.env.CARBONTRACE_NODE20 ?? "/usr/bin/node";
const NPM_CLI = join(
  dirname(existsSync(NODE20) ? realpathSync(NODE20) : NODE20),
  "../lib/node_modules/npm/bin/npm-cli.js",
);
if (!existsSync(NODE20) || !existsSync(NPM_CLI)) {
  throw new Error(
    `this test installs the package with Node 20 and its npm: none at ${NODE20} (${NPM_CLI}); ` +
      "install Node 20 there (e.g. NodeSource's nodejs 20) or set CARBONTRACE_NODE20 to its bin/node",
  );
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of a partner's shell with Node 20 first on PATH: without this repository's Node 24
 * (node_modules/.bin), npm's variables of the `npm test` that runs us, or Jest's NODE_OPTIONS.
 */
function partnerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== "NODE_OPTIONS" && !key.startsWith("CARBONTRACE_")) env[key] = value;
  }
  const path = (process.env.PATH ?? "").split(delimiter).filter((entry) => !entry.includes("node_modules"));
  return {
    ...env,
    PATH: [dirname(NODE20), ...path].join(delimiter),
    npm_config_cache: join(dir.path, "npm-cache"),
    npm_config_userconfig: join(dir.path, "npmrc"),
    npm_config_update_notifier: "false",
    ...extra,
  };
}

function run(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env ?? partnerEnv(), timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr }),
    );
  });
}

/** The installed command, started through its bin link as a shell would (`#!/usr/bin/env node` → Node 20). */
function installed(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return run(join(consumer, "node_modules", ".bin", "carbontrace"), args, { cwd: consumer, env: partnerEnv(env) });
}

let postgres: TestPostgres;
let api: TestApp;
let dir: Awaited<ReturnType<typeof tempDir>>;
let consumer: string;
let packed: Run;
let tarball: string;
let install: Run;
let domain: SigningDomain;
let custodial: TestParticipant;
let bundleFile: string;
let bundle: ProofBundle;

beforeAll(async () => {
  dir = await tempDir("cli-pack");
  writeFileSync(join(dir.path, "npmrc"), "");
  consumer = join(dir.path, "partner");
  await mkdir(consumer);
  const packing = run("npm", ["run", "--silent", "pack:cli", "--", "--out", join(dir.path, "pack")], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: "" },
  });

  postgres = await startTestPostgres();
  api = await startTestApp(
    {
      DATA_DIR: join(dir.path, "data"),
      DATABASE_URL: await postgres.createDatabase(),
      EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
      ANCHOR_BATCH_WINDOW_MS: "200",
      ANCHOR_POLL_MS: "100",
    },
    { listen: true },
  );
  domain = await signingDomainOf(api.server);
  const supplier = await registerParticipant(api.server, api.adminKey, ["supplier"]);
  custodial = await registerParticipant(api.server, api.adminKey, ["supplier"], "custodial");

  // A real proof bundle: bales commissioned with a weighbridge photo in IPFS, anchored and final on the chain.
  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(3000)]);
  const uploaded = await request(api.server)
    .post("/evidence")
    .set("authorization", `Bearer ${supplier.token}`)
    .attach("file", photo, { filename: "weighbridge.jpg", contentType: "image/jpeg" })
    .expect(201);
  const lot = newLot("K");
  const document = epcisDocument([
    commissioning([quantity(GTIN.bales, lot, 1000, "KGM")], {
      "ct:process": "baling",
      "ct:evidence": [{ "ct:cid": (uploaded.body as { cid: string }).cid, "ct:kind": "weighbridge-ticket" }],
    }),
  ]);
  expect((await capture(api.server, supplier, document, domain)).status).toBe(202);
  bundle = await waitFor("the bales' bundle to be final", async () => {
    const body = (await request(api.server).get(`/lots/${GTIN.bales}/${lot}/bundle`)).body as ProofBundle;
    return body.events.length === 1 && body.events.every((e) => e.anchor.status === "final") ? body : undefined;
  });
  bundleFile = join(dir.path, "bundle.json");
  writeFileSync(bundleFile, JSON.stringify(bundle, null, 2));

  packed = await packing;
  if (packed.code !== 0) throw new Error(`npm run pack:cli failed:\n${packed.stderr}`);
  tarball = packed.stdout.trim().split("\n")[0] ?? "";
  install = await run(NODE20, [NPM_CLI, "install", "--no-audit", "--no-fund", tarball], { cwd: consumer });
}, 300_000);

afterAll(async () => {
  await api.stop();
  await postgres.stop();
  await dir.remove();
});

describe("npm run pack:cli", () => {
  it("packs one tarball of at most 5 MB, with no dependencies, for Node ≥ 20, at the project's version", async () => {
    expect(existsSync(tarball)).toBe(true);
    expect(statSync(tarball).size).toBeLessThanOrEqual(5_000_000);
    const listed = await run("tar", ["-xzOf", tarball, "package/package.json"], { cwd: dir.path });
    const manifest = JSON.parse(listed.stdout) as Record<string, unknown>;
    const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(manifest).toMatchObject({
      name: "@carbontrace/cli",
      version: root.version,
      engines: { node: ">=20" },
      bin: { carbontrace: "dist/carbontrace.js" },
    });
    expect(manifest).not.toHaveProperty("dependencies");
    expect(manifest).not.toHaveProperty("scripts");
    expect(manifest).not.toHaveProperty("private");
  }, 60_000);
});

describe("installed into an empty folder with Node 20", () => {
  it("installs without a warning", async () => {
    expect((await run("node", ["--version"], { cwd: consumer })).stdout).toMatch(/^v20\./);
    expect(install.code).toBe(0);
    expect(`${install.stdout}\n${install.stderr}`).not.toMatch(/npm warn|EBADENGINE/i);
    expect(install.stdout).toContain("added 1 package");
  }, 60_000);

  it("answers npx carbontrace --help with every command, --version with the project's, nothing on stderr", async () => {
    const help = await run(NODE20, [join(dirname(NPM_CLI), "npx-cli.js"), "--no-install", "carbontrace", "--help"], {
      cwd: consumer,
    });
    expect(help).toMatchObject({ code: 0, stderr: "" });
    for (const command of ["hash", "sign", "capture", "evidence", "keygen", "verify", "attest"]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    }
    const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(await installed(["--version"])).toMatchObject({ code: 0, stdout: `${root.version}\n`, stderr: "" });
  }, 60_000);

  it("hashes an event document", async () => {
    const document = epcisDocument([
      commissioning([quantity(GTIN.bales, "H1", 1, "KGM")]),
      commissioning([quantity(GTIN.pellets, "H2", 2, "KGM")]),
    ]);
    const file = join(dir.path, "events.jsonld");
    writeFileSync(file, JSON.stringify(document));
    const hashed = await installed(["hash", file]);
    expect(hashed).toMatchObject({ code: 0, stderr: "" });
    expect(hashed.stdout.trim().split("\n")).toEqual(eventHashesOfDocument(document));
  }, 60_000);

  it("verifies a real proof bundle completely against the chain, and fails it once tampered with", async () => {
    const rpc = api.runtime.ledger.chain.rpcUrl;
    const good = await installed(["verify", bundleFile, "--rpc", rpc]);
    expect(good.stderr).toBe("");
    expect(good.stdout).toContain("VERIFIED");
    expect(good.code).toBe(0);

    const tampered = structuredClone(bundle) as unknown as { events: Array<{ event: Record<string, unknown> }> };
    const event = tampered.events[0]?.event as { outputQuantityList?: unknown; quantityList?: unknown };
    const list = (event.outputQuantityList ?? event.quantityList) as Array<{ quantity: number }>;
    list[0]!.quantity = 999;
    const tamperedFile = join(dir.path, "tampered.json");
    writeFileSync(tamperedFile, JSON.stringify(tampered));
    const bad = await installed(["verify", tamperedFile, "--rpc", rpc]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/✘ event\.hash/);
    expect(bad.stdout).toContain("FAILED");
  }, 120_000);

  it("talks to the service named by --api or CARBONTRACE_API, and names the URL it tried when nothing answers", async () => {
    const document = epcisDocument([commissioning([quantity(GTIN.bales, newLot("C"), 5, "KGM")])]);
    const file = join(dir.path, "custodial.jsonld");
    writeFileSync(file, JSON.stringify(document));
    const captured = await installed(["capture", file, "--api", api.url, "--api-key", custodial.token]);
    expect(captured).toMatchObject({ code: 0, stderr: "" });
    expect(captured.stdout).toContain(`created   ${eventHashesOfDocument(document)[0] ?? ""}`);

    const misplaced = await installed(["capture", file, "--api", `${api.url}/v9`, "--api-key", custodial.token]);
    expect(misplaced.code).toBe(1);
    expect(misplaced.stderr).toContain(`(POST ${api.url}/v9/capture answered HTTP 404)`);

    const nobody = "http://127.0.0.1:9";
    const viaFlag = await installed(["evidence", file, "--api", nobody, "--api-key", custodial.token]);
    const viaEnv = await installed(["evidence", file], {
      CARBONTRACE_API: nobody,
      CARBONTRACE_API_KEY: custodial.token,
    });
    for (const failed of [viaFlag, viaEnv]) {
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(`CLIENT.UNREACHABLE: No answer from ${nobody}/evidence`);
    }
  }, 120_000);
});

describe("the SDK, installed", () => {
  it("runs on Node 20: reads the service's signing domain", async () => {
    const script = join(consumer, "domain.mjs");
    writeFileSync(
      script,
      [
        'import { CarbonTraceClient } from "@carbontrace/cli";',
        "const api = new CarbonTraceClient({ baseUrl: process.argv[2] });",
        "process.stdout.write(JSON.stringify(await api.signingDomain()));",
      ].join("\n"),
    );
    const result = await run(NODE20, [script, api.url], { cwd: consumer });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(result.stdout)).toEqual(domain);
  }, 60_000);

  it("type-checks from a strict TypeScript file with its own declarations only (skipLibCheck off)", async () => {
    writeFileSync(
      join(consumer, "partner.ts"),
      [
        'import { ApiError, CarbonTraceClient, attestBundle, type CaptureJob } from "@carbontrace/cli";',
        "",
        'const api = new CarbonTraceClient({ baseUrl: "https://trace.example", apiKey: "ctk_x" });',
        "export async function send(document: Record<string, unknown>): Promise<CaptureJob | string> {",
        "  try {",
        "    return await api.capture(document);",
        "  } catch (error) {",
        "    if (error instanceof ApiError) return `${error.code} ${String(error.status)}`;",
        "    throw error;",
        "  }",
        "}",
        "export const attest: typeof attestBundle = attestBundle;",
        "// @ts-expect-error the declarations are real types, not any",
        "void api.captureJob(42);",
      ].join("\n"),
    );
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          target: "es2022",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ["node"],
          typeRoots: [join(ROOT, "node_modules", "@types")],
        },
        files: ["partner.ts"],
      }),
    );
    const checked = await run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "."], {
      cwd: consumer,
    });
    expect(checked.stdout + checked.stderr).toBe("");
    expect(checked.code).toBe(0);
  }, 120_000);
});
