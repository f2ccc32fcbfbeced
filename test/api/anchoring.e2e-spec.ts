import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { Anchorer, AnchorWorker, Failpoints } from "#anchoring";
import { silentLogger } from "#common";
import { AnchorRepository } from "#database";
import { connectChain, Ledger } from "#ledger";
import { digestOfEventHash, eventHashesOfDocument } from "#epcis";
import { verifyLeafProof, type SigningDomain } from "#proof";
import { startAnvil, type EmbeddedChain } from "#runtime";
import { ANVIL_DEV_KEY, deployTestContracts, deployTestLedger } from "../support/anvil.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { commissioning, epcisDocument, GTIN, newLot, quantity } from "../support/epcis.js";
import { capture, registerParticipant, signingDomainOf, type TestParticipant } from "../support/participants.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { tempDir } from "../support/temp.js";
import { waitFor } from "../support/waits.js";

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
}, 60_000);
afterAll(() => postgres.stop());

interface EventProof {
  event: {
    eventHash: string;
    signer: string;
    anchor: { status: string; proof?: string[]; batch?: { root: string; chainBatchId: string } };
  };
}

async function proofOf(api: TestApp, hash: string): Promise<EventProof> {
  return (
    await request(api.server)
      .get(`/events/${encodeURIComponent(hash)}/proof`)
      .expect(200)
  ).body as EventProof;
}

async function bales(api: TestApp, supplier: TestParticipant, domain: SigningDomain, count: number): Promise<string[]> {
  const events = Array.from({ length: count }, () => commissioning([quantity(GTIN.bales, newLot("B"), 100, "KGM")]));
  const document = epcisDocument(events);
  expect((await capture(api.server, supplier, document, domain)).status).toBe(202);
  return eventHashesOfDocument(document);
}

describe("anchoring on the embedded chain", () => {
  let api: TestApp;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let domain: SigningDomain;
  let supplier: TestParticipant;

  beforeAll(async () => {
    dir = await tempDir("anchoring");
    api = await startTestApp({
      DATA_DIR: dir.path,
      DATABASE_URL: await postgres.createDatabase(),
      EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
      ANCHOR_BATCH_SIZE: "64",
      ANCHOR_MAX_BATCH: "50",
      ANCHOR_BATCH_WINDOW_MS: "300",
      ANCHOR_POLL_MS: "100",
    });
    domain = await signingDomainOf(api.server);
    supplier = await registerParticipant(api.server, api.adminKey, ["supplier"]);
  }, 120_000);
  afterAll(async () => {
    await api.stop();
    await dir.remove();
  });

  it("takes a captured event from pending to final, with a proof the ledger itself accepts", async () => {
    const [hash = ""] = await bales(api, supplier, domain, 1);
    expect((await proofOf(api, hash)).event.anchor.status).toBe("pending");
    const proof = await waitFor("the event to be final", async () => {
      const p = await proofOf(api, hash);
      return p.event.anchor.status === "final" ? p : undefined;
    });
    const { anchor, signer } = proof.event;
    const root = anchor.batch?.root ?? "";
    expect(verifyLeafProof(root, hash, signer, anchor.proof ?? [])).toBe(true);
    expect(
      await api.runtime.ledger.traceLedger.verifyEvent(root, anchor.proof ?? [], digestOfEventHash(hash), signer),
    ).toBe(true);
    expect((await api.runtime.ledger.traceLedger.anchorOf(root)).batchId.toString()).toBe(anchor.batch?.chainBatchId);
  }, 60_000);

  it("anchors many events in few transactions: batches of at most ANCHOR_MAX_BATCH, the rest after the window", async () => {
    const before = await new AnchorRepository(api.runtime.dataSource).counts();
    const hashes = await bales(api, supplier, domain, 70);
    await waitFor("all 70 events to be final", async () => {
      const counts = await new AnchorRepository(api.runtime.dataSource).counts();
      return counts.final - before.final === 70 ? counts : undefined;
    });
    const batches = await api.runtime.dataSource.query<Array<{ leaf_count: number }>>(
      `SELECT b.leaf_count FROM anchor_batch b WHERE b.id IN (SELECT batch_id FROM batch_leaf WHERE event_hash = ANY($1)) ORDER BY b.id`,
      [hashes],
    );
    expect(batches.map((b) => b.leaf_count)).toEqual([50, 20]);
    const status = await request(api.server).get("/anchoring").expect(200);
    expect(status.body).toMatchObject({ worker: { leader: true, lastError: null } });
  }, 60_000);

  it("serves a batch's manifest, the same bytes as in IPFS", async () => {
    const [hash = ""] = await bales(api, supplier, domain, 1);
    await waitFor("final", async () => ((await proofOf(api, hash)).event.anchor.status === "final" ? true : undefined));
    const [leaf] = await api.runtime.dataSource.query<Array<{ batch_id: number }>>(
      `SELECT batch_id FROM batch_leaf WHERE event_hash = $1`,
      [hash],
    );
    const batch = (
      await request(api.server)
        .get(`/anchoring/batches/${String(leaf?.batch_id)}`)
        .expect(200)
    ).body as {
      manifestCid: string;
      manifest: { events: Array<{ eventHash: string }>; root: string };
      root: string;
    };
    expect(batch.manifest.events.map((e) => e.eventHash)).toContain(hash);
    expect(batch.manifest.root).toBe(batch.root);
    const stored = JSON.parse(new TextDecoder().decode(await api.runtime.evidence.get(batch.manifestCid))) as {
      root: string;
    };
    expect(stored.root).toBe(batch.root);
  }, 60_000);

  it("lets exactly one worker anchor while several instances share the database", async () => {
    const repository = new AnchorRepository(api.runtime.dataSource);
    const second = new AnchorWorker(
      api.runtime.dataSource,
      new Anchorer(
        repository,
        api.runtime.ledger,
        api.runtime.evidence,
        { batchSize: 1, windowMs: 0, maxBatch: 10, confirmations: 1 },
        new Failpoints(new Set()),
        silentLogger,
      ),
      100,
      silentLogger,
      300_000,
    );
    await second.runOnce();
    expect(second.status().leader).toBe(false);
    await second.stop();
  });

  /**
   * An anchorer over the app's database and chain whose TraceLedger answers isAnchored from `ledger`, counting
   * the questions and the batches it sends back to be anchored again.
   */
  function reconciler(ledger: Ledger): { anchorer: Anchorer; calls: () => number; resets: () => number } {
    let calls = 0;
    let resets = 0;
    const traceLedger = {
      isAnchored: (root: string) => {
        calls += 1;
        return ledger.traceLedger.isAnchored(root);
      },
    };
    // The same contracts in everything else, with isAnchored counted.
    const counting = new Ledger(ledger.chain, ledger.addresses, false);
    Object.defineProperty(counting, "traceLedger", { value: traceLedger });
    const repository = new AnchorRepository(api.runtime.dataSource);
    const reset = repository.resetToBuilt.bind(repository);
    repository.resetToBuilt = (id, reason) => {
      resets += 1;
      return reset(id, reason);
    };
    const anchorer = new Anchorer(
      repository,
      counting,
      api.runtime.evidence,
      { batchSize: 1, windowMs: 0, maxBatch: 10, confirmations: 1 },
      new Failpoints(new Set()),
      silentLogger,
    );
    return { anchorer, calls: () => calls, resets: () => resets };
  }

  it("reconciles at start with a cost that does not grow with history, and re-anchors after a chain reset", async () => {
    const repository = new AnchorRepository(api.runtime.dataSource);
    const counts = await repository.counts();
    expect(counts.final).toBeGreaterThan(70);
    const finalBatches = (await repository.batches(["final"])).length;
    const confirming = (await repository.batches(["anchored"])).length;
    expect(finalBatches).toBeGreaterThan(2);

    // The chain has every batch: one question about the newest final batch, one per batch still confirming.
    const same = reconciler(api.runtime.ledger);
    await same.anchorer.reconcile();
    expect(same.calls()).toBe(1 + confirming);
    expect(same.resets()).toBe(0);

    // A ledger that has none of them (as after a chain reset and a new deployment): every batch is sent again,
    // and the app's worker finds its roots on its own ledger and takes them back to final.
    const reset = reconciler(await deployTestLedger(api.runtime.ledger.chain));
    await reset.anchorer.reconcile();
    expect(reset.resets()).toBe(finalBatches + confirming);
    expect(reset.calls()).toBe(1 + finalBatches + confirming);
    await waitFor("every batch to be final again", async () =>
      (await repository.counts()).final === counts.final ? true : undefined,
    );
  }, 90_000);

  it("notices while running that the chain lost the newest final batch's block, and anchors that batch again", async () => {
    const provider = api.runtime.ledger.chain.provider;
    const traceLedger = api.runtime.ledger.traceLedger;
    const before = await provider.send("evm_snapshot", []);
    const [hash = ""] = await bales(api, supplier, domain, 1);
    const first = await waitFor("the event to be final", async () => {
      const p = await proofOf(api, hash);
      return p.event.anchor.status === "final" ? p.event : undefined;
    });
    const root = first.anchor.batch?.root ?? "";
    // As when the embedded anvil is killed and started again from an older state file while the service runs: no
    // pass fails, and the chain no longer has the block the batch was called final in.
    expect(await provider.send("evm_revert", [before])).toBe(true);
    expect(await traceLedger.isAnchored(root)).toBe(false);
    const again = await waitFor(
      "the batch to be anchored again and final",
      async () => {
        const p = await proofOf(api, hash);
        return p.event.anchor.status === "final" && (await traceLedger.isAnchored(root)) ? p.event : undefined;
      },
      40_000,
      250,
    );
    expect(again.anchor.batch?.root).toBe(root);
    expect(await traceLedger.verifyEvent(root, again.anchor.proof ?? [], digestOfEventHash(hash), again.signer)).toBe(
      true,
    );
  }, 60_000);
});

describe("anchoring on an external chain", () => {
  let api: TestApp;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let chainDir: Awaited<ReturnType<typeof tempDir>>;
  let anvil: EmbeddedChain;
  let port: number;
  let domain: SigningDomain;
  let supplier: TestParticipant;

  beforeAll(async () => {
    dir = await tempDir("anchoring-external");
    chainDir = await tempDir("anchoring-chain");
    anvil = await startAnvil({ dir: chainDir.path, port: 0, log: silentLogger });
    port = anvil.port;
    const chain = await connectChain(anvil.rpcUrl, ANVIL_DEV_KEY);
    const deployed = await deployTestContracts(chain);
    await chain.close();
    const address = (name: string): string => deployed.find((d) => d.name === name)?.address ?? "";
    api = await startTestApp({
      DATA_DIR: join(dir.path, "data"),
      DATABASE_URL: await postgres.createDatabase(),
      EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
      RPC_URL: anvil.rpcUrl,
      CHAIN_PRIVATE_KEY: ANVIL_DEV_KEY,
      TRACE_LEDGER_ADDRESS: address("TraceLedger"),
      OFFSET_REGISTRY_ADDRESS: address("OffsetRegistry"),
      CHAIN_CONFIRMATIONS: "3",
      ANCHOR_BATCH_WINDOW_MS: "200",
      ANCHOR_POLL_MS: "100",
    });
    domain = await signingDomainOf(api.server);
    supplier = await registerParticipant(api.server, api.adminKey, ["supplier"]);
  }, 120_000);
  afterAll(async () => {
    await api.stop();
    await anvil.stop();
    await dir.remove();
    await chainDir.remove();
  });

  it("counts confirmations before calling a batch final", async () => {
    const [hash = ""] = await bales(api, supplier, domain, 1);
    await waitFor("anchored", async () =>
      (await proofOf(api, hash)).event.anchor.status === "anchored" ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await proofOf(api, hash)).event.anchor.status).toBe("anchored");
    await api.runtime.ledger.chain.provider.send("anvil_mine", ["0x2"]);
    await waitFor("final after 3 blocks", async () =>
      (await proofOf(api, hash)).event.anchor.status === "final" ? true : undefined,
    );
  }, 60_000);

  it("keeps capturing while the chain is down, and anchors once it is back", async () => {
    await anvil.stop();
    const hashes = await bales(api, supplier, domain, 3);
    const health = await request(api.server).get("/health");
    expect(health.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const hash of hashes) expect((await proofOf(api, hash)).event.anchor.status).toBe("pending");

    anvil = await startAnvil({ dir: chainDir.path, port, log: silentLogger });
    await api.runtime.ledger.chain.provider.send("anvil_mine", ["0x1"]).catch(() => undefined);
    await waitFor(
      "the events queued during the outage to be anchored",
      async () => {
        await api.runtime.ledger.chain.provider.send("anvil_mine", ["0x1"]).catch(() => undefined);
        const states = await Promise.all(hashes.map(async (h) => (await proofOf(api, h)).event.anchor.status));
        return states.every((s) => s === "final") ? states : undefined;
      },
      90_000,
      500,
    );
  }, 120_000);
});

describe("health and metrics while anchoring cannot progress", () => {
  let api: TestApp;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let domain: SigningDomain;
  let supplier: TestParticipant;

  beforeAll(async () => {
    dir = await tempDir("anchoring-health");
    api = await startTestApp({
      DATA_DIR: dir.path,
      DATABASE_URL: await postgres.createDatabase(),
      EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
      ANCHOR_BATCH_SIZE: "1",
      ANCHOR_BATCH_WINDOW_MS: "50",
      ANCHOR_POLL_MS: "100",
      ANCHOR_BEHIND_AFTER_S: "1",
    });
    domain = await signingDomainOf(api.server);
    supplier = await registerParticipant(api.server, api.adminKey, ["supplier"]);
  }, 120_000);
  afterAll(async () => {
    await api.stop();
    await dir.remove();
  });

  interface Health {
    status: string;
    anchoring: {
      status: string;
      detail: string;
      backlog: { events: number; oldestAgeSeconds: number | null };
      lastAnchorAt: string | null;
      failures: Record<string, number>;
      lastFailure?: { cause: string; code: string };
    };
    engines: { chain?: { running: boolean; restarts: number } };
    ipfs: { freeBytes?: number };
  }

  it("says degraded, names the cause (funds), counts it in /metrics, and recovers once the account is refilled", async () => {
    const provider = api.runtime.ledger.chain.provider;
    const account = api.runtime.ledger.chain.wallet.address;
    const balance = await provider.getBalance(account);
    await provider.send("anvil_setBalance", [account, "0x0"]);
    const [hash = ""] = await bales(api, supplier, domain, 1);
    // A role the ledger cannot grant while the account is empty: its chain job waits, and is retried after.
    const recycler = await registerParticipant(api.server, api.adminKey, ["recycler"]);
    const roleOf = async () =>
      (
        (await request(api.server).get(`/participants/${recycler.id}`).set("authorization", `Bearer ${api.adminKey}`))
          .body as { roles: Array<{ chainStatus: string; error: string | null }> }
      ).roles[0];
    expect(await roleOf()).toMatchObject({
      chainStatus: "failed",
      error: expect.stringMatching(/^CHAIN\.INSUFFICIENT_FUNDS: /),
    });

    const degraded = await waitFor("anchoring to be reported behind", async () => {
      const response = await request(api.server).get("/health");
      const body = response.body as Health;
      return body.anchoring.status === "degraded" && body.anchoring.detail.startsWith("behind")
        ? { code: response.status, body }
        : undefined;
    });
    expect(degraded.code).toBe(200);
    expect(degraded.body.status).toBe("degraded");
    expect(degraded.body.anchoring.backlog.events).toBe(1);
    expect(degraded.body.anchoring.backlog.oldestAgeSeconds).toBeGreaterThanOrEqual(1);
    expect(degraded.body.anchoring.lastFailure).toMatchObject({ cause: "funds", code: "CHAIN.INSUFFICIENT_FUNDS" });
    expect(degraded.body.anchoring.failures.funds).toBeGreaterThan(0);
    expect(degraded.body.engines.chain).toMatchObject({ running: true, restarts: 0 });
    expect(degraded.body.ipfs.freeBytes).toBeGreaterThan(0);

    // The role's job was queued after the event, so it may be under a second old when anchoring is first behind.
    const metrics = await waitFor("the role's chain job to have waited a second", async () => {
      const response = await request(api.server).get("/metrics").expect(200);
      return /^carbontrace_chain_jobs_oldest_wait_seconds [1-9]/m.test(response.text) ? response : undefined;
    });
    expect(metrics.headers["content-type"]).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(/^carbontrace_anchoring_backlog_events 1$/m);
    expect(metrics.text).toMatch(/^carbontrace_chain_jobs_waiting 1$/m);
    expect(metrics.text).toMatch(/^carbontrace_anchoring_failures\{cause="funds"\} [1-9]/m);
    expect(metrics.text).toMatch(/^carbontrace_captured_events_total\{outcome="created"\} 1$/m);
    expect(metrics.text).toMatch(/^carbontrace_dependency_up\{part="database"\} 1$/m);
    expect(metrics.text).toMatch(
      /^carbontrace_http_requests_total\{method="POST",route="\/capture",status="202"\} 1$/m,
    );

    await provider.send("anvil_setBalance", [account, `0x${balance.toString(16)}`]);
    await waitFor(
      "the event to be anchored after the refill",
      async () => ((await proofOf(api, hash)).event.anchor.status === "pending" ? undefined : true),
      90_000,
    );
    const healthy = await waitFor("anchoring to be ok again", async () => {
      const body = (await request(api.server).get("/health")).body as Health;
      return body.anchoring.status === "ok" ? body : undefined;
    });
    expect(healthy.anchoring.backlog.events).toBe(0);
    expect(healthy.anchoring.lastAnchorAt).not.toBeNull();
    await waitFor(
      "the waiting role to be granted by its chain job",
      async () => ((await roleOf())?.chainStatus === "granted" ? true : undefined),
      30_000,
    );
    expect((await request(api.server).get("/metrics")).text).toMatch(/^carbontrace_chain_jobs_waiting 0$/m);
  }, 150_000);
});
