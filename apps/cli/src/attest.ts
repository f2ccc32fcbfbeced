import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { rpcLedgerReader } from "#ledger";
import { attestBundle } from "#client";
import { VERDICTS, verifyBundle, type Verdict } from "#proof";
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
  const footprint =
    options.footprint === undefined
      ? null
      : (JSON.parse(await readFile(options.footprint, "utf8")) as Record<string, unknown>);
  const recorded = await attestBundle(client(options), wallet, {
    bundle,
    verdict: options.verdict as Verdict,
    report: {
      bytes: await readFile(options.report),
      mediaType: extname(options.report).toLowerCase() === ".pdf" ? "application/pdf" : "text/plain",
      fileName: basename(options.report),
    },
    footprint,
  });
  await writeOutput(
    undefined,
    `attestation ${recorded.status}${recorded.txHash === null ? "" : ` in transaction ${recorded.txHash}`} (${options.verdict}, report ${recorded.statement.reportCid})`,
  );
}
