import { keccak256 } from "ethers";
import type { SigningDomain } from "./event-signature.js";
import { canonicalBytes } from "./manifest.js";

export const BUNDLE_TYPE = "CarbonTraceProofBundle" as const;
export const BUNDLE_VERSION = 1 as const;

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
  /** Declared erroneous by a later error declaration; its effect on lots was reversed. */
  readonly retracted: boolean;
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
 * Everything behind a product lot that a certifier needs to verify it without trusting the server:
 * see docs/proof-bundle.md and docs/proof-bundle.schema.json.
 */
export interface ProofBundle {
  readonly type: typeof BUNDLE_TYPE;
  readonly version: typeof BUNDLE_VERSION;
  readonly generatedAt: string;
  readonly lot: { readonly id: string; readonly gtin: string; readonly lotNumber: string };
  readonly ledger: BundleLedger;
  readonly events: readonly BundleEvent[];
  readonly lots: readonly BundleLot[];
  readonly participants: readonly BundleParticipant[];
  readonly evidence: readonly BundleEvidence[];
  readonly attestations: readonly BundleAttestation[];
  /** Where the issuing service serves evidence bytes (`{cid}` placeholder); any IPFS source works as well. */
  readonly links: { readonly evidence: string };
  /** keccak256 of the canonical JSON of the bundle without generatedAt, attestations, links and digest. */
  readonly digest: string;
}

export type BundleCore = Omit<ProofBundle, "generatedAt" | "attestations" | "links" | "digest">;

/** The identity of a bundle's content: what certifiers attest (TraceLedger subject). */
export function bundleDigest(bundle: BundleCore | ProofBundle): string {
  const { type, version, lot, ledger, events, lots, participants, evidence } = bundle;
  return keccak256(canonicalBytes({ type, version, lot, ledger, events, lots, participants, evidence }));
}
