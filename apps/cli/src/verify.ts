import { readFile } from "node:fs/promises";
import { httpEvidenceReader, kuboEvidenceReader, unreachable } from "#client";
import { rpcLedgerReader } from "#ledger";
import { verifyBundle, type Check, type ProofBundle, type VerificationReport } from "#proof";
import { CliError, readInput, writeOutput } from "./io.js";

export interface VerifyOptions {
  readonly rpc?: string;
  readonly ipfs?: string;
  readonly evidence?: string;
  readonly json?: boolean;
}

/** Reads a bundle from a file, standard input, or an http(s) URL (e.g. a service's /lots/…/bundle). */
export async function loadBundle(source: string): Promise<ProofBundle> {
  let text: string;
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source).catch((error: unknown) => {
      throw unreachable(source, error);
    });
    if (!response.ok) throw new CliError(`${source} answered HTTP ${String(response.status)}`);
    text = await response.text();
  } else {
    text = source === "-" ? (await readInput("-")).toString("utf8") : await readFile(source, "utf8");
  }
  try {
    return JSON.parse(text) as ProofBundle;
  } catch {
    throw new CliError(`${source} is not JSON`);
  }
}

/**
 * `carbontrace verify <bundle>`: every check with its result and reason. Exit code 0 when everything was
 * verified, 1 when any check failed, 2 when nothing failed but some checks could not be done (no --rpc).
 */
export async function verify(source: string, options: VerifyOptions): Promise<void> {
  const bundle = await loadBundle(source);
  const report = await verifyBundle(bundle, {
    ...(options.rpc === undefined ? {} : { ledger: rpcLedgerReader(options.rpc, bundle.ledger.traceLedger) }),
    evidence: evidenceSource(bundle, options),
  });
  await writeOutput(
    undefined,
    options.json === true ? JSON.stringify(report, null, 2) : render(bundle, report, options),
  );
  process.exitCode = !report.ok ? 1 : !report.complete ? 2 : 0;
}

export function evidenceSource(
  bundle: ProofBundle,
  options: VerifyOptions,
): { read(cid: string): Promise<Uint8Array> } {
  if (options.ipfs !== undefined) return kuboEvidenceReader(options.ipfs);
  return httpEvidenceReader(options.evidence ?? bundle.links.evidence);
}

const MARK: Record<Check["status"], string> = { pass: "✔", fail: "✘", skip: "–" };

function render(bundle: ProofBundle, report: VerificationReport, options: VerifyOptions): string {
  const lines = [
    `Proof bundle for lot ${bundle.lot.id}`,
    `  ${bundle.events.length} event(s), ${bundle.lots.length} lot(s), ${bundle.evidence.length} evidence file(s), ` +
      `${bundle.attestations.length} attestation(s); chain ${bundle.ledger.chainId}, TraceLedger ${bundle.ledger.traceLedger}`,
    `  ledger: ${options.rpc ?? "not checked (give --rpc URL)"}; evidence: ${options.ipfs ?? options.evidence ?? bundle.links.evidence}`,
    "",
  ];
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]} ${check.check.padEnd(22)} ${short(check.subject)}  ${check.detail}`);
  }
  const failed = report.checks.filter((c) => c.status === "fail").length;
  const skipped = report.checks.filter((c) => c.status === "skip").length;
  lines.push("");
  lines.push(
    failed > 0
      ? `FAILED: ${failed} of ${report.checks.length} checks failed`
      : skipped > 0
        ? `INCOMPLETE: nothing failed, but ${skipped} check(s) could not be done`
        : `VERIFIED: all ${report.checks.length} checks passed (bundle digest ${report.digest})`,
  );
  return lines.join("\n");
}

function short(subject: string): string {
  const match = /^ni:\/\/\/sha-256;([0-9a-f]{12})[0-9a-f]*\?ver=CBV2\.0$/.exec(subject);
  return match === null ? subject : `event ${match[1] ?? ""}…`;
}
