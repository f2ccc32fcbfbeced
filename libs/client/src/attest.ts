import {
  ledgerDomain,
  newAuthorization,
  signAttestation,
  type AttestationStatement,
  type ProofBundle,
  type TypedDataSigner,
  type Verdict,
} from "#proof";
import type { CarbonTraceClient } from "./client.js";

export interface AttestationRequest {
  /** The bundle the certifier verified (its digest is the attestation's subject). */
  readonly bundle: ProofBundle;
  readonly verdict: Verdict;
  /** The certifier's verification report, stored in IPFS through the API. */
  readonly report: { readonly bytes: Uint8Array; readonly mediaType: string; readonly fileName: string };
  /** The footprint result the certifier confirms, if any. */
  readonly footprint?: Readonly<Record<string, unknown>> | null;
}

export interface RecordedAttestation {
  readonly statement: AttestationStatement;
  readonly status: string;
  readonly txHash: string | null;
}

/**
 * A certifier's attestation about a bundle: stores the report, signs the statement (EIP-712 under TraceLedger's
 * domain) and posts it; the service records it on the ledger with attestBySig, so the certifier needs no gas.
 * The certifier is expected to have verified the bundle first.
 */
export async function attestBundle(
  api: CarbonTraceClient,
  signer: TypedDataSigner,
  request: AttestationRequest,
): Promise<RecordedAttestation> {
  const { bundle } = request;
  const uploaded = await api.uploadEvidence(request.report.bytes, request.report.mediaType, request.report.fileName);
  const statement: AttestationStatement = {
    type: "CarbonTraceAttestation",
    version: 1,
    lot: bundle.lot.id,
    bundleDigest: bundle.digest,
    verdict: request.verdict,
    reportCid: uploaded.cid,
    footprint: request.footprint ?? null,
    issuedAt: new Date().toISOString(),
  };
  const authorization = newAuthorization();
  const signature = await signAttestation(
    signer,
    ledgerDomain(bundle.ledger.chainId, bundle.ledger.traceLedger),
    statement,
    authorization,
  );
  const path = `/lots/${bundle.lot.gtin}/${encodeURIComponent(bundle.lot.lotNumber)}/attestations`;
  const recorded = await api.json<{ status: string; txHash: string | null }>(
    "POST",
    path,
    JSON.stringify({ statement, signature, ...authorization }),
    { "content-type": "application/json" },
  );
  return { statement, status: recorded.status, txHash: recorded.txHash };
}
