import { keccak256 } from "ethers";
import type { BaselineScenario, EmissionFactor } from "#footprint";
import type { ClaimStatus } from "#offsets";
import type { SigningDomain } from "./event-signature.js";
import { canonicalBytes } from "./manifest.js";

export const BUNDLE_TYPE = "CarbonTraceProofBundle" as const;
/**
 * Version 2 added error declarations (signed, anchored) and participants' sites; version 3 the claim: the factor
 * library, the baseline, the participants' countries, the offsets retired for the lot and the claim they support.
 * The verifier reads versions 1 and 2 too (their claim is not verified).
 */
export const BUNDLE_VERSION = 3 as const;

export type AnchorStatus = "pending" | "anchored" | "final";

/** Where an event's batch is anchored. */
export interface BundleBatch {
  readonly root: string;
  readonly leafCount: number;
  readonly manifestCid: string;
  readonly chainBatchId: string;
  readonly txHash: string;
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly anchoredAt: string;
}

export interface BundleAnchor {
  readonly status: AnchorStatus;
  /** Present once the event is in an anchored batch. */
  readonly leaf?: string;
  readonly leafIndex?: number;
  readonly proof?: readonly string[];
  readonly batch?: BundleBatch;
}

export interface BundleEvent {
  readonly eventHash: string;
  /** The event as captured, JSON-LD with its @context, eventID and recordTime. */
  readonly event: Readonly<Record<string, unknown>>;
  readonly signer: string;
  readonly signature: string;
  /** Signed by the service with the participant's custodial key. */
  readonly custodial: boolean;
  /** The supply-chain role the event was recorded under (its footprint stage). */
  readonly role: string;
  readonly recordTime: string;
  /**
   * Declared erroneous by a later error declaration (listed in `declarations`); its effect on lots was reversed.
   * The verifier does not take this flag's word: it recomputes it from the signed declarations.
   */
  readonly retracted: boolean;
  readonly anchor: BundleAnchor;
}

/**
 * An EPCIS error declaration: the event posted again with `errorDeclaration`, signed (EIP-712
 * `ErrorDeclaration(bytes32 eventHash, bytes32 declaration)`) by the signer of the event it retracts, and anchored
 * under its own `id`.
 */
export interface BundleDeclaration {
  /** keccak256("CarbonTrace ErrorDeclaration" ‖ eventDigest ‖ keccak256(canonical errorDeclaration)). */
  readonly id: string;
  /** The event declared erroneous. */
  readonly eventHash: string;
  /** The declaring event as captured (JSON-LD with its @context, carrying `errorDeclaration`). */
  readonly event: Readonly<Record<string, unknown>>;
  readonly signer: string;
  readonly signature: string;
  readonly custodial: boolean;
  readonly recordTime: string;
  readonly anchor: BundleAnchor;
}

export interface BundleLot {
  readonly id: string;
  readonly gtin: string;
  readonly lotNumber: string;
  readonly unit: string;
  readonly produced: string;
  readonly consumed: string;
  /** First seen without an event of this service producing it: an input without provenance. */
  readonly external: boolean;
}

export interface BundleParticipant {
  readonly address: string;
  readonly organisation: string;
  readonly displayName: { readonly zh: string; readonly en: string };
  readonly identifier: { readonly scheme: string; readonly value: string };
  readonly roles: readonly string[];
  readonly custodial: boolean;
  /** GLNs of its sites besides its own GLN (version 2). */
  readonly locations?: readonly string[];
  /** ISO 3166 country it operates in (version 3): the region of its activities that name none. */
  readonly country?: string | null;
}

export interface BundleEvidence {
  readonly cid: string;
  readonly mediaType: string;
  readonly byteSize: number;
  readonly sha256: string;
  readonly events: readonly string[];
}

export interface BundleAttestation {
  readonly certifier: string;
  readonly subject: string;
  readonly statement: Readonly<Record<string, unknown>>;
  readonly statementHash: string;
  readonly verdict: string;
  readonly reportCid: string;
  /** The certifier's unused nonce (decimal uint256) and the deadline (unix seconds) it signed with. */
  readonly nonce: string;
  readonly deadline: number;
  readonly signature: string;
  readonly status: string;
  readonly txHash: string | null;
  readonly blockNumber: number | null;
}

export interface BundleLedger {
  readonly chainId: string;
  readonly traceLedger: string;
  readonly offsetRegistry: string;
  /** Domain of event signatures. */
  readonly signingDomain: SigningDomain;
}

/**
 * What the footprint is computed with (version 3): a whole factor library version, so that the verifier recomputes
 * the footprint from the bundle's events by the same rules and can recompute the library's SHA-256 (the one the
 * service states for that version, `GET /factors/versions/{n}`), and the conventional product declared for the lot.
 */
export interface BundleFootprint {
  readonly library: {
    readonly version: string;
    readonly sha256: string;
    readonly factors: readonly EmissionFactor[];
  };
  /** The declared baseline (the conventional product, per declared unit); not signed by a partner. */
  readonly baseline: BaselineScenario | null;
}

/** Credits retired on OffsetRegistry for the lot (version 3): the verifier reads each from the ledger. */
export interface BundleRetirement {
  /** OffsetRegistry's sequence number of the retirement (decimal). */
  readonly retirementId: string;
  readonly registry: string;
  readonly serialBlock: string;
  readonly projectId: string;
  readonly vintage: number;
  /** Decimal uint256. */
  readonly firstSerial: string;
  readonly lastSerial: string;
  /** kg CO2e (one credit is one tonne), decimal. */
  readonly quantityKg: string;
  readonly beneficiary: string;
  readonly txHash: string;
  readonly blockNumber: number;
}

/**
 * What the label claims (version 3), in whole grams for the whole lot: computed by the same rules the verifier
 * re-runs (`claimOfBundle`) from the events, the library, the baseline and the retirements of this bundle.
 */
export interface BundleClaim {
  readonly status: ClaimStatus;
  readonly units: number;
  /** The footprint, rounded up to the gram. */
  readonly footprintGrams: string;
  /** The baseline of as many conventional products, rounded down; null without a baseline. */
  readonly baselineGrams: string | null;
  /** The retirements' total, in grams. */
  readonly retiredGrams: string;
}

/**
 * Everything behind a product lot that a certifier needs to verify it without trusting the server:
 * see docs/proof-bundle.md and docs/proof-bundle.schema.json.
 */
export interface ProofBundle {
  readonly type: typeof BUNDLE_TYPE;
  readonly version: 1 | 2 | typeof BUNDLE_VERSION;
  readonly generatedAt: string;
  readonly lot: { readonly id: string; readonly gtin: string; readonly lotNumber: string };
  readonly ledger: BundleLedger;
  /** In recording order. */
  readonly events: readonly BundleEvent[];
  /** The error declarations of the retracted events (version 2). */
  readonly declarations?: readonly BundleDeclaration[];
  readonly lots: readonly BundleLot[];
  readonly participants: readonly BundleParticipant[];
  readonly evidence: readonly BundleEvidence[];
  /** Version 3. */
  readonly footprint?: BundleFootprint;
  /** Version 3: the retirements recorded on the ledger for the lot. */
  readonly retirements?: readonly BundleRetirement[];
  /** Version 3: null when the lot makes no claim (no footprint can be computed, or it is zero). */
  readonly claim?: BundleClaim | null;
  readonly attestations: readonly BundleAttestation[];
  /** Where the issuing service serves evidence bytes (`{cid}` placeholder); any IPFS source works as well. */
  readonly links: { readonly evidence: string };
  /** keccak256 of the canonical JSON of the bundle without generatedAt, attestations, links and digest. */
  readonly digest: string;
}

export type BundleCore = Omit<ProofBundle, "generatedAt" | "attestations" | "links" | "digest">;

/** The identity of a bundle's content: what certifiers attest (TraceLedger subject). */
export function bundleDigest(bundle: BundleCore | ProofBundle): string {
  const { type, version, lot, ledger, events, declarations, lots, participants, evidence } = bundle;
  const { footprint, retirements, claim } = bundle;
  return keccak256(
    canonicalBytes({
      type,
      version,
      lot,
      ledger,
      events,
      ...(declarations === undefined ? {} : { declarations }),
      lots,
      participants,
      evidence,
      ...(footprint === undefined ? {} : { footprint }),
      ...(retirements === undefined ? {} : { retirements }),
      ...(claim === undefined ? {} : { claim }),
    }),
  );
}
