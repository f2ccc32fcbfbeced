import { Inject, Injectable } from "@nestjs/common";
import type { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { DomainError } from "#common";
import {
  AnchorRepository,
  EventRepository,
  FootprintRepository,
  LotRepository,
  OffsetRepository,
  ParticipantRepository,
  type BatchRecord,
  type EventAnchor,
  type ParticipantRecord,
  type RetirementRecord,
  type StoredDeclaration,
  type StoredEvent,
  type AttestationRecord,
  type LotRecord,
} from "#database";
import {
  BUNDLE_TYPE,
  BUNDLE_VERSION,
  bundleDigest,
  claimOfBundle,
  loadTree,
  signingDomain,
  type BundleCore,
  type BundleDeclaration,
  type BundleEvent,
  type BundleFootprint,
  type BundleLedger,
  type BundleParticipant,
  type BundleRetirement,
  type LeafValue,
  type ProofBundle,
  type TreeDump,
  type VerificationReport,
  verifyBundle,
} from "#proof";
import { parseBaselineScenario } from "#footprint";
import type { EvidenceStore } from "#evidence";
import { traceLedgerReader, type Ledger } from "#ledger";
import { contextList, eventDocument } from "../events/query-document.js";
import { FactorLibraryService } from "../factors/factor-library.service.js";
import { LotAccess } from "./lot-access.js";
import { EVIDENCE_STORE, LEDGER } from "../runtime.ports.js";

export interface EventProof {
  readonly type: "CarbonTraceEventProof";
  readonly version: 1;
  readonly ledger: BundleLedger;
  readonly event: BundleEvent;
  readonly participant: BundleParticipant | null;
}

/** How many lots' verification reports are kept (by bundle digest: any change to a lot's records changes it). */
const VERIFIED_KEPT = 500;
/** …and for how long: evidence bytes and the chain can change without the digest changing. */
const VERIFIED_FOR_MS = 10 * 60_000;

/** Assembles proofs of events and bundles of lots from the database, the batches' trees and the ledger's identity. */
@Injectable()
export class ProofService {
  private readonly verified = new Map<string, { report: VerificationReport; at: number }>();

  constructor(
    @Inject(LEDGER) private readonly chainLedger: Ledger,
    @Inject(EVIDENCE_STORE) private readonly evidence: EvidenceStore,
    private readonly events: EventRepository,
    private readonly anchors: AnchorRepository,
    private readonly lots: LotRepository,
    private readonly participants: ParticipantRepository,
    private readonly factors: FactorLibraryService,
    private readonly footprints: FootprintRepository,
    private readonly offsets: OffsetRepository,
    private readonly access: LotAccess,
  ) {}

  get ledger(): BundleLedger {
    const { chain, addresses } = this.chainLedger;
    return {
      chainId: chain.chainId.toString(),
      traceLedger: addresses.TraceLedger,
      offsetRegistry: addresses.OffsetRegistry,
      signingDomain: signingDomain(chain.chainId, addresses.TraceLedger),
    };
  }

  async eventProof(eventId: string): Promise<EventProof> {
    const event = await this.events.findByEventId(eventId);
    if (event === undefined) throw new DomainError("EVENT.NOT_FOUND", "not-found", `No event ${eventId}`, { eventId });
    const [bundled] = await this.bundleEvents([event]);
    const [participant] = await this.participants.findByAddresses([event.signer]);
    return {
      type: "CarbonTraceEventProof",
      version: 1,
      ledger: this.ledger,
      event: bundled as BundleEvent,
      participant: participant === undefined ? null : toBundleParticipant(participant),
    };
  }

  /** Everything behind a lot, to verify offline (docs/proof-bundle.md). */
  async bundle(lotId: string, evidenceUrl: string): Promise<ProofBundle> {
    return (await this.bundleWithGraph(lotId, evidenceUrl)).bundle;
  }

  /** `bundle`, with the upstream lots it walked, so that a caller pricing the same lot need not walk them again. */
  async bundleWithGraph(lotId: string, evidenceUrl: string): Promise<{ bundle: ProofBundle; upstreamLots: string[] }> {
    const lot = await this.requireLot(lotId);
    const graph = await this.lots.upstream(lot.id);
    const stored = await this.events.findByHashes(graph.events);
    const retracted = stored.filter((event) => event.errorDeclaration !== null).map((event) => event.eventHash);
    const [events, declarations, lots, participants, evidence, attestations, footprint, retirements] =
      await Promise.all([
        this.bundleEvents(stored),
        this.events.declarationsOf(retracted).then((found) => this.bundleDeclarations(found)),
        this.lots.lots(graph.lots),
        this.participants.findByAddresses([...new Set(stored.map((e) => e.signer))]),
        this.lots.evidenceOf(graph.events),
        this.lots.attestations(lot.id),
        this.footprintBasis(lot.id),
        this.offsets.retirementsOfLot(lot.id).then((found) => found.flatMap(toBundleRetirement)),
      ]);
    const byCid = new Map<
      string,
      { cid: string; mediaType: string; byteSize: number; sha256: string; events: string[] }
    >();
    for (const link of evidence) {
      const entry = byCid.get(link.cid) ?? {
        cid: link.cid,
        mediaType: link.mediaType,
        byteSize: link.byteSize,
        sha256: link.sha256,
        events: [],
      };
      entry.events.push(link.eventHash);
      byCid.set(link.cid, entry);
    }
    const bundled = {
      lot: { id: lot.id, gtin: lot.gtin, lotNumber: lot.lotNumber },
      events,
      participants: participants.map(toBundleParticipant).sort((a, b) => a.address.localeCompare(b.address)),
      footprint,
    };
    const core: BundleCore = {
      type: BUNDLE_TYPE,
      version: BUNDLE_VERSION,
      ...bundled,
      ledger: this.ledger,
      declarations,
      lots: lots.map((l) => ({ ...l })),
      evidence: [...byCid.values()],
      retirements,
      // The claim is computed from the bundle's own content, exactly as the verifier recomputes it.
      claim: claimOfBundle(bundled, new Set(retracted), retirements).claim,
    };
    const bundle: ProofBundle = {
      ...core,
      generatedAt: new Date().toISOString(),
      attestations: attestations.map((a) => ({
        certifier: a.certifier,
        subject: a.subject,
        statement: a.statement,
        statementHash: a.statementHash,
        verdict: a.verdict,
        reportCid: a.reportCid,
        nonce: a.nonce,
        deadline: a.deadline,
        signature: a.signature,
        status: a.status,
        txHash: a.txHash,
        blockNumber: a.blockNumber,
      })),
      links: { evidence: evidenceUrl },
      digest: bundleDigest(core),
    };
    return { bundle, upstreamLots: graph.lots };
  }

  /**
   * The service's own verification of a bundle, against the ledger and the evidence it holds, as a certifier would
   * run it. With `fresh: false` a report of the same content (bundle digest) from the last ten minutes is reused:
   * a new event, a declaration, an attestation or a row changed in the database makes another digest, which is
   * verified afresh. Incomplete reports (records waiting for anchoring) are not kept.
   */
  async verification(bundle: ProofBundle, options: { fresh: boolean } = { fresh: true }): Promise<VerificationReport> {
    const key = `${bundle.digest} ${String(bundle.attestations.length)}`;
    const kept = this.verified.get(key);
    if (!options.fresh && kept !== undefined && Date.now() - kept.at < VERIFIED_FOR_MS) return kept.report;
    const report = await verifyBundle(bundle, {
      ledger: traceLedgerReader(this.chainLedger.chain.provider, this.chainLedger.addresses.TraceLedger),
      evidence: { read: (cid) => this.evidence.get(cid) },
    });
    this.verified.delete(key);
    if (report.outcome !== "incomplete") {
      if (this.verified.size >= VERIFIED_KEPT) this.verified.delete(this.verified.keys().next().value ?? "");
      this.verified.set(key, { report, at: Date.now() });
    }
    return report;
  }

  /** The latest factor library version, whole, with its SHA-256, and the lot's declared baseline. */
  private async footprintBasis(lotId: string): Promise<BundleFootprint> {
    const version = await this.factors.latest();
    const [library, baseline] = await Promise.all([
      this.factors.library(version.version),
      this.footprints.baseline(lotId),
    ]);
    return {
      library: { version: library.version, sha256: version.contentSha256, factors: library.factors },
      baseline: baseline === undefined ? null : parseBaselineScenario(baseline.scenario),
    };
  }

  requireLot(lotId: string): Promise<LotRecord> {
    return this.access.requireLot(lotId);
  }

  /** Certifiers' attestations of a lot that exists. */
  async attestationsOf(lotId: string): Promise<AttestationRecord[]> {
    return this.lots.attestations((await this.requireLot(lotId)).id);
  }

  private async bundleEvents(stored: readonly StoredEvent[]): Promise<BundleEvent[]> {
    const anchors = await this.anchors.anchorsOf(stored.map((e) => e.eventHash));
    const treeOf = treeCache();
    return stored.map((event) => {
      const anchor = anchors.get(event.eventHash);
      return {
        eventHash: event.eventHash,
        event: eventDocument(event),
        signer: event.signer,
        signature: event.signature,
        custodial: event.custodial,
        role: event.role,
        recordTime: event.recordTime.toISOString(),
        retracted: event.errorDeclaration !== null,
        anchor: anchor === undefined ? { status: "pending" } : anchorOf(anchor, treeOf),
      };
    });
  }

  private async bundleDeclarations(stored: readonly StoredDeclaration[]): Promise<BundleDeclaration[]> {
    const anchors = await this.anchors.anchorsOf(stored.map((d) => d.id));
    const treeOf = treeCache();
    return stored.map((declaration) => {
      const anchor = anchors.get(declaration.id);
      return {
        id: declaration.id,
        eventHash: declaration.eventHash,
        event: { "@context": contextList(declaration.context), ...declaration.body },
        signer: declaration.signer,
        signature: declaration.signature,
        custodial: declaration.custodial,
        recordTime: declaration.recordTime.toISOString(),
        anchor: anchor === undefined ? { status: "pending" } : anchorOf(anchor, treeOf),
      };
    });
  }
}

/** Loads each batch's tree once per bundle. */
function treeCache(): (batch: BatchRecord) => StandardMerkleTree<LeafValue> {
  const trees = new Map<number, StandardMerkleTree<LeafValue>>();
  return (batch) => {
    let tree = trees.get(batch.id);
    if (tree === undefined) {
      tree = loadTree((batch.manifest as { tree: TreeDump }).tree);
      trees.set(batch.id, tree);
    }
    return tree;
  };
}

function anchorOf(
  anchor: EventAnchor,
  treeOf: (batch: BatchRecord) => StandardMerkleTree<LeafValue>,
): BundleEvent["anchor"] {
  const { batch } = anchor;
  if (batch.status !== "anchored" && batch.status !== "final") return { status: "pending" };
  return {
    status: batch.status,
    leaf: anchor.leaf,
    leafIndex: anchor.leafIndex,
    proof: treeOf(batch).getProof(anchor.leafIndex),
    batch: {
      root: batch.root,
      leafCount: batch.leafCount,
      manifestCid: batch.manifestCid,
      chainBatchId: batch.chainBatchId ?? "",
      txHash: batch.txHash ?? "",
      blockNumber: batch.blockNumber ?? 0,
      blockHash: batch.blockHash ?? "",
      anchoredAt: batch.anchoredAt?.toISOString() ?? "",
    },
  };
}

/** A retirement the ledger recorded (pending ones are not in the bundle: nothing on the ledger backs them yet). */
function toBundleRetirement(retirement: RetirementRecord): BundleRetirement[] {
  const { chainRetirementId, txHash, blockNumber } = retirement;
  if (retirement.status !== "retired" || chainRetirementId === null || txHash === null || blockNumber === null) {
    return [];
  }
  return [
    {
      retirementId: String(chainRetirementId),
      registry: retirement.registry,
      serialBlock: retirement.serialBlock,
      projectId: retirement.projectId,
      vintage: retirement.vintage,
      firstSerial: retirement.firstSerial.toString(),
      lastSerial: retirement.lastSerial.toString(),
      quantityKg: ((retirement.lastSerial - retirement.firstSerial + 1n) * 1000n).toString(),
      beneficiary: retirement.beneficiary,
      txHash,
      blockNumber,
    },
  ];
}

function toBundleParticipant(participant: ParticipantRecord): BundleParticipant {
  return {
    address: participant.address,
    organisation: participant.organisation,
    displayName: { zh: participant.displayNameZh, en: participant.displayNameEn },
    identifier: { scheme: participant.identifierScheme, value: participant.identifier },
    roles: participant.roles.filter((r) => r.chainStatus === "granted").map((r) => r.role),
    custodial: participant.custodial,
    locations: [...participant.locations],
    country: participant.country,
  };
}
