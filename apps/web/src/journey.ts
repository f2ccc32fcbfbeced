/**
 * The journey page's "Verify" action: checks the lot's proof bundle in the consumer's browser with the same
 * verifier as the API and the CLI (libs/proof), reading the ledger through the configured public RPC URL.
 * The bundle is fetched as soon as the page opens, so verification still works if our API goes down after.
 * Evidence files are fetched on Verify and re-hashed to their CIDs; if they cannot be fetched then, those
 * checks are skipped (unknown), never passed.
 */
import { fetchLedgerReader } from "./ledger-rpc.js";
import { httpEvidenceReader } from "#client";
import { verifyBundle, type VerificationReport } from "#proof";

interface JourneyConfig {
  readonly bundleUrl: string;
  readonly rpcUrl: string | null;
  readonly traceLedger: string;
  readonly texts: {
    readonly verifying: string;
    readonly passed: string;
    readonly failed: string;
    readonly skipped: string;
    readonly summaryPass: string;
    readonly summaryFail: string;
    readonly bundleUnavailable: string;
    readonly noRpc: string;
  };
}

function readConfig(): JourneyConfig {
  const element = document.getElementById("journey-config");
  return JSON.parse(element?.textContent ?? "{}") as JourneyConfig;
}

async function loadBundle(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return response.json();
}

/** Where the bundle says its evidence bytes are served (`…/evidence/{cid}`, on the page's own origin). */
function evidenceTemplateOf(bundle: unknown): string | undefined {
  const links = (bundle as { links?: { evidence?: unknown } } | null)?.links;
  return typeof links?.evidence === "string" && links.evidence.includes("{cid}") ? links.evidence : undefined;
}

function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => String(values[key] ?? match));
}

function renderReport(report: VerificationReport, config: JourneyConfig, output: HTMLElement): void {
  const failed = report.checks.filter((check) => check.status === "fail");
  const passed = report.checks.filter((check) => check.status === "pass");
  const summary = document.createElement("p");
  summary.className = failed.length === 0 ? "verdict ok" : "verdict bad";
  summary.dataset.verdict = failed.length === 0 ? "pass" : "fail";
  summary.textContent =
    failed.length === 0
      ? fill(config.texts.summaryPass, { passed: passed.length })
      : fill(config.texts.summaryFail, { failed: failed.length, total: report.checks.length });
  const list = document.createElement("ol");
  list.className = "checks";
  // Failures first: what a consumer needs to see is what went wrong.
  const ordered = [...failed, ...report.checks.filter((check) => check.status !== "fail")];
  for (const check of ordered) {
    const item = document.createElement("li");
    item.className = `check ${check.status}`;
    item.dataset.check = check.check;
    item.dataset.subject = check.subject;
    item.dataset.status = check.status;
    const mark = { pass: config.texts.passed, fail: config.texts.failed, skip: config.texts.skipped }[check.status];
    const title = document.createElement("strong");
    title.textContent = `${mark} ${check.check}`;
    const detail = document.createElement("span");
    detail.textContent = ` ${check.subject} — ${check.detail}`;
    item.append(title, detail);
    list.append(item);
  }
  output.replaceChildren(summary, list);
}

function start(): void {
  const config = readConfig();
  const button = document.getElementById("verify-button");
  const output = document.getElementById("verify-result");
  if (!(button instanceof HTMLButtonElement) || output === null) return;
  const bundle = loadBundle(config.bundleUrl);
  // Keep an early failure from surfacing as an unhandled rejection; the click reports it.
  bundle.catch(() => undefined);
  button.addEventListener("click", () => {
    button.disabled = true;
    output.textContent = config.texts.verifying;
    void (async () => {
      try {
        const ledger = config.rpcUrl === null ? undefined : fetchLedgerReader(config.rpcUrl, config.traceLedger);
        const loaded = await bundle;
        const evidence = evidenceTemplateOf(loaded);
        const report = await verifyBundle(loaded, {
          ...(ledger === undefined ? {} : { ledger }),
          ...(evidence === undefined ? {} : { evidence: httpEvidenceReader(evidence) }),
        });
        renderReport(report, config, output);
        if (ledger === undefined) output.prepend(config.texts.noRpc);
      } catch (error) {
        output.textContent = `${config.texts.bundleUnavailable} (${String(error)})`;
      } finally {
        button.disabled = false;
      }
    })();
  });
}

start();
