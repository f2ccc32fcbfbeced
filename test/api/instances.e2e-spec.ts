import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Transaction, Wallet } from "ethers";
import pg from "pg";
import { attestBundle, CarbonTraceClient } from "#client";
import { eventHashesOfDocument } from "#epcis";
import type { Ledger } from "#ledger";
import { offsetLotKey } from "#offsets";
import type { ProofBundle } from "#proof";
import { ANVIL_DEV_KEY, deployTestLedger, startTestChain, type TestChain } from "../support/anvil.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { commissioning, epcisDocument, GTIN, newLot, quantity, type Json } from "../support/epcis.js";
import { uniqueGln } from "../support/participants.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { freeServicePort, spawnService, waitHealthy, type ServiceProcess } from "../support/service.js";
import { tempDir } from "../support/temp.js";
import { waitFor } from "../support/waits.js";

/**
 * Two API instances on one PostgreSQL database and one chain, as the README's "several instances" describes:
 * same service account, administrator key and custody master key, each with its own DATA_DIR (and so its own
 * embedded IPFS). Capture runs through both under load, credits are retired and attestations recorded through
 * both, and one instance is killed with SIGKILL in the middle of the load.
 */
const ADMIN_KEY = `cta_${randomBytes(32).toString("base64url")}`;
const CUSTODY_MASTER_KEY = randomBytes(32).toString("hex");
const VERRA = "19381-941412555-941441125-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0";
const DOCUMENTS_PER_INSTANCE = 16;
const EVENTS_PER_DOCUMENT = 5;

let postgres: TestPostgres;
let chain: TestChain;
let ledger: Ledger;
let databaseUrl: string;
const services: ServiceProcess[] = [];
const dirs: Array<{ remove: () => Promise<void> }> = [];

beforeAll(async () => {
  [postgres, chain] = await Promise.all([startTestPostgres(), startTestChain()]);
  ledger = await deployTestLedger(chain.chain);
  databaseUrl = await postgres.createDatabase();
}, 120_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.destroy()));
  await Promise.all(dirs.map((d) => d.remove()));
  await chain.stop();
  await postgres.stop();
});

async function startInstance(): Promise<ServiceProcess> {
  const dir = await tempDir("instance");
  dirs.push(dir);
  const service = spawnService({
    PORT: String(await freeServicePort()),
    DATA_DIR: join(dir.path, ".data"),
    DATABASE_URL: databaseUrl,
    RPC_URL: chain.anvil.rpcUrl,
    CHAIN_PRIVATE_KEY: ANVIL_DEV_KEY,
    TRACE_LEDGER_ADDRESS: ledger.addresses.TraceLedger,
    OFFSET_REGISTRY_ADDRESS: ledger.addresses.OffsetRegistry,
    ADMIN_API_KEY: ADMIN_KEY,
    CUSTODY_MASTER_KEY,
    EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
    ANCHOR_BATCH_SIZE: "8",
    ANCHOR_BATCH_WINDOW_MS: "200",
    ANCHOR_POLL_MS: "100",
  });
  services.push(service);
  return service;
}

interface Answer<T> {
  readonly status: number;
  readonly body: T;
}

async function call(
  service: ServiceProcess,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<Answer<Record<string, unknown>>> {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function register(service: ServiceProcess, roles: string[], custody: "self" | "custodial") {
  const wallet = custody === "self" ? new Wallet(Wallet.createRandom().privateKey) : undefined;
  const { status, body } = await call(service, "POST", "/participants", ADMIN_KEY, {
    organisation: `Two-instance ${roles.join("+")} ${uniqueGln()}`,
    identifier: { scheme: "gln", value: uniqueGln() },
    displayName: { zh: "双实例测试", en: "Two-instance test" },
    roles,
    custody,
    ...(wallet === undefined ? {} : { address: wallet.address }),
  });
  expect(status).toBe(201);
  return { token: (body.apiKey as { token: string }).token, wallet };
}

function bales(): { document: Json; lot: string } {
  const lot = newLot("I");
  const events = Array.from({ length: EVENTS_PER_DOCUMENT }, (_, i) =>
    commissioning([quantity(GTIN.bales, i === 0 ? lot : newLot("I"), 10, "KGM")]),
  );
  return { document: epcisDocument(events), lot };
}

/** Posts documents one after another; records the events of every document the instance acknowledged. */
async function captureLoad(
  service: ServiceProcess,
  token: string,
  documents: number,
  acknowledged: string[],
  afterEach: (done: number) => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  for (let done = 0; done < documents; done++) {
    const { document } = bales();
    const response = await fetch(`${service.url}/capture`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/ld+json" },
      body: JSON.stringify(document),
    }).catch(() => undefined);
    if (response === undefined) return; // the instance is gone: what it did not answer is not acknowledged
    if (response.status === 202) acknowledged.push(...eventHashesOfDocument(document));
    else expect([response.status, await response.text()]).toEqual([202, ""]);
    await afterEach(done + 1);
  }
}

describe("two instances on one database and one chain", () => {
  it("capture, retire and attest through both; one killed mid-load; every acknowledged record lands once", async () => {
    const [a, b] = await Promise.all([startInstance(), startInstance()]);
    await Promise.all([waitHealthy(a, 120_000), waitHealthy(b, 120_000)]);

    // Partners registered through either instance work through the other one.
    const supplierA = await register(a, ["supplier"], "custodial");
    const supplierB = await register(b, ["supplier"], "custodial");
    const certifier = await register(b, ["certifier"], "self");
    const holding = await call(a, "POST", "/offsets/holdings", ADMIN_KEY, { serial: VERRA });
    expect(holding.status).toBe(201);

    // Lots to retire credits for and attest through each instance, captured through the other one.
    const lots = { a: [bales(), bales(), bales()], b: [bales(), bales(), bales()] };
    const acknowledged: string[] = [];
    for (const [service, supplier, { document }] of [
      ...lots.a.map((lot) => [b, supplierA, lot] as const),
      ...lots.b.map((lot) => [a, supplierB, lot] as const),
    ]) {
      const response = await call(service, "POST", "/capture", supplier.token, document);
      expect(response.status).toBe(202);
      acknowledged.push(...eventHashesOfDocument(document));
    }

    // Retirements and attestations through both at once, while both capture under load.
    const retire = (service: ServiceProcess, lot: string) =>
      call(service, "POST", `/lots/${GTIN.bales}/${lot}/offsets`, ADMIN_KEY, {
        holdingId: holding.body.id,
        credits: "3",
        beneficiary: "Two-instance test",
      });
    const attest = async (service: ServiceProcess, lot: string) => {
      const api = new CarbonTraceClient({ baseUrl: service.url, apiKey: certifier.token });
      const bundle = await api.json<ProofBundle>("GET", `/lots/${GTIN.bales}/${lot}/bundle`);
      return attestBundle(api, certifier.wallet ?? Wallet.createRandom(), {
        bundle,
        verdict: "verified",
        report: { bytes: new TextEncoder().encode(`report on ${lot}`), mediaType: "text/plain", fileName: "r.txt" },
      });
    };
    const through = (service: ServiceProcess, of: ReadonlyArray<{ lot: string }>) =>
      Promise.all([
        Promise.all(of.map(({ lot }) => retire(service, lot))),
        Promise.all(of.map(({ lot }) => attest(service, lot))),
      ]);
    const throughB = through(b, lots.b);
    const [[retiredA, attestedA], [retiredB, attestedB]] = await Promise.all([
      through(a, lots.a),
      throughB,
      captureLoad(a, supplierA.token, DOCUMENTS_PER_INSTANCE, acknowledged),
      // Half-way through its load (its retirements and attestations answered), B is killed: the rest of its load
      // meets a closed port and is not acknowledged.
      captureLoad(b, supplierB.token, DOCUMENTS_PER_INSTANCE, acknowledged, async (done) => {
        if (done !== DOCUMENTS_PER_INSTANCE / 2) return;
        await throughB;
        await b.stop("SIGKILL");
      }),
    ]);
    expect(b.child.signalCode).toBe("SIGKILL");
    for (const retired of [...retiredA, ...retiredB])
      expect([retired.status, retired.body]).toEqual([201, expect.objectContaining({ status: "retired" })]);
    for (const attested of [...attestedA, ...attestedB]) expect(attested.status).toBe("recorded");
    // More load through the survivor after the kill: it takes over anchoring (the lease) and the account's nonces.
    await captureLoad(a, supplierB.token, 4, acknowledged);

    const anchoring = await waitFor(
      "every stored event to be final",
      async () => {
        const { events } = (await (await fetch(`${a.url}/anchoring`)).json()) as {
          events: { queued: number; built: number; sent: number; anchored: number; final: number };
        };
        return events.queued + events.built + events.sent + events.anchored === 0 ? events : undefined;
      },
      90_000,
      250,
    );

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      // Every acknowledged event stored once, and every stored event in exactly one final batch.
      const stored = (await db.query<{ event_hash: string }>(`SELECT event_hash FROM epcis_event`)).rows.map(
        (r) => r.event_hash,
      );
      expect(stored.filter((hash) => acknowledged.includes(hash)).sort()).toEqual([...acknowledged].sort());
      expect(anchoring.final).toBe(stored.length);
      const leaves = (await db.query<{ event_hash: string }>(`SELECT event_hash FROM batch_leaf`)).rows;
      expect(leaves.map((l) => l.event_hash).sort()).toEqual([...stored].sort());

      // The chain has exactly the database's roots, each anchored once.
      const batches = (await db.query<{ root: string; status: string }>(`SELECT root, status FROM anchor_batch`)).rows;
      expect(batches.every((batch) => batch.status === "final")).toBe(true);
      const traceLedger = ledger.traceLedger;
      const anchoredRoots = (await traceLedger.queryFilter(traceLedger.filters.RootAnchored(), 0)).map(
        (log) => log.args.root,
      );
      expect(new Set(anchoredRoots).size).toBe(anchoredRoots.length);
      expect(new Set(anchoredRoots)).toEqual(new Set(batches.map((batch) => batch.root)));

      // Each retirement in one state, the chain's: retired on both sides, 3 t for its lot.
      const retirements = (
        await db.query<{ id: string; lot_id: string; status: string; tx_hash: string | null }>(
          `SELECT id, lot_id, status, tx_hash FROM offset_retirement ORDER BY lot_id`,
        )
      ).rows;
      expect(retirements.map((r) => r.status)).toEqual(Array(6).fill("retired"));
      for (const retirement of retirements) {
        expect(await ledger.offsetRegistry.retiredKgOf(offsetLotKey(retirement.lot_id))).toBe(3_000n);
        const receipt = await chain.chain.provider.getTransactionReceipt(retirement.tx_hash ?? "");
        expect(receipt?.status).toBe(1);
      }

      // Each attestation recorded once, on the ledger too.
      const attestations = (
        await db.query<{ subject: string; status: string }>(`SELECT subject, status FROM attestation`)
      ).rows;
      expect(attestations.map((r) => r.status)).toEqual(Array(6).fill("recorded"));
      for (const attestation of attestations) {
        expect(await traceLedger.attestationsOf(attestation.subject)).toHaveLength(1);
      }

      // Each went through the chain-job outbox once: one job per retirement and attestation, done with one
      // transaction, whose signed bytes were recorded (before broadcast) and are the ones the chain mined.
      const jobs = (
        await db.query<{
          kind: string;
          subject: string;
          status: string;
          attempts: number;
          tx_hash: string;
          tx_raw: string;
        }>(
          `SELECT kind, subject, status, attempts, tx_hash, tx_raw FROM chain_job WHERE kind IN ('retirement', 'attestation')`,
        )
      ).rows;
      expect(jobs.map((j) => `${j.kind} ${j.status} ${String(j.attempts)}`).sort()).toEqual([
        ...Array<string>(6).fill("attestation done 1"),
        ...Array<string>(6).fill("retirement done 1"),
      ]);
      for (const job of jobs) expect(Transaction.from(job.tx_raw).hash).toBe(job.tx_hash);
      for (const retirement of retirements) {
        expect(jobs.find((j) => j.subject === retirement.id)?.tx_hash).toBe(retirement.tx_hash);
      }
    } finally {
      await db.end();
    }

    // No send ever met a nonce another instance had taken.
    const nonceTrouble = [...a.logs, ...b.logs].filter((line) =>
      /NONCE_CONFLICT|NONCE_LOCK|nonce too low|nonce has already been used|replacement transaction underpriced/i.test(
        JSON.stringify(line),
      ),
    );
    expect(nonceTrouble).toEqual([]);
  }, 300_000);
});
