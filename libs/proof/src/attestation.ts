import {
  getAddress,
  hexlify,
  keccak256,
  randomBytes,
  TypedDataEncoder,
  verifyTypedData,
  type TypedDataField,
} from "ethers";
import { canonicalBytes } from "./manifest.js";
import type { TypedDataSigner } from "./event-signature.js";

/** Verdicts in TraceLedger's order (ITraceLedger.Verdict). */
export const VERDICTS = ["verified", "verified_with_qualifications", "rejected"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** What a certifier states about a lot; its keccak256 (canonical JSON) is the on-chain statement hash. */
export interface AttestationStatement {
  readonly type: "CarbonTraceAttestation";
  readonly version: 1;
  readonly lot: string;
  /** Digest of the proof bundle the certifier verified (the attestation's subject). */
  readonly bundleDigest: string;
  readonly verdict: Verdict;
  /** CID of the verification report (in IPFS). */
  readonly reportCid: string;
  /** The footprint result the certifier confirms, if any (kg CO2e per declared unit, stage by stage). */
  readonly footprint: Readonly<Record<string, unknown>> | null;
  readonly issuedAt: string;
}

export const ATTESTATION_TYPES: Readonly<Record<string, TypedDataField[]>> = {
  Attestation: [
    { name: "subject", type: "bytes32" },
    { name: "statementHash", type: "bytes32" },
    { name: "verdict", type: "uint8" },
    { name: "reportCid", type: "string" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/**
 * What makes a signed attestation usable once and only for a while: a nonce the certifier has not used
 * (any number: TraceLedger's nonces are unordered) and a deadline after which the ledger refuses it.
 */
export interface AttestationAuthorization {
  /** Decimal text of a uint256. */
  readonly nonce: string;
  /** Unix time (seconds). */
  readonly deadline: number;
}

/** How long a certifier's signature stays valid by default: a week, time enough for a chain outage. */
export const DEFAULT_ATTESTATION_VALIDITY_SECONDS = 7 * 24 * 3600;

/** A fresh authorization: a random 128-bit nonce and a deadline `validitySeconds` from `now`. */
export function newAuthorization(
  now = Date.now(),
  validitySeconds = DEFAULT_ATTESTATION_VALIDITY_SECONDS,
): AttestationAuthorization {
  return {
    nonce: BigInt(hexlify(randomBytes(16))).toString(),
    deadline: Math.floor(now / 1000) + validitySeconds,
  };
}

export interface LedgerDomain {
  readonly name: "CarbonTrace TraceLedger";
  readonly version: "1";
  readonly chainId: string;
  readonly verifyingContract: string;
}

export function ledgerDomain(chainId: bigint | string, traceLedger: string): LedgerDomain {
  return {
    name: "CarbonTrace TraceLedger",
    version: "1",
    chainId: chainId.toString(),
    verifyingContract: getAddress(traceLedger),
  };
}

export function statementHash(statement: AttestationStatement): string {
  return keccak256(canonicalBytes(statement));
}

function message(statement: AttestationStatement, authorization: AttestationAuthorization): Record<string, unknown> {
  return {
    subject: statement.bundleDigest,
    statementHash: statementHash(statement),
    verdict: VERDICTS.indexOf(statement.verdict),
    reportCid: statement.reportCid,
    nonce: BigInt(authorization.nonce),
    deadline: BigInt(authorization.deadline),
  };
}

/** The certifier's EIP-712 signature, as TraceLedger.attestBySig checks it. */
export function signAttestation(
  signer: TypedDataSigner,
  domain: LedgerDomain,
  statement: AttestationStatement,
  authorization: AttestationAuthorization,
): Promise<string> {
  return signer.signTypedData(domain, { ...ATTESTATION_TYPES }, message(statement, authorization));
}

export function recoverAttestationSigner(
  domain: LedgerDomain,
  statement: AttestationStatement,
  authorization: AttestationAuthorization,
  signature: string,
): string {
  return verifyTypedData(domain, ATTESTATION_TYPES, message(statement, authorization), signature);
}

export function attestationDigest(
  domain: LedgerDomain,
  statement: AttestationStatement,
  authorization: AttestationAuthorization,
): string {
  return TypedDataEncoder.hash(domain, ATTESTATION_TYPES, message(statement, authorization));
}
