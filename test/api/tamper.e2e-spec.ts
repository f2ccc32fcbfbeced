import { randomBytes } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import request from "supertest";
import { httpEvidenceReader } from "#client";
import { eventHashesOfDocument } from "#epcis";
import { traceLedgerReader } from "#ledger";
import {
  signEventHash,
  verifyBundle,
  type LeafValue,
  type ProofBundle,
  type SigningDomain,
  type TreeDump,
  type VerificationReport,
} from "#proof";
import { startTestApp, type TestApp } from "../support/app.js";
import { carbontrace } from "../support/cli.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { commissioning, epcisDocument, GTIN, newLot, quantity, transformation } from "../support/epcis.js";
import {
  capture,
  handOver,
  registerParticipant,
  signingDomainOf,
  type TestParticipant,
} from "../support/participants.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { tempDir } from "../support/temp.js";
import { waitFor } from "../support/waits.js";

let postgres: TestPostgres;
let api: TestApp;
let dir: Awaited<ReturnType<typeof tempDir>>;
let domain: SigningDomain;
let supplier: TestParticipant;
let recycler: TestParticipant;
let moulder: TestParticipant;
const lots = { bales: newLot("B"), pellets: newLot("P"), boxes: newLot("X") };
const hashes: Record<"bales" | "pellets" | "boxes", string> = { bales: "", pellets: "", boxes: "" };
let photo: Buffer;
let photoCid = "";

const bundlePath = (): string => `/lots/${GTIN.boxes}/${lots.boxes}/bundle`;

beforeAll(async () => {
  postgres = await startTestPostgres();
  dir = await tempDir("tamper");
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
  [supplier, recycler, moulder] = await Promise.all([
    registerParticipant(api.server, api.adminKey, ["supplier"]),
    registerParticipant(api.server, api.adminKey, ["recycler"]),
    registerParticipant(api.server, api.adminKey, ["moulder"]),
  ]);
  photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(4000)]);
  photoCid = (
    (
      await request(api.server)
        .post("/evidence")
        .set("authorization", `Bearer ${supplier.token}`)
        .attach("file", photo, {
          filename: "weighbridge.jpg",
          contentType: "image/jpeg",
        })
    ).body as { cid: string }
  ).cid;

  const steps: Array<[keyof typeof hashes, TestParticipant, Record<string, unknown>]> = [
    [
      "bales",
      supplier,
      commissioning([quantity(GTIN.bales, lots.bales, 1000, "KGM")], {
        "ct:process": "baling",
        "ct:evidence": [{ "ct:cid": photoCid, "ct:kind": "weighbridge-ticket" }],
      }),
    ],
    [
      "pellets",
      recycler,
      transformation(
        [quantity(GTIN.bales, lots.bales, 1000, "KGM")],
        [quantity(GTIN.pellets, lots.pellets, 800, "KGM")],
        { "ct:process": "recycling" },
      ),
    ],
    [
      "boxes",
      moulder,
      transformation([quantity(GTIN.pellets, lots.pellets, 800, "KGM")], [quantity(GTIN.boxes, lots.boxes, 1000)], {
        "ct:process": "moulding",
        "ct:unitMasses": [{ "ct:epcClass": `https://id.gs1.org/01/${GTIN.boxes}`, "ct:kgPerUnit": 0.7 }],
      }),
    ],
  ];
  // Each maker hands its lot over to the next (shipping to it, then its receipt), as the custody rule requires.
  const handOvers: Partial<Record<keyof typeof hashes, () => Promise<void>>> = {
    bales: () => handOver(api.server, domain, supplier, recycler, [quantity(GTIN.bales, lots.bales, 1000, "KGM")]),
    pellets: () => handOver(api.server, domain, recycler, moulder, [quantity(GTIN.pellets, lots.pellets, 800, "KGM")]),
  };
  for (const [name, participant, event] of steps) {
    const document = epcisDocument([event]);
    expect((await capture(api.server, participant, document, domain)).status).toBe(202);
    hashes[name] = eventHashesOfDocument(document)[0] ?? "";
    await handOvers[name]?.();
  }
  await waitFor("the journey to be final", async () => {
    const bundle = (await request(api.server).get(bundlePath())).body as ProofBundle;
    return bundle.events.length === 7 && bundle.events.every((e) => e.anchor.status === "final") ? true : undefined;
  });
}, 180_000);

afterAll(async () => {
  await api.stop();
  await postgres.stop();
  await dir.remove();
});

async function viaLib(): Promise<VerificationReport> {
  const bundle = (await request(api.server).get(bundlePath()).expect(200)).body as ProofBundle;
  return verifyBundle(bundle, {
    ledger: traceLedgerReader(api.runtime.ledger.chain.provider, bundle.ledger.traceLedger),
    evidence: httpEvidenceReader(`${api.url}/evidence/{cid}`),
  });
}

async function viaApi(): Promise<VerificationReport> {
  return (await request(api.server).get(`/lots/${GTIN.boxes}/${lots.boxes}/verification`).expect(200))
    .body as VerificationReport;
}

async function viaCli(): Promise<{ code: number; stdout: string }> {
  return carbontrace(["verify", `${api.url}${bundlePath()}`, "--rpc", api.runtime.ledger.chain.rpcUrl]);
}

/** Runs all three verifiers and expects each to report exactly this check on this subject as failed. */
async function expectDetected(check: string, subject: string): Promise<void> {
  for (const report of [await viaLib(), await viaApi()]) {
    expect(report.ok).toBe(false);
    expect(report.checks).toContainEqual(expect.objectContaining({ check, subject, status: "fail" }));
  }
  const cli = await viaCli();
  expect(cli.code).toBe(1);
  expect(cli.stdout).toMatch(new RegExp(`✘ ${check.replace(".", "\\.")}`));
  expect(cli.stdout).toContain("FAILED");
}

describe("an untouched journey", () => {
  it("verifies completely in the lib, the API and the CLI", async () => {
    for (const report of [await viaLib(), await viaApi()]) {
      expect(report.checks.filter((c) => c.status !== "pass")).toEqual([]);
      expect(report.ok && report.complete).toBe(true);
      expect(report.checks.map((c) => c.check)).toEqual(
        expect.arrayContaining([
          "bundle.digest",
          "event.hash",
          "event.signature",
          "event.policy",
          "event.role",
          "event.merkle",
          "batch.anchored",
          "evidence.cid",
          "graph.complete",
        ]),
      );
    }
    const cli = await viaCli();
    expect(cli.stdout).toContain("VERIFIED");
    expect(cli.code).toBe(0);
  }, 120_000);

  it("serves a bundle that follows the published JSON Schema", async () => {
    const { Ajv } = await import("ajv");
    const addFormats = (await import("ajv-formats")).default.default;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const schema = JSON.parse(
      await readFile(join(import.meta.dirname, "..", "..", "docs", "proof-bundle.schema.json"), "utf8"),
    ) as object;
    const validate = ajv.compile(schema);
    const bundle = (await request(api.server).get(bundlePath()).expect(200)).body as ProofBundle;
    expect(validate(bundle) ? [] : validate.errors).toEqual([]);
    expect(bundle.events).toHaveLength(7);
    expect(bundle.lots.map((l) => l.id).sort()).toEqual(
      [
        `https://id.gs1.org/01/${GTIN.bales}/10/${lots.bales}`,
        `https://id.gs1.org/01/${GTIN.boxes}/10/${lots.boxes}`,
        `https://id.gs1.org/01/${GTIN.pellets}/10/${lots.pellets}`,
      ].sort(),
    );
  });

  it("is incomplete, not verified, without a ledger source (CLI exit 2)", async () => {
    const cli = await carbontrace(["verify", `${api.url}${bundlePath()}`]);
    expect(cli.code).toBe(2);
    expect(cli.stdout).toContain("INCOMPLETE");
  }, 60_000);
});

describe("tampering is detected", () => {
  it("an event row changed in PostgreSQL", async () => {
    const [original] = await api.runtime.dataSource.query<Array<{ body: unknown }>>(
      `SELECT body FROM epcis_event WHERE event_hash = $1`,
      [hashes.pellets],
    );
    await api.runtime.dataSource.query(
      `UPDATE epcis_event SET body = jsonb_set(body, '{outputQuantityList,0,quantity}', '900') WHERE event_hash = $1`,
      [hashes.pellets],
    );
    try {
      await expectDetected("event.hash", hashes.pellets);
      // The resolver checks the lot itself: its JSON says the records failed, and no claim is made from them.
      const journey = (
        await request(api.server)
          .get(`/01/${GTIN.boxes}/10/${lots.boxes}`)
          .set("accept", "application/json")
          .expect(200)
      ).body as {
        claim: unknown;
        verification: { outcome: string; failed: Array<{ check: string; subject: string }> };
      };
      expect(journey.claim).toBeNull();
      expect(journey.verification.outcome).toBe("failed");
      expect(journey.verification.failed).toContainEqual(
        expect.objectContaining({ check: "event.hash", subject: hashes.pellets }),
      );
      const page = await request(api.server)
        .get(`/01/${GTIN.boxes}/10/${lots.boxes}?lang=en`)
        .set("accept", "text/html");
      expect(page.text).toContain('data-status="failed"');
    } finally {
      await api.runtime.dataSource.query(`UPDATE epcis_event SET body = $2::jsonb WHERE event_hash = $1`, [
        hashes.pellets,
        JSON.stringify(original?.body),
      ]);
    }
    // Restored: the records verify again (a changed digest is checked afresh, not taken from the cache).
    const again = (
      await request(api.server).get(`/01/${GTIN.boxes}/10/${lots.boxes}`).set("accept", "application/json")
    ).body as { verification: { outcome: string } };
    expect(again.verification.outcome).toBe("verified");
  }, 120_000);

  it("an evidence file swapped in the IPFS blockstore", async () => {
    const blocks = join(dir.path, "data", "ipfs", "blocks");
    const files = await readdir(blocks, { recursive: true, withFileTypes: true });
    let target = "";
    for (const file of files.filter((f) => f.isFile())) {
      const path = join(file.parentPath, file.name);
      if (Buffer.compare(await readFile(path), photo) === 0) target = path;
    }
    expect(target).not.toBe("");
    await writeFile(target, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(4000)]));
    try {
      await expectDetected("evidence.cid", photoCid);
    } finally {
      await writeFile(target, photo);
    }
  }, 120_000);

  it("an event attributed to a signer without the role it was recorded under", async () => {
    const [original] = await api.runtime.dataSource.query<Array<{ signer: string; signature: string }>>(
      `SELECT signer, signature FROM epcis_event WHERE event_hash = $1`,
      [hashes.boxes],
    );
    const forged = await signEventHash(recycler.wallet as NonNullable<TestParticipant["wallet"]>, domain, hashes.boxes);
    await api.runtime.dataSource.query(`UPDATE epcis_event SET signer = $2, signature = $3 WHERE event_hash = $1`, [
      hashes.boxes,
      recycler.address,
      forged,
    ]);
    try {
      await expectDetected("event.role", hashes.boxes);
    } finally {
      await api.runtime.dataSource.query(`UPDATE epcis_event SET signer = $2, signature = $3 WHERE event_hash = $1`, [
        hashes.boxes,
        original?.signer,
        original?.signature,
      ]);
    }
  }, 120_000);

  it("a proof against a root that was never anchored", async () => {
    const [row] = await api.runtime.dataSource.query<
      Array<{ id: number; root: string; manifest: { tree: TreeDump; root: string } }>
    >(
      `SELECT b.id, b.root, b.manifest::jsonb AS manifest FROM anchor_batch b JOIN batch_leaf l ON l.batch_id = b.id WHERE l.event_hash = $1`,
      [hashes.bales],
    );
    const original = { root: row?.root ?? "", manifest: row?.manifest };
    const values = StandardMerkleTree.load(original.manifest?.tree as TreeDump)
      .dump()
      .values.map((v) => v.value);
    const fake = StandardMerkleTree.of<LeafValue>(
      [...values, [`0x${"ab".repeat(32)}`, moulder.address]],
      ["bytes32", "address"],
    );
    await api.runtime.dataSource.query(`UPDATE anchor_batch SET root = $2, manifest = $3 WHERE id = $1`, [
      row?.id,
      fake.root,
      JSON.stringify({ ...original.manifest, root: fake.root, tree: fake.dump() }),
    ]);
    try {
      await expectDetected("batch.anchored", fake.root);
      const report = await viaLib();
      expect(report.checks).toContainEqual(
        expect.objectContaining({ check: "event.merkle", subject: hashes.bales, status: "pass" }),
      );
    } finally {
      await api.runtime.dataSource.query(`UPDATE anchor_batch SET root = $2, manifest = $3 WHERE id = $1`, [
        row?.id,
        original.root,
        JSON.stringify(original.manifest),
      ]);
    }
  }, 120_000);

  it("verifies completely again once everything is restored", async () => {
    expect((await viaApi()).ok).toBe(true);
  }, 60_000);
});

describe("certifier attestation", () => {
  let certifier: TestParticipant;
  let keyFile: string;
  let reportCid: string;

  beforeAll(async () => {
    certifier = await registerParticipant(api.server, api.adminKey, ["certifier"]);
    keyFile = join(dir.path, "certifier.key");
    await writeFile(keyFile, certifier.wallet?.privateKey ?? "", { mode: 0o600 });
    reportCid = (
      (
        await request(api.server)
          .post("/evidence")
          .set("authorization", `Bearer ${certifier.token}`)
          .attach("file", Buffer.from("report"), {
            filename: "r.txt",
            contentType: "text/plain",
          })
      ).body as { cid: string }
    ).cid;
  }, 60_000);

  async function statementFor(overrides: Record<string, unknown> = {}) {
    const bundle = (await request(api.server).get(bundlePath()).expect(200)).body as ProofBundle;
    return {
      bundle,
      statement: {
        type: "CarbonTraceAttestation" as const,
        version: 1 as const,
        lot: bundle.lot.id,
        bundleDigest: bundle.digest,
        verdict: "verified" as const,
        reportCid,
        footprint: null,
        issuedAt: new Date().toISOString(),
        ...overrides,
      },
    };
  }

  it("verifies, signs and has the verdict recorded on the ledger (CLI)", async () => {
    const reportFile = join(dir.path, "report.txt");
    await writeFile(reportFile, "Verification report: all checks passed.\n");
    const result = await carbontrace(
      [
        "attest",
        `${api.url}${bundlePath()}`,
        "--verdict",
        "verified",
        "--report",
        reportFile,
        "--key-file",
        keyFile,
        "--rpc",
        api.runtime.ledger.chain.rpcUrl,
      ],
      { CARBONTRACE_API_URL: api.url, CARBONTRACE_API_KEY: certifier.token },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/attestation recorded in transaction 0x[0-9a-f]{64}/);

    const bundle = (await request(api.server).get(bundlePath()).expect(200)).body as ProofBundle;
    expect(bundle.attestations).toEqual([
      expect.objectContaining({
        certifier: certifier.address,
        verdict: "verified",
        status: "recorded",
        subject: bundle.digest,
      }),
    ]);
    const onChain = await api.runtime.ledger.traceLedger.attestationsOf(bundle.digest);
    expect(onChain.map((a) => a.certifier)).toEqual([certifier.address]);
    const report = await viaLib();
    expect(report.checks.filter((c) => c.check.startsWith("attestation."))).toEqual([
      expect.objectContaining({ check: "attestation.signature", status: "pass" }),
      expect.objectContaining({ check: "attestation.recorded", status: "pass" }),
    ]);

    // The consumer's page names the certifier, the date and the verdict in words, with the report one tap away.
    const page = `/01/${GTIN.boxes}/10/${lots.boxes}`;
    const journey = (await request(api.server).get(page).set("accept", "application/json").expect(200)).body as {
      attestations: Array<{ certifierName: { en: string } | null; issuedAt: string | null; reportUrl: string }>;
    };
    expect(journey.attestations).toEqual([
      expect.objectContaining({
        certifierName: expect.objectContaining({ en: "Test partner" }),
        issuedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        reportUrl: expect.stringMatching(/\/evidence\/b[a-z2-7]+$/),
      }),
    ]);
    const zh = await request(api.server).get(page).set("accept", "text/html").set("accept-language", "zh-CN");
    expect(zh.text).toMatch(
      /结论: <strong>核查通过<\/strong> · 测试伙伴，\d{4}-\d\d-\d\d · <a href="[^"]+\/evidence\/b[a-z2-7]+"/,
    );
    await request(api.server)
      .get(new URL(journey.attestations[0]?.reportUrl ?? "").pathname)
      .expect(200);
  }, 120_000);

  it("refuses attestations by non-certifiers, with another key, about another lot, twice, or without the report", async () => {
    const { signAttestation, ledgerDomain, newAuthorization } = await import("#proof");
    const post = (token: string, body: unknown) =>
      request(api.server)
        .post(`/lots/${GTIN.boxes}/${lots.boxes}/attestations`)
        .set("authorization", `Bearer ${token}`)
        .send(body as object);
    const ledger = ledgerDomain(domain.chainId, domain.verifyingContract);
    /** A statement signed by `wallet`: the request body (statement, signature, nonce, deadline). */
    const signed = async (
      wallet: NonNullable<TestParticipant["wallet"]>,
      statement: Awaited<ReturnType<typeof statementFor>>["statement"],
      authorization = newAuthorization(),
    ) => ({ statement, signature: await signAttestation(wallet, ledger, statement, authorization), ...authorization });

    const { statement } = await statementFor({ verdict: "verified_with_qualifications" });
    expect((await post(recycler.token, await signed(recycler.wallet as never, statement))).body).toMatchObject({
      status: 403,
      code: "ATTESTATION.NOT_A_CERTIFIER",
    });
    expect((await post(certifier.token, await signed(recycler.wallet as never, statement))).body).toMatchObject({
      status: 403,
      code: "ATTESTATION.SIGNATURE_INVALID",
    });
    const elsewhere = (await statementFor({ lot: "https://id.gs1.org/01/06901234000016/10/OTHER" })).statement;
    expect((await post(certifier.token, await signed(certifier.wallet as never, elsewhere))).body).toMatchObject({
      status: 400,
      code: "ATTESTATION.STATEMENT_INVALID",
    });
    const noReport = (await statementFor({ reportCid: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku" }))
      .statement;
    expect((await post(certifier.token, await signed(certifier.wallet as never, noReport))).body).toMatchObject({
      status: 400,
      code: "ATTESTATION.REPORT_UNKNOWN",
    });
    const expired = await signed(certifier.wallet as never, statement, newAuthorization(Date.now(), -60));
    expect((await post(certifier.token, expired)).body).toMatchObject({ status: 400, code: "ATTESTATION.EXPIRED" });
    const body = await signed(certifier.wallet as never, statement);
    // The signature is bound to its nonce and deadline: another nonce with the same signature is refused.
    expect((await post(certifier.token, { ...body, nonce: "1" })).body).toMatchObject({
      status: 403,
      code: "ATTESTATION.SIGNATURE_INVALID",
    });
    expect((await post(certifier.token, body)).status).toBe(201);
    expect((await post(certifier.token, body)).body).toMatchObject({
      status: 409,
      code: "ATTESTATION.EXISTS",
    });
  }, 120_000);
});
