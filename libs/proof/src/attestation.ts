import { getAddress, keccak256, TypedDataEncoder, verifyTypedData, type TypedDataField } from "ethers";
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
  ],
};

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

function message(statement: AttestationStatement): Record<string, unknown> {
  return {
    subject: statement.bundleDigest,
    statementHash: statementHash(statement),
    verdict: VERDICTS.indexOf(statement.verdict),
    reportCid: statement.reportCid,
  };
}

/** The certifier's EIP-712 signature, as TraceLedger.attestBySig checks it. */
export function signAttestation(
  signer: TypedDataSigner,
  domain: LedgerDomain,
  statement: AttestationStatement,
): Promise<string> {
  return signer.signTypedData(domain, { ...ATTESTATION_TYPES }, message(statement));
}

export function recoverAttestationSigner(
  domain: LedgerDomain,
  statement: AttestationStatement,
  signature: string,
): string {
  return verifyTypedData(domain, ATTESTATION_TYPES, message(statement), signature);
}

export function attestationDigest(domain: LedgerDomain, statement: AttestationStatement): string {
  return TypedDataEncoder.hash(domain, ATTESTATION_TYPES, message(statement));
}
