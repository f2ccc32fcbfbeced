import { describe, expect, it } from "@jest/globals";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { id, Wallet, type HDNodeWallet } from "ethers";
import { eventHashOf, namespacesOf } from "#epcis";
import { ledgerDomain, signAttestation, statementHash, type AttestationStatement } from "./attestation.js";
import { BUNDLE_TYPE, bundleDigest, type BundleCore, type BundleEvent, type ProofBundle } from "./bundle.js";
import { cidOf } from "./cid.js";
import { signEventHash, signingDomain } from "./event-signature.js";
import { buildBatch } from "./manifest.js";
import { EvidenceSourceUnavailable, verifyBundle, type LedgerReader } from "./verify.js";

const LEDGER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const domain = signingDomain(31337n, LEDGER);
const CONTEXT = [
  "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
  { ct: "https://carbontrace.org/ns/epcis/" },
];
const BALES = "https://id.gs1.org/01/06901234000016/10/B1";
const PELLETS = "https://id.gs1.org/01/06901234000023/10/P1";
const photo = new TextEncoder().encode("weighbridge ticket 1000 kg");

interface World {
  bundle: ProofBundle;
  ledger: LedgerReader & {
    roots: Map<string, bigint>;
    roles: Set<string>;
    attested: Array<{ certifier: string; statementHash: string }>;
  };
  evidence: Map<string, Uint8Array>;
  certifier: HDNodeWallet;
}

/** A two-event journey (bales made by a supplier, recycled into pellets) with a ledger and IPFS in memory. */
async function world(): Promise<World> {
  const supplier = Wallet.createRandom();
  const recycler = Wallet.createRandom();
  const photoCid = await cidOf(photo);
  const raw = [
    {
      wallet: supplier,
      role: "supplier",
      event: {
        type: "ObjectEvent",
        action: "ADD",
        bizStep: "commissioning",
        eventTime: "2026-10-01T08:00:00.000+08:00",
        eventTimeZoneOffset: "+08:00",
        quantityList: [{ epcClass: BALES, quantity: 1000, uom: "KGM" }],
        "ct:process": "baling",
        "ct:evidence": [{ "ct:cid": photoCid }],
      },
    },
    {
      wallet: recycler,
      role: "recycler",
      event: {
        type: "TransformationEvent",
        bizStep: "commissioning",
        eventTime: "2026-10-02T08:00:00.000+08:00",
        eventTimeZoneOffset: "+08:00",
        inputQuantityList: [{ epcClass: BALES, quantity: 1000, uom: "KGM" }],
        outputQuantityList: [{ epcClass: PELLETS, quantity: 800, uom: "KGM" }],
        "ct:process": "recycling",
      },
    },
  ];
  const recordTime = "2026-10-02T09:00:00.000Z";
  const hashed = await Promise.all(
    raw.map(async (r) => {
      const eventHash = eventHashOf(r.event, namespacesOf({ "@context": CONTEXT }));
      return { ...r, eventHash, signature: await signEventHash(r.wallet, domain, eventHash) };
    }),
  );
  const batch = buildBatch(
    31337n,
    LEDGER,
    hashed.map((h) => ({ eventHash: h.eventHash, signer: h.wallet.address })),
  );
  const tree = StandardMerkleTree.load(batch.manifest.tree);
  const events: BundleEvent[] = hashed.map((h) => {
    const leaf = batch.leaves.find((l) => l.eventHash === h.eventHash);
    return {
      eventHash: h.eventHash,
      event: { "@context": CONTEXT, ...h.event, eventID: h.eventHash, recordTime },
      signer: h.wallet.address,
      signature: h.signature,
      custodial: false,
      role: h.role,
      recordTime,
      retracted: false,
      anchor: {
        status: "final",
        leaf: leaf?.leaf ?? "",
        leafIndex: leaf?.leafIndex ?? 0,
        proof: tree.getProof(leaf?.leafIndex ?? 0),
        batch: {
          root: batch.root,
          leafCount: 2,
          manifestCid: "bafy",
          chainBatchId: "1",
          txHash: `0x${"11".repeat(32)}`,
          blockNumber: 7,
          blockHash: `0x${"22".repeat(32)}`,
          anchoredAt: "2026-10-02T09:00:05.000Z",
        },
      },
    };
  });
  const core: BundleCore = {
    type: BUNDLE_TYPE,
    version: 1,
    lot: { id: PELLETS, gtin: "06901234000023", lotNumber: "P1" },
    ledger: { chainId: "31337", traceLedger: LEDGER, offsetRegistry: LEDGER, signingDomain: domain },
    events,
    lots: [
      {
        id: BALES,
        gtin: "06901234000016",
        lotNumber: "B1",
        unit: "KGM",
        produced: "1000",
        consumed: "1000",
        external: false,
      },
      {
        id: PELLETS,
        gtin: "06901234000023",
        lotNumber: "P1",
        unit: "KGM",
        produced: "800",
        consumed: "0",
        external: false,
      },
    ],
    participants: [
      {
        address: supplier.address,
        organisation: "S",
        displayName: { zh: "甲", en: "S" },
        identifier: { scheme: "other", value: "s" },
        roles: ["supplier"],
        custodial: false,
      },
      {
        address: recycler.address,
        organisation: "R",
        displayName: { zh: "乙", en: "R" },
        identifier: { scheme: "other", value: "r" },
        roles: ["recycler"],
        custodial: false,
      },
    ],
    evidence: [
      {
        cid: photoCid,
        mediaType: "text/plain",
        byteSize: photo.byteLength,
        sha256: "",
        events: [hashed[0]?.eventHash ?? ""],
      },
    ],
  };
  const roots = new Map([[batch.root, 7n]]);
  const roles = new Set([`${id("SUPPLIER_ROLE")}:${supplier.address}`, `${id("RECYCLER_ROLE")}:${recycler.address}`]);
  const attested: Array<{ certifier: string; statementHash: string }> = [];
  const ledger = {
    roots,
    roles,
    attested,
    chainId: () => Promise.resolve(31337n),
    anchorOf: (root: string) =>
      Promise.resolve(
        roots.has(root)
          ? { batchId: 1n, blockNumber: roots.get(root) ?? 0n, anchoredAt: 1_790_000_000n }
          : { batchId: 0n, blockNumber: 0n, anchoredAt: 0n },
      ),
    hadRoleAt: (role: string, account: string) => Promise.resolve(roles.has(`${role}:${account}`)),
    attestationsOf: () => Promise.resolve(attested),
  };
  const bundle: ProofBundle = {
    ...core,
    generatedAt: recordTime,
    attestations: [],
    links: { evidence: "mem://{cid}" },
    digest: bundleDigest(core),
  };
  return { bundle, ledger, evidence: new Map([[photoCid, photo]]), certifier: Wallet.createRandom() };
}

const sources = (w: World) => ({
  ledger: w.ledger,
  evidence: { read: (cid: string) => Promise.resolve(w.evidence.get(cid) ?? new Uint8Array()) },
});

const failed = async (w: World) =>
  (await verifyBundle(w.bundle, sources(w))).checks.filter((c) => c.status === "fail").map((c) => c.check);

/** Changes the bundle and recomputes its digest, as a forger would. */
function forge(w: World, change: (bundle: Record<string, unknown>) => void): void {
  const copy = JSON.parse(JSON.stringify(w.bundle)) as Record<string, unknown>;
  change(copy);
  copy.digest = bundleDigest(copy as unknown as ProofBundle);
  w.bundle = copy as unknown as ProofBundle;
}

describe("verifyBundle", () => {
  it("passes every check of an untouched bundle", async () => {
    const w = await world();
    const report = await verifyBundle(w.bundle, sources(w));
    expect(report.checks.filter((c) => c.status !== "pass")).toEqual([]);
    expect(report).toMatchObject({ ok: true, complete: true, digest: w.bundle.digest });
  });

  it("skips, rather than passes, what it cannot check", async () => {
    const w = await world();
    const report = await verifyBundle(w.bundle);
    expect(report.ok).toBe(true);
    expect(report.complete).toBe(false);
    expect(report.checks.filter((c) => c.status === "skip").map((c) => c.check)).toEqual(
      expect.arrayContaining(["ledger.chain", "event.role", "batch.anchored", "evidence.cid"]),
    );
  });

  it("rejects what is not a bundle", async () => {
    expect((await verifyBundle({ type: "Other" })).checks).toEqual([
      expect.objectContaining({ check: "bundle.format", status: "fail" }),
    ]);
  });

  it("notices content that does not match the digest", async () => {
    const w = await world();
    (w.bundle.lots[0] as { produced: string }).produced = "5000";
    expect(await failed(w)).toEqual(["bundle.digest"]);
  });

  it("notices an altered event, even with a recomputed digest", async () => {
    const w = await world();
    forge(
      w,
      (b) =>
        ((
          ((b.events as BundleEvent[])[1]?.event as { outputQuantityList: Array<{ quantity: number }> })
            .outputQuantityList[0] as { quantity: number }
        ).quantity = 900),
    );
    expect(await failed(w)).toContain("event.hash");
  });

  it("notices a signature by someone else", async () => {
    const w = await world();
    const other = await signEventHash(Wallet.createRandom(), domain, w.bundle.events[0]?.eventHash ?? "");
    forge(w, (b) => (((b.events as Array<{ signature: string }>)[0] as { signature: string }).signature = other));
    expect(await failed(w)).toEqual(["event.signature"]);
  });

  it("notices a role the policy does not allow, and a signer without the role on the ledger", async () => {
    const w = await world();
    forge(w, (b) => (((b.events as Array<{ role: string }>)[1] as { role: string }).role = "moulder"));
    expect(await failed(w)).toEqual(expect.arrayContaining(["event.policy", "event.role"]));
    const v = await world();
    v.ledger.roles.clear();
    expect(await failed(v)).toEqual(["event.role", "event.role"]);
  });

  it("notices a proof that leads elsewhere, and a root the ledger never anchored", async () => {
    const w = await world();
    forge(w, (b) => ((b.events as BundleEvent[])[0]?.anchor.proof as string[]).reverse().push(`0x${"33".repeat(32)}`));
    expect(await failed(w)).toEqual(["event.merkle"]);
    const v = await world();
    v.ledger.roots.clear();
    expect(await failed(v)).toEqual(["batch.anchored"]);
  });

  it("notices evidence bytes that do not hash to their CID", async () => {
    const w = await world();
    const cid = w.bundle.evidence[0]?.cid ?? "";
    w.evidence.set(cid, new TextEncoder().encode("another ticket, 2000 kg"));
    expect(await failed(w)).toEqual(["evidence.cid"]);
  });

  it("fails evidence its source does not hold, and skips evidence whose source cannot be reached", async () => {
    const w = await world();
    const check = async (error: Error) =>
      (await verifyBundle(w.bundle, { ledger: w.ledger, evidence: { read: () => Promise.reject(error) } })).checks.find(
        (c) => c.check === "evidence.cid",
      );
    expect(await check(new Error("HTTP 404"))).toMatchObject({ status: "fail" });
    const unreachable = await check(new EvidenceSourceUnavailable("connection refused"));
    expect(unreachable).toMatchObject({ status: "skip", detail: expect.stringContaining("connection refused") });
  });

  it("notices a missing upstream event, and accepts an external input", async () => {
    const w = await world();
    forge(w, (b) => (b.events as BundleEvent[]).splice(0, 1));
    expect(await failed(w)).toEqual(expect.arrayContaining(["graph.complete"]));
    const v = await world();
    forge(v, (b) => {
      (b.events as BundleEvent[]).splice(0, 1);
      (b.lots as Array<{ external: boolean }>)[0] = {
        ...(b.lots as Array<Record<string, unknown>>)[0],
        external: true,
      };
      (b.evidence as unknown[]).splice(0, 1);
    });
    expect(await failed(v)).toEqual([]);
  });

  it("checks attestations: signature, statement hash, and presence on the ledger", async () => {
    const w = await world();
    const statement: AttestationStatement = {
      type: "CarbonTraceAttestation",
      version: 1,
      lot: PELLETS,
      bundleDigest: w.bundle.digest,
      verdict: "verified",
      reportCid: "bafy-report",
      footprint: null,
      issuedAt: "2026-11-01T00:00:00.000Z",
    };
    const signature = await signAttestation(w.certifier, ledgerDomain(31337n, LEDGER), statement);
    const attestation = {
      certifier: w.certifier.address,
      subject: w.bundle.digest,
      statement: statement as unknown as Record<string, unknown>,
      statementHash: statementHash(statement),
      verdict: "verified",
      reportCid: "bafy-report",
      signature,
      status: "recorded",
      txHash: null,
      blockNumber: null,
    };
    w.bundle = { ...w.bundle, attestations: [attestation] };
    expect(await failed(w)).toEqual(["attestation.recorded"]);
    w.ledger.attested.push({ certifier: w.certifier.address, statementHash: statementHash(statement) });
    expect(await failed(w)).toEqual([]);
    w.bundle = { ...w.bundle, attestations: [{ ...attestation, statement: { ...statement, verdict: "rejected" } }] };
    expect(await failed(w)).toContain("attestation.signature");
  });
});
