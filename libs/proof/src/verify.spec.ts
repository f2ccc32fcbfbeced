import { describe, expect, it } from "@jest/globals";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { id, Wallet, type HDNodeWallet } from "ethers";
import { eventHashOf, namespacesOf } from "#epcis";
import { librarySha256, type EmissionFactor } from "#footprint";
import { ledgerDomain, signAttestation, statementHash, type AttestationStatement } from "./attestation.js";
import {
  BUNDLE_TYPE,
  BUNDLE_VERSION,
  bundleDigest,
  type BundleCore,
  type BundleDeclaration,
  type BundleEvent,
  type BundleRetirement,
  type ProofBundle,
} from "./bundle.js";
import { claimOfBundle, type ClaimSource } from "./bundle-footprint.js";
import { cidOf } from "./cid.js";
import { declarationIdOf, signDeclaration } from "./declaration.js";
import { signEventHash, signingDomain } from "./event-signature.js";
import { buildBatch } from "./manifest.js";
import { EvidenceSourceUnavailable, verifyBundle, type LedgerReader, type RetiredOnLedger } from "./verify.js";

const LEDGER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const OFFSET_REGISTRY = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
/** One grid factor: 0.5 kg CO2e per kWh in East China. */
const FACTORS: EmissionFactor[] = [
  {
    id: "GRID_CN_EAST",
    name: "East China grid",
    category: "electricity",
    value: 0.5,
    unit: "kgCO2e/kWh",
    perUnit: "kWh",
    kgPerUnit: 0.5,
    gas: "CO2e",
    region: "CN-East",
    year: 2025,
    source: "test",
    sourceUrl: "",
    licence: "",
    activity: "electricity.grid",
  },
];
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
    /** OffsetRegistry's CreditsRetired events, by transaction hash. */
    retired: Map<string, RetiredOnLedger[]>;
  };
  evidence: Map<string, Uint8Array>;
  certifier: HDNodeWallet;
  supplier: HDNodeWallet;
  recycler: HDNodeWallet;
  outsider: HDNodeWallet;
}

const SUPPLIER_GLN = "6901234000016";
const RECYCLER_GLN = "6901234000023";
const OUTSIDER_GLN = "6901234000092";
const at = (gln: string) => ({ bizLocation: { id: `urn:epc:id:sgln:${gln.slice(0, 7)}.${gln.slice(7, 12)}.0` } });

interface Recorded {
  readonly wallet: HDNodeWallet;
  readonly role: string;
  readonly event: Record<string, unknown>;
  /** Set for an error declaration: the event it retracts is the one with the same hash. */
  readonly declaration?: Record<string, unknown>;
}

/** The journey: bales made and shipped by a supplier, received and recycled into pellets by a recycler. */
function journey(supplier: HDNodeWallet, recycler: HDNodeWallet, photoCid: string): Recorded[] {
  return [
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
        ...at(SUPPLIER_GLN),
        "ct:process": "baling",
        "ct:evidence": [{ "ct:cid": photoCid }],
      },
    },
    {
      wallet: supplier,
      role: "supplier",
      event: {
        type: "ObjectEvent",
        action: "OBSERVE",
        bizStep: "shipping",
        eventTime: "2026-10-01T12:00:00.000+08:00",
        eventTimeZoneOffset: "+08:00",
        quantityList: [{ epcClass: BALES, quantity: 1000, uom: "KGM" }],
        ...at(SUPPLIER_GLN),
        destinationList: [{ type: "owning_party", destination: `urn:epc:id:pgln:6901234.00002` }],
      },
    },
    {
      wallet: recycler,
      role: "recycler",
      event: {
        type: "ObjectEvent",
        action: "OBSERVE",
        bizStep: "receiving",
        eventTime: "2026-10-01T18:00:00.000+08:00",
        eventTimeZoneOffset: "+08:00",
        quantityList: [{ epcClass: BALES, quantity: 1000, uom: "KGM" }],
        ...at(RECYCLER_GLN),
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
        ...at(RECYCLER_GLN),
        "ct:process": "recycling",
      },
    },
  ];
}

/** A bundle of `recorded` (events, and error declarations), all anchored in one batch, with its digest. */
async function bundleOf(recorded: readonly Recorded[], participants: ProofBundle["participants"], photoCid: string) {
  const recordTime = (i: number) => new Date(Date.parse("2026-10-02T09:00:00.000Z") + i * 1000).toISOString();
  const namespaces = namespacesOf({ "@context": CONTEXT });
  const hashed = await Promise.all(
    recorded.map(async (r) => {
      const eventHash = eventHashOf(r.event, namespaces);
      if (r.declaration === undefined) {
        return { ...r, eventHash, recordId: eventHash, signature: await signEventHash(r.wallet, domain, eventHash) };
      }
      return {
        ...r,
        eventHash,
        recordId: declarationIdOf(eventHash, r.declaration),
        signature: await signDeclaration(r.wallet, domain, eventHash, r.declaration),
      };
    }),
  );
  const batch = buildBatch(
    31337n,
    LEDGER,
    hashed.map((h) => ({ eventHash: h.recordId, signer: h.wallet.address })),
  );
  const tree = StandardMerkleTree.load(batch.manifest.tree);
  const anchorOf = (recordId: string): BundleEvent["anchor"] => {
    const leaf = batch.leaves.find((l) => l.eventHash === recordId);
    return {
      status: "final",
      leaf: leaf?.leaf ?? "",
      leafIndex: leaf?.leafIndex ?? 0,
      proof: tree.getProof(leaf?.leafIndex ?? 0),
      batch: {
        root: batch.root,
        leafCount: hashed.length,
        manifestCid: "bafy",
        chainBatchId: "1",
        txHash: `0x${"11".repeat(32)}`,
        blockNumber: 7,
        blockHash: `0x${"22".repeat(32)}`,
        anchoredAt: "2026-10-02T09:05:00.000Z",
      },
    };
  };
  const retracted = new Set(hashed.filter((h) => h.declaration !== undefined).map((h) => h.eventHash));
  const events: BundleEvent[] = hashed
    .map((h, i) => ({ h, i }))
    .filter(({ h }) => h.declaration === undefined)
    .map(({ h, i }) => ({
      eventHash: h.eventHash,
      event: { "@context": CONTEXT, ...h.event, eventID: h.eventHash, recordTime: recordTime(i) },
      signer: h.wallet.address,
      signature: h.signature,
      custodial: false,
      role: h.role,
      recordTime: recordTime(i),
      retracted: retracted.has(h.eventHash),
      anchor: anchorOf(h.recordId),
    }));
  const declarations: BundleDeclaration[] = hashed
    .map((h, i) => ({ h, i }))
    .filter(({ h }) => h.declaration !== undefined)
    .map(({ h, i }) => ({
      id: h.recordId,
      eventHash: h.eventHash,
      event: { "@context": CONTEXT, ...h.event, errorDeclaration: h.declaration, eventID: h.eventHash },
      signer: h.wallet.address,
      signature: h.signature,
      custodial: false,
      recordTime: recordTime(i),
      anchor: anchorOf(h.recordId),
    }));
  const core: BundleCore = {
    type: BUNDLE_TYPE,
    version: BUNDLE_VERSION,
    lot: { id: PELLETS, gtin: "06901234000023", lotNumber: "P1" },
    ledger: { chainId: "31337", traceLedger: LEDGER, offsetRegistry: OFFSET_REGISTRY, signingDomain: domain },
    events,
    declarations,
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
    participants,
    footprint: { library: { version: "1", sha256: librarySha256(FACTORS), factors: FACTORS }, baseline: null },
    retirements: [],
    claim: null,
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
  const bundle: ProofBundle = {
    ...core,
    generatedAt: recordTime(0),
    attestations: [],
    links: { evidence: "mem://{cid}" },
    digest: bundleDigest(core),
  };
  return { bundle, root: batch.root };
}

function participantsOf(...entries: Array<[HDNodeWallet, string, string, string]>): ProofBundle["participants"] {
  return entries.map(([wallet, name, role, gln]) => ({
    address: wallet.address,
    organisation: name,
    displayName: { zh: name, en: name },
    identifier: { scheme: "gln", value: gln },
    roles: [role],
    custodial: false,
    locations: [],
    country: "CN",
  }));
}

/** The journey as a bundle, with a ledger and IPFS in memory; `change` may add or alter what was recorded. */
async function world(
  change: (recorded: Recorded[], w: Pick<World, "supplier" | "recycler" | "outsider">) => void = () => undefined,
): Promise<World> {
  const supplier = Wallet.createRandom();
  const recycler = Wallet.createRandom();
  const outsider = Wallet.createRandom();
  const photoCid = await cidOf(photo);
  const recorded = journey(supplier, recycler, photoCid);
  change(recorded, { supplier, recycler, outsider });
  const { bundle, root } = await bundleOf(
    recorded,
    participantsOf(
      [supplier, "S", "supplier", SUPPLIER_GLN],
      [recycler, "R", "recycler", RECYCLER_GLN],
      [outsider, "O", "recycler", OUTSIDER_GLN],
    ),
    photoCid,
  );
  const roots = new Map([[root, 7n]]);
  const roles = new Set([
    `${id("SUPPLIER_ROLE")}:${supplier.address}`,
    `${id("RECYCLER_ROLE")}:${recycler.address}`,
    `${id("RECYCLER_ROLE")}:${outsider.address}`,
  ]);
  const attested: Array<{ certifier: string; statementHash: string }> = [];
  const retired = new Map<string, RetiredOnLedger[]>();
  const ledger = {
    roots,
    roles,
    attested,
    retired,
    chainId: () => Promise.resolve(31337n),
    anchorOf: (anchored: string) =>
      Promise.resolve(
        roots.has(anchored)
          ? { batchId: 1n, blockNumber: roots.get(anchored) ?? 0n, anchoredAt: 1_790_000_000n }
          : { batchId: 0n, blockNumber: 0n, anchoredAt: 0n },
      ),
    hadRoleAt: (role: string, account: string) => Promise.resolve(roles.has(`${role}:${account}`)),
    attestationsOf: () => Promise.resolve(attested),
    retirementsIn: (registry: string, txHash: string) =>
      Promise.resolve(registry === OFFSET_REGISTRY ? (retired.get(txHash) ?? []) : []),
  };
  return {
    bundle,
    ledger,
    evidence: new Map([[photoCid, photo]]),
    certifier: Wallet.createRandom(),
    supplier,
    recycler,
    outsider,
  };
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

  it("asks the ledger for every read at once, and for each distinct read only once", async () => {
    const w = await world();
    let inFlight = 0;
    let mostInFlight = 0;
    const asked: string[] = [];
    const counted =
      <A extends unknown[], R>(name: string, read: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        asked.push(`${name}(${args.map(String).join(",")})`);
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        try {
          return await read(...args);
        } finally {
          inFlight -= 1;
        }
      };
    const ledger = {
      chainId: counted("chainId", () => w.ledger.chainId()),
      anchorOf: counted("anchorOf", (root: string) => w.ledger.anchorOf(root)),
      hadRoleAt: counted("hadRoleAt", (role: string, account: string, at: bigint) =>
        w.ledger.hadRoleAt(role, account, at),
      ),
      attestationsOf: counted("attestationsOf", (subject: string) => w.ledger.attestationsOf(subject)),
      retirementsIn: counted("retirementsIn", (registry: string, tx: string) => w.ledger.retirementsIn(registry, tx)),
    };
    const report = await verifyBundle(w.bundle, { ...sources(w), ledger });
    expect(report.checks.filter((c) => c.status !== "pass")).toEqual([]);
    expect(new Set(asked).size).toBe(asked.length);
    // The chain id first, then everything else together.
    expect(mostInFlight).toBe(asked.length - 1);
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

  it("reports an unreachable ledger as checks not done (incomplete), never as a failure or a crash", async () => {
    const w = await world();
    const down = () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:8545"));
    const report = await verifyBundle(w.bundle, {
      ledger: { chainId: down, anchorOf: down, hadRoleAt: down, attestationsOf: down, retirementsIn: down },
      evidence: sources(w).evidence,
    });
    expect(report).toMatchObject({ outcome: "incomplete", ok: true, complete: false });
    const ledgerChecks = report.checks.filter((c) =>
      ["ledger.chain", "event.role", "batch.anchored"].includes(c.check),
    );
    expect(ledgerChecks.length).toBeGreaterThan(0);
    for (const check of ledgerChecks) {
      expect(check).toMatchObject({ status: "skip", detail: expect.stringContaining("the ledger could not be read") });
    }
  });

  it("gives one of three outcomes: verified, failed, incomplete", async () => {
    const w = await world();
    expect((await verifyBundle(w.bundle, sources(w))).outcome).toBe("verified");
    expect((await verifyBundle(w.bundle)).outcome).toBe("incomplete");
    (w.bundle.lots[0] as { produced: string }).produced = "5000";
    expect((await verifyBundle(w.bundle)).outcome).toBe("failed");
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
          ((b.events as BundleEvent[])[3]?.event as { outputQuantityList: Array<{ quantity: number }> })
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
    forge(w, (b) => (((b.events as Array<{ role: string }>)[3] as { role: string }).role = "moulder"));
    expect(await failed(w)).toEqual(expect.arrayContaining(["event.policy", "event.role"]));
    const v = await world();
    v.ledger.roles.clear();
    expect(await failed(v)).toEqual(["event.role", "event.role", "event.role", "event.role"]);
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

  it("notices a missing upstream event", async () => {
    const w = await world();
    forge(w, (b) => (b.events as BundleEvent[]).splice(0, 3));
    expect(await failed(w)).toEqual(expect.arrayContaining(["graph.complete"]));
  });

  it("does not take the bundle's word that a lot is external: upstream events left out are not verified", async () => {
    const v = await world();
    forge(v, (b) => {
      (b.events as BundleEvent[]).splice(0, 3);
      (b.lots as Array<{ external: boolean }>)[0] = {
        ...(b.lots as Array<Record<string, unknown>>)[0],
        external: true,
      };
      (b.evidence as unknown[]).splice(0, 1);
    });
    const report = await verifyBundle(v.bundle, sources(v));
    expect(report.outcome).toBe("incomplete");
    expect(report.checks.find((c) => c.check === "graph.complete")).toMatchObject({
      status: "skip",
      detail: expect.stringContaining("no signed declaration that it came from outside the chain"),
    });
  });

  it("accepts an external input its taker declared so in the signed event (ct:externalLots)", async () => {
    const w = await world((recorded) => {
      recorded.splice(0, 3);
      const recycling = recorded[0]?.event as Record<string, unknown>;
      recycling["ct:externalLots"] = [BALES];
    });
    forge(w, (b) => {
      (b.evidence as unknown[]).splice(0, 1);
      (b.lots as Array<{ external: boolean }>)[0] = {
        ...(b.lots as Array<Record<string, unknown>>)[0],
        external: true,
      };
    });
    const report = await verifyBundle(w.bundle, sources(w));
    expect(report.checks.filter((c) => c.status !== "pass")).toEqual([]);
    expect(report.checks.find((c) => c.check === "graph.complete")?.detail).toContain("1 external input(s), declared");
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
    const authorization = { nonce: "42", deadline: 1_900_000_000 };
    const signature = await signAttestation(w.certifier, ledgerDomain(31337n, LEDGER), statement, authorization);
    const attestation = {
      certifier: w.certifier.address,
      subject: w.bundle.digest,
      statement: statement as unknown as Record<string, unknown>,
      statementHash: statementHash(statement),
      verdict: "verified",
      reportCid: "bafy-report",
      ...authorization,
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
    w.bundle = { ...w.bundle, attestations: [{ ...attestation, nonce: "43" }] };
    expect(await failed(w)).toContain("attestation.signature");
  });
});

describe("verifyBundle: authority", () => {
  const DECLARATION = { declarationTime: "2026-10-03T08:00:00.000+08:00", reason: "incorrect_data" };
  const storing = (gln: string) => ({
    type: "ObjectEvent",
    action: "OBSERVE",
    bizStep: "storing",
    eventTime: "2026-10-02T10:00:00.000+08:00",
    eventTimeZoneOffset: "+08:00",
    quantityList: [{ epcClass: PELLETS, quantity: 800, uom: "KGM" }],
    ...at(gln),
    "ct:process": "storage",
    "ct:activity": { "ct:electricity": [{ "ct:kWh": 50000, "ct:gridRegion": "CN", "ct:basis": "measured" }] },
  });

  it("passes a retraction signed by the event's own signer, and follows it in the lot graph", async () => {
    const w = await world((recorded, { recycler }) =>
      recorded.push(
        { wallet: recycler, role: "recycler", event: storing(RECYCLER_GLN) },
        {
          wallet: recycler,
          role: "recycler",
          event: storing(RECYCLER_GLN),
          declaration: DECLARATION,
        },
      ),
    );
    const report = await verifyBundle(w.bundle, sources(w));
    expect(report.checks.filter((c) => c.status !== "pass")).toEqual([]);
    expect(report.checks.map((c) => c.check)).toEqual(
      expect.arrayContaining(["declaration.signature", "declaration.signer", "declaration.merkle", "event.retraction"]),
    );
  });

  it("fails a retraction signed by another participant than the event's signer", async () => {
    const w = await world((recorded, { recycler, outsider }) =>
      recorded.push(
        { wallet: recycler, role: "recycler", event: storing(RECYCLER_GLN) },
        {
          wallet: outsider,
          role: "recycler",
          event: storing(RECYCLER_GLN),
          declaration: DECLARATION,
        },
      ),
    );
    expect(await failed(w)).toEqual(["declaration.signer", "event.retraction"]);
  });

  it("fails an event's own signature replayed as its retraction", async () => {
    const w = await world((recorded, { recycler }) =>
      recorded.push(
        { wallet: recycler, role: "recycler", event: storing(RECYCLER_GLN) },
        {
          wallet: recycler,
          role: "recycler",
          event: storing(RECYCLER_GLN),
          declaration: DECLARATION,
        },
      ),
    );
    forge(w, (b) => {
      const declaration = (b.declarations as Array<{ signature: string }>)[0];
      const event = (b.events as BundleEvent[]).at(-1);
      if (declaration !== undefined && event !== undefined) declaration.signature = event.signature;
    });
    expect(await failed(w)).toEqual(expect.arrayContaining(["declaration.signature", "event.retraction"]));
  });

  it("fails a retracted flag the server set without a signed declaration, and a declaration it dropped", async () => {
    const w = await world();
    forge(w, (b) => (((b.events as Array<{ retracted: boolean }>)[0] as { retracted: boolean }).retracted = true));
    expect(await failed(w)).toEqual(["event.retraction"]);
    const v = await world((recorded, { recycler }) =>
      recorded.push(
        { wallet: recycler, role: "recycler", event: storing(RECYCLER_GLN) },
        {
          wallet: recycler,
          role: "recycler",
          event: storing(RECYCLER_GLN),
          declaration: DECLARATION,
        },
      ),
    );
    forge(v, (b) => (((b.events as Array<{ retracted: boolean }>).at(-1) as { retracted: boolean }).retracted = false));
    expect(await failed(v)).toEqual(["event.retraction"]);
  });

  it("fails an event about a lot its author never held, even when signed, anchored and allowed to its role", async () => {
    const w = await world((recorded, { outsider }) =>
      recorded.push({ wallet: outsider, role: "recycler", event: storing(OUTSIDER_GLN) }),
    );
    const report = await verifyBundle(w.bundle, sources(w));
    expect(report.checks.filter((c) => c.status === "fail")).toEqual([
      expect.objectContaining({ check: "event.custody", detail: expect.stringContaining("does not hold any of it") }),
    ]);
  });

  it("fails an event recorded at another participant's site", async () => {
    const w = await world((recorded, { recycler }) =>
      recorded.push({ wallet: recycler, role: "recycler", event: storing(SUPPLIER_GLN) }),
    );
    expect(await failed(w)).toEqual(["event.location"]);
  });

  it("fails a receipt no shipment was addressed to", async () => {
    const w = await world((recorded) => {
      const shipping = recorded[1]?.event as { destinationList: unknown[] };
      shipping.destinationList = [{ type: "owning_party", destination: "urn:epc:id:pgln:6901234.00009" }];
    });
    const report = await verifyBundle(w.bundle, sources(w));
    expect(report.checks.filter((c) => c.status === "fail")[0]).toMatchObject({
      check: "event.custody",
      detail: expect.stringContaining("no shipment of it is addressed to this participant"),
    });
  });
});

describe("verifyBundle: the label's claim", () => {
  const LOT_KEY = id(PELLETS);

  /** A retirement of `credits` tonnes for `lotKey`, on the ledger in transaction `tx`. */
  function retirement(credits: number, tx: string, retirementId = "1"): BundleRetirement {
    return {
      retirementId,
      registry: "verra",
      serialBlock: "VCS-1-2025",
      projectId: "VCS-1",
      vintage: 2025,
      firstSerial: "100",
      lastSerial: String(100 + credits - 1),
      quantityKg: String(credits * 1000),
      beneficiary: "Moulder Ltd",
      txHash: tx,
      blockNumber: 9,
    };
  }

  function onLedger(listed: BundleRetirement, lotKey = LOT_KEY): RetiredOnLedger {
    return {
      retirementId: BigInt(listed.retirementId),
      lotKey,
      registry: listed.registry,
      serialBlock: listed.serialBlock,
      projectId: listed.projectId,
      vintage: BigInt(listed.vintage),
      firstSerial: BigInt(listed.firstSerial),
      lastSerial: BigInt(listed.lastSerial),
      beneficiary: listed.beneficiary,
      quantityKg: BigInt(listed.quantityKg),
      blockNumber: BigInt(listed.blockNumber),
    };
  }

  /**
   * The pellets' recycling run metered 1,000 kWh on the East China grid: 500 kg CO2e for the 800 kg lot. The
   * bundle lists `listed` retirements and the claim the rules give for them; the ledger holds `recorded`.
   */
  async function claimed(listed: BundleRetirement[], recorded: Array<[string, RetiredOnLedger]> = []) {
    const w = await world((events) => {
      const recycling = events[3]?.event as Record<string, unknown>;
      recycling["ct:activity"] = {
        "ct:electricity": [{ "ct:kWh": 1000, "ct:gridRegion": "CN-East", "ct:basis": "measured" }],
      };
    });
    forge(w, (b) => {
      b.retirements = listed;
      b.claim = claimOfBundle(b as unknown as ClaimSource, new Set(), listed).claim;
    });
    for (const [tx, log] of recorded) w.ledger.retired.set(tx, [...(w.ledger.retired.get(tx) ?? []), log]);
    return w;
  }

  const checksOf = async (w: World, kind: string) =>
    (await verifyBundle(w.bundle, sources(w))).checks.filter((c) => c.check === kind);

  it("proves a zero-carbon claim: footprint recomputed in grams, each retirement read from OffsetRegistry", async () => {
    const listed = retirement(1, `0x${"aa".repeat(32)}`);
    const w = await claimed([listed], [[listed.txHash, onLedger(listed)]]);
    expect(w.bundle.claim).toMatchObject({
      status: "zero-carbon",
      units: 800,
      footprintGrams: "500000",
      retiredGrams: "1000000",
    });
    const report = await verifyBundle(w.bundle, sources(w));
    expect(report.checks.filter((c) => c.status !== "pass")).toEqual([]);
    expect(report.checks.find((c) => c.check === "claim.identity")?.detail).toMatch(/^zero-carbon: 500000 g/);
    expect(report.outcome).toBe("verified");
  });

  it("fails an over-claimed zero-carbon: the footprint exceeds what was retired", async () => {
    // Nothing retired cannot cover 500 kg: the forger rewrites the claim and the digest.
    const w = await claimed([]);
    expect(w.bundle.claim?.status).toBe("measured");
    forge(w, (b) => ((b.claim as { status: string }).status = "zero-carbon"));
    const [identity] = await checksOf(w, "claim.identity");
    expect(identity).toMatchObject({ status: "fail", detail: expect.stringContaining("supports measured") });
  });

  it("fails a claim whose footprint is not the one the bundle's events give", async () => {
    const w = await claimed([]);
    forge(w, (b) => ((b.claim as { footprintGrams: string }).footprintGrams = "400000"));
    expect(await failed(w)).toEqual(["claim.footprint"]);
  });

  it("fails a retirement the ledger does not hold, and the zero-carbon claim resting on it", async () => {
    const w = await claimed([retirement(1, `0x${"bb".repeat(32)}`)]);
    expect(w.bundle.claim?.status).toBe("zero-carbon");
    expect(await failed(w)).toEqual(["offset.retirement", "claim.identity"]);
    const [check] = await checksOf(w, "offset.retirement");
    expect(check?.detail).toContain("recorded no retirement 1");
  });

  it("fails credits retired for another lot, and credits listed twice", async () => {
    const listed = retirement(1, `0x${"cc".repeat(32)}`);
    const foreign = await claimed([listed], [[listed.txHash, onLedger(listed, id("another lot"))]]);
    const [check] = await checksOf(foreign, "offset.retirement");
    expect(check).toMatchObject({ status: "fail", detail: expect.stringContaining("another lot") });
    expect(await failed(foreign)).toContain("claim.identity");

    // Half a tonne each, listed twice: the second listing counts for nothing, so 500 kg are not covered.
    const half = { ...retirement(1, `0x${"dd".repeat(32)}`), quantityKg: "400" };
    const twice = await claimed([half, half], [[half.txHash, { ...onLedger(half), quantityKg: 400n }]]);
    expect(twice.bundle.claim?.status).toBe("zero-carbon");
    expect(await failed(twice)).toEqual(["offset.retirement", "claim.identity"]);
  });

  it("fails a retirement whose serials or quantity differ from the ledger's", async () => {
    const listed = retirement(1, `0x${"ee".repeat(32)}`);
    const w = await claimed([listed], [[listed.txHash, { ...onLedger(listed), lastSerial: 99n }]]);
    const [check] = await checksOf(w, "offset.retirement");
    expect(check).toMatchObject({ status: "fail", detail: expect.stringContaining("last serial 99, not 100") });
  });

  it("fails factors that are not the library version the bundle names", async () => {
    const w = await claimed([]);
    forge(w, (b) => {
      const footprint = b.footprint as { library: { factors: Array<{ kgPerUnit: number }> } };
      (footprint.library.factors[0] as { kgPerUnit: number }).kgPerUnit = 0.05;
      b.claim = claimOfBundle(b as unknown as ClaimSource, new Set(), []).claim;
    });
    expect(await failed(w)).toEqual(["footprint.library"]);
  });

  it("does not verify a claim resting on retirements the ledger could not be asked about", async () => {
    const listed = retirement(1, `0x${"ff".repeat(32)}`);
    const w = await claimed([listed], [[listed.txHash, onLedger(listed)]]);
    const down = () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:8545"));
    const report = await verifyBundle(w.bundle, { ledger: { ...w.ledger, retirementsIn: down } });
    expect(report.outcome).toBe("incomplete");
    expect(report.checks.filter((c) => c.check.startsWith("offset.") || c.check === "claim.identity")).toEqual([
      expect.objectContaining({ check: "offset.retirement", status: "skip" }),
      expect.objectContaining({ check: "claim.identity", status: "skip" }),
    ]);
  });

  it("says a bundle of an earlier version carries no claim to verify", async () => {
    const w = await world();
    forge(w, (b) => {
      b.version = 2;
      delete b.footprint;
      delete b.retirements;
      delete b.claim;
    });
    const report = await verifyBundle(w.bundle, sources(w));
    expect(report.checks.find((c) => c.check === "claim.identity")).toMatchObject({ status: "skip" });
    expect(report.outcome).toBe("incomplete");
  });
});
