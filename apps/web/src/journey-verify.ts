/**
 * The journey page's verifier, loaded by journey.ts when the consumer asks to verify (so the page itself stays a
 * few kilobytes): checks the lot's proof bundle in the browser with the same verifier as the API and the CLI
 * (libs/proof), reading the ledger through the configured public RPC URL. Evidence files are fetched and
 * re-hashed to their CIDs; if they cannot be fetched, those checks are skipped (unknown), never passed.
 */
import { fetchLedgerReader } from "./ledger-rpc.js";
import { httpEvidenceReader } from "#client";
import { verifyBundle, type VerificationReport } from "#proof";

import type { JourneyConfig } from "./journey-config.js";

interface BundleView {
  readonly events?: ReadonlyArray<{
    eventHash: string;
    signer: string;
    role: string;
    event: { bizStep?: unknown };
  }>;
  readonly participants?: ReadonlyArray<{ address: string; displayName: { en: string; zh: string } }>;
}

/** Where the bundle says its evidence bytes are served (`…/evidence/{cid}`, on the page's own origin). */
function evidenceTemplateOf(bundle: unknown): string | undefined {
  const links = (bundle as { links?: { evidence?: unknown } } | null)?.links;
  return typeof links?.evidence === "string" && links.evidence.includes("{cid}") ? links.evidence : undefined;
}

function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => String(values[key] ?? match));
}

/** Who recorded the event a failed check is about, and which step it was: what a consumer can act on. */
function authorOf(subject: string, bundle: BundleView, config: JourneyConfig): string | undefined {
  const event = bundle.events?.find((item) => item.eventHash === subject);
  if (event === undefined) return undefined;
  const partner = bundle.participants?.find((p) => p.address.toLowerCase() === event.signer.toLowerCase());
  const step = typeof event.event.bizStep === "string" ? event.event.bizStep.replace(/^.*BizStep-/, "") : event.role;
  return fill(config.texts.failedBy, { partner: partner?.displayName[config.lang] ?? event.signer, step });
}

/** The reasons checks could not be done, each with how many checks it held back. */
function reasonsNotChecked(report: VerificationReport, config: JourneyConfig): HTMLUListElement {
  const counts = new Map<string, number>();
  for (const check of report.checks.filter((c) => c.status === "skip")) {
    const raw = check.detail.replace(/: .*$/s, "");
    const reason = config.texts.skipReasons.find((known) => check.detail.includes(known.contains))?.words ?? raw;
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const list = document.createElement("ul");
  list.className = "not-checked";
  for (const [reason, count] of counts) {
    const item = document.createElement("li");
    item.textContent = fill(config.texts.notChecked, { count, reason });
    list.append(item);
  }
  return list;
}

/** One button that shows or hides every check's technical detail (hashes, ids, the verifier's own words). */
function technicalToggle(list: HTMLElement, config: JourneyConfig): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "technical-toggle";
  button.setAttribute("aria-expanded", "false");
  button.textContent = config.texts.showTechnical;
  button.addEventListener("click", () => {
    const shown = list.classList.toggle("technical-shown");
    button.setAttribute("aria-expanded", String(shown));
    button.textContent = shown ? config.texts.hideTechnical : config.texts.showTechnical;
  });
  return button;
}

function renderReport(
  report: VerificationReport,
  bundle: BundleView,
  config: JourneyConfig,
  output: HTMLElement,
): void {
  const failed = report.checks.filter((check) => check.status === "fail");
  const passed = report.checks.filter((check) => check.status === "pass");
  const skipped = report.checks.filter((check) => check.status === "skip");
  const summary = document.createElement("p");
  summary.className = { verified: "verdict ok", failed: "verdict bad", incomplete: "verdict partial" }[report.outcome];
  summary.dataset.verdict = report.outcome;
  summary.textContent =
    report.outcome === "verified"
      ? fill(config.texts.summaryPass, { passed: passed.length })
      : report.outcome === "failed"
        ? fill(config.texts.summaryFail, { failed: failed.length, total: report.checks.length })
        : fill(config.texts.summaryIncomplete, { passed: passed.length, skipped: skipped.length });
  const list = document.createElement("ol");
  list.className = "checks";
  // A scrolling list must be reachable by keyboard (and announced as the report it is).
  list.tabIndex = 0;
  list.setAttribute("aria-label", summary.textContent);
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
    title.textContent = `${mark} ${config.texts.checkNames[check.check] ?? check.check}`;
    item.append(title);
    const author = check.status === "fail" ? authorOf(check.subject, bundle, config) : undefined;
    if (author !== undefined) {
      const who = document.createElement("span");
      who.className = "author";
      who.textContent = ` ${author}`;
      item.append(who);
    }
    // For experts, shown on request: the check's id, what it was about and the verifier's own words (English).
    const detail = document.createElement("small");
    detail.className = "technical";
    detail.textContent = ` ${check.check} · ${check.subject} — ${check.detail}`;
    item.append(detail);
    list.append(item);
  }
  output.replaceChildren(
    ...(report.outcome === "incomplete" ? [summary, reasonsNotChecked(report, config)] : [summary]),
    technicalToggle(list, config),
    list,
  );
}

/**
 * Verifies the bundle (already fetched by the page) and renders the report into `output`; returns the outcome for
 * the page's verification state at the top.
 */
export async function runVerification(
  config: JourneyConfig,
  bundle: Promise<unknown>,
  output: HTMLElement,
): Promise<VerificationReport["outcome"] | "unavailable"> {
  try {
    const ledger = config.rpcUrl === null ? undefined : fetchLedgerReader(config.rpcUrl, config.traceLedger);
    const loaded = await bundle;
    const evidence = evidenceTemplateOf(loaded);
    const report = await verifyBundle(loaded, {
      ...(ledger === undefined ? {} : { ledger }),
      ...(evidence === undefined ? {} : { evidence: httpEvidenceReader(evidence) }),
    });
    renderReport(report, loaded as BundleView, config, output);
    if (ledger === undefined) output.prepend(config.texts.noRpc);
    return report.outcome;
  } catch (error) {
    output.textContent = `${config.texts.bundleUnavailable} (${String(error)})`;
    return "unavailable";
  }
}
