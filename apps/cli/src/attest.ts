import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { rpcLedgerReader } from "#ledger";
import { ledgerDomain, signAttestation, VERDICTS, verifyBundle, type AttestationStatement, type Verdict } from "#proof";
import { client, type ApiOptions } from "./commands.js";
import { CliError, writeOutput } from "./io.js";
import { signingKey } from "./signing-key.js";
import { evidenceSource, loadBundle } from "./verify.js";

export interface AttestOptions extends ApiOptions {
  readonly verdict: string;
  readonly report: string;
  readonly keyFile?: string;
  readonly rpc?: string;
  readonly footprint?: string;
}

/**
 * `carbontrace attest <bundle>`: verifies the bundle, stores the report in IPFS, signs the statement with the
 * certifier's key (EIP-712, TraceLedger's domain) and posts it; the service records it on the ledger.
 */
export async function attest(source: string, options: AttestOptions): Promise<void> {
  if (!(VERDICTS as readonly string[]).includes(options.verdict)) {
    throw new CliError(`--verdict must be one of ${VERDICTS.join(", ")}`);
  }
  const wallet = await signingKey(options.keyFile);
  if (wallet === undefined) throw new CliError("no signing key: pass --key-file or set CARBONTRACE_SIGNING_KEY(_FILE)");
  const bundle = await loadBundle(source);
  const report = await verifyBundle(bundle, {
    ...(options.rpc === undefined ? {} : { ledger: rpcLedgerReader(options.rpc, bundle.ledger.traceLedger) }),
    evidence: evidenceSource(bundle, {}),
  });
  if (!report.ok) {
    const failed = report.checks.filter((c) => c.status === "fail").map((c) => `${c.check} ${c.subject}`);
    throw new CliError(`the bundle does not verify (${failed.join("; ")}); run carbontrace verify for details`);
  }
  const api = client(options);
  const reportBytes = await readFile(options.report);
  const type = extname(options.report).toLowerCase() === ".pdf" ? "application/pdf" : "text/plain";
  const uploaded = await api.uploadEvidence(reportBytes, type, basename(options.report));
  const statement: AttestationStatement = {
    type: "CarbonTraceAttestation",
    version: 1,
    lot: bundle.lot.id,
    bundleDigest: bundle.digest,
    verdict: options.verdict as Verdict,
    reportCid: uploaded.cid,
    footprint:
      options.footprint === undefined
        ? null
        : (JSON.parse(await readFile(options.footprint, "utf8")) as Record<string, unknown>),
    issuedAt: new Date().toISOString(),
  };
  const signature = await signAttestation(
    wallet,
    ledgerDomain(bundle.ledger.chainId, bundle.ledger.traceLedger),
    statement,
  );
  const path = `/lots/${bundle.lot.gtin}/${encodeURIComponent(bundle.lot.lotNumber)}/attestations`;
  const recorded = await api.json<{ status: string; txHash: string | null }>(
    "POST",
    path,
    JSON.stringify({ statement, signature }),
    {
      "content-type": "application/json",
    },
  );
  await writeOutput(
    undefined,
    `attestation ${recorded.status}${recorded.txHash === null ? "" : ` in transaction ${recorded.txHash}`} (${options.verdict}, report ${uploaded.cid})`,
  );
}
