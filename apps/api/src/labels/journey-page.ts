import type { JourneyView, ProductView } from "./journey.service.js";
import { epcToDigitalLink } from "#epcis";
import { CHECK_NAMES, SKIP_REASONS, stageName, TEXT, type Lang } from "./i18n.js";
import { assetUrl, assetUrls } from "./static-assets.js";

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const kg = (value: number, digits = 2): string => value.toFixed(digits);
const percent = (value: number): string => value.toFixed(0);

/** The public journey page: readable without JavaScript; the script only adds the in-browser Verify. */
export function renderJourneyPage(view: JourneyView, lang: Lang, pageUrl: string): string {
  const t = TEXT[lang];
  const other: Lang = lang === "en" ? "zh" : "en";
  const name = view.product?.name[lang] ?? `${t.unknownProduct} ${view.gtin}`;
  const description = view.product?.description[lang] ?? undefined;
  const config = {
    bundleUrl: view.verification.bundleUrl,
    rpcUrl: view.verification.rpcUrl,
    traceLedger: view.ledger.traceLedger,
    lang,
    verifierUrl: assetUrl("verifier"),
    texts: {
      state: {
        verified: t.stateVerified,
        failed: t.stateFailed,
        incomplete: t.stateIncomplete,
        unavailable: t.stateUnavailable,
      },
      verifying: t.verifying,
      passed: t.passed,
      failed: t.failed,
      skipped: t.skipped,
      summaryPass: t.summaryPass,
      summaryFail: t.summaryFail,
      summaryIncomplete: t.summaryIncomplete,
      failedBy: t.failedBy,
      notChecked: t.notChecked,
      bundleUnavailable: t.bundleUnavailable,
      noRpc: t.noRpc,
      showTechnical: t.showTechnical,
      hideTechnical: t.hideTechnical,
      checkNames: Object.fromEntries(Object.entries(CHECK_NAMES).map(([id, words]) => [id, words[lang]])),
      skipReasons: SKIP_REASONS.map((reason) => ({ contains: reason.contains, words: reason[lang] })),
    },
  };
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(name)} · ${escapeHtml(t.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetUrls().style}">
<script type="application/json" id="journey-config">${jsonForScript(config)}</script>
<script type="module" src="${assetUrls().script}"></script>
</head>
<body>
<header>
  <a class="lang" id="lang-toggle" hreflang="${other}" href="${escapeHtml(withLang(pageUrl, other))}">${t.switchTo}</a>
  <p class="kicker">${escapeHtml(t.title)}</p>
  <h1 id="product-name">${escapeHtml(name)}</h1>
  ${description === undefined ? "" : `<p class="description" id="product-description">${escapeHtml(description)}</p>`}
  <p class="lot">${escapeHtml(t.lot)} <code>${escapeHtml(view.lot)}</code> · GTIN <code>${view.gtin}</code></p>
  ${claimBlock(view, lang)}
  ${certifiedLine(view, lang)}
  <div class="verify-now">
    <p class="verify-state" id="verify-state" data-state="unchecked" aria-live="polite">${escapeHtml(t.stateUnchecked)}</p>
    <button type="button" id="verify-now">${escapeHtml(t.verifyNow)}</button>
  </div>
</header>
<main>
<section id="verify">
  <h2>${escapeHtml(t.verify)}</h2>
  <p>${escapeHtml(t.verifyIntro)}</p>
  <button type="button" id="verify-button">${escapeHtml(t.verifyButton)}</button>
  <div id="verify-result" aria-live="polite"></div>
</section>
${attestationsSection(view, lang)}
${footprintSection(view, lang)}
${equivalentsSection(view, lang)}
${recycledSection(view, lang)}
${offsetsSection(view, lang)}
${timelineSection(view, lang)}
${expertSection(view, lang)}
</main>
</body>
</html>
`;
}

/** The friendly page for a code we do not know (404). */
/** What went wrong with a code, for the page: a problem's code and details as the resolver met them. */
export interface CodeProblem {
  readonly code: string;
  readonly kind: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * The page a consumer gets for a code we cannot answer: what was wrong with it in their language (a check digit
 * that does not match, a value that is no GS1 code, a product or lot we do not know), never a raw problem document.
 */
export function renderNotFoundPage(
  lang: Lang,
  pageUrl: string,
  problem?: CodeProblem,
  key: { gtin?: string; lot?: string } = {},
): string {
  const t = TEXT[lang];
  const invalid = problem?.kind === "invalid";
  const title = invalid ? t.badCodeTitle : t.notFoundTitle;
  const fill = (template: string): string =>
    template
      .replace("{gtin}", key.gtin ?? "")
      .replace("{lot}", key.lot ?? "")
      .replace("{detail}", problem?.message ?? "");
  const reason =
    problem?.code === "DIGITAL_LINK.CHECK_DIGIT"
      ? t.checkDigit
      : invalid
        ? fill(t.badValue)
        : key.lot !== undefined
          ? fill(t.lotNotFound)
          : key.gtin !== undefined
            ? fill(t.productNotFound)
            : "";
  return shell(
    lang,
    title,
    pageUrl,
    `<main>${reason === "" ? "" : `<p id="reason">${escapeHtml(reason)}</p>`}
<p>${escapeHtml(t.notFound)}</p></main>`,
  );
}

/** A product's page (a GTIN-only Digital Link): its name, its lots newest first, and the latest lot's claim. */
export function renderProductPage(view: ProductView, lang: Lang, pageUrl: string): string {
  const t = TEXT[lang];
  const name = view.name?.[lang] ?? `${t.unknownProduct} ${view.gtin}`;
  const description = view.description?.[lang] ?? undefined;
  const latest = view.latest;
  const lots = view.lots
    .map(
      (lot) =>
        `<li><a href="${escapeHtml(lot.path)}">${escapeHtml(t.lot)} ${escapeHtml(lot.lot)}</a> · ${escapeHtml(
          t.recorded,
        )} ${escapeHtml(lot.createdAt.slice(0, 10))}</li>`,
    )
    .join("");
  return shell(
    lang,
    name,
    pageUrl,
    `<main>
${description === undefined ? "" : `<p>${escapeHtml(description)}</p>`}
${
  latest === null || latest.claim === null
    ? ""
    : `<section id="latest"><h2>${escapeHtml(t.latestClaim)}: ${escapeHtml(latest.lot)}</h2><p>${escapeHtml(
        latest.claim[lang],
      )}</p></section>`
}
<section id="lots"><h2>${escapeHtml(t.lots)}</h2><ul>${lots}</ul></section></main>`,
  );
}

function shell(lang: Lang, title: string, pageUrl: string, main: string): string {
  const t = TEXT[lang];
  const other: Lang = lang === "en" ? "zh" : "en";
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="${assetUrls().style}"></head>
<body><header><a class="lang" href="${escapeHtml(withLang(pageUrl, other))}">${t.switchTo}</a>
<h1>${escapeHtml(title)}</h1></header>${main}</body></html>
`;
}

function claimBlock(view: JourneyView, lang: Lang): string {
  if (view.verification.outcome === "failed") {
    return `<div class="status failed" id="claim" data-status="failed"><p class="headline">${escapeHtml(
      TEXT[lang].recordsFailed,
    )}</p></div>`;
  }
  if (view.claim === null) return `<p class="status measured">${escapeHtml(TEXT[lang].noFootprint)}</p>`;
  const text = view.claim.text[lang];
  return `<div class="status ${view.claim.status}" id="claim" data-status="${view.claim.status}">
    <p class="headline">${escapeHtml(text.headline)}</p>
    <p>${escapeHtml(text.sentence)}</p>
    <p class="identity" id="identity">${identityLine(view.claim, lang)} kg CO<sub>2</sub>e</p>
  </div>`;
}

/**
 * The claim's identity with each term named, per unit, in the claim's own figures: "conventional 1.94 − reduction
 * 1.39 = footprint 0.55 = offsets retired 0.55" (the parts the status allows only).
 */
function identityLine(claim: NonNullable<JourneyView["claim"]>, lang: Lang): string {
  const t = TEXT[lang];
  const term = (name: string, value: string): string => `${escapeHtml(name)} <b>${escapeHtml(value)}</b>`;
  const { baseline, reduction, footprint, offset } = claim.display;
  const reduced =
    baseline === null || reduction === null
      ? ""
      : `${term(t.identityBaseline, baseline)} − ${term(t.identityReduction, reduction)} = `;
  const offsetPart = claim.status === "zero-carbon" ? ` = ${term(t.identityOffset, offset)}` : "";
  return `${reduced}${term(t.identityFootprint, footprint)}${offsetPart}`;
}

/**
 * One rounding rule for every consumer-facing figure, the label's (libs/offsets): two decimals, footprint rounded
 * up, the conventional product down, the reduction their difference. The claim's figures when the lot has one.
 */
function shownFigures(view: JourneyView): {
  footprint: string;
  baseline: string | null;
  reduction: string | null;
  reductionPercent: string | null;
} | null {
  const f = view.footprint;
  if (f === null) return null;
  const footprint = view.claim?.display.footprint ?? hundredthsUp(f.perUnitKg);
  const baseline = view.claim?.display.baseline ?? (f.baseline === null ? null : hundredthsDown(f.baseline.perUnitKg));
  const reductionValue = baseline === null ? null : Number(baseline) - Number(footprint);
  const reduction =
    view.claim?.display.reduction ??
    (reductionValue === null || reductionValue < 0.005 ? null : reductionValue.toFixed(2));
  return {
    footprint,
    baseline,
    reduction,
    reductionPercent:
      reduction === null || baseline === null ? null : percent((Number(reduction) / Number(baseline)) * 100),
  };
}

const hundredthsUp = (value: number): string => (Math.ceil(Math.round(value * 1e6) / 1e4) / 100).toFixed(2);
const hundredthsDown = (value: number): string => (Math.floor(Math.round(value * 1e6) / 1e4) / 100).toFixed(2);

function footprintSection(view: JourneyView, lang: Lang): string {
  const t = TEXT[lang];
  const f = view.footprint;
  if (f === null) {
    return `<section id="footprint"><h2>${escapeHtml(t.footprint)}</h2><p>${escapeHtml(t.noFootprint)}${
      view.footprintProblem === null ? "" : `: ${escapeHtml(view.footprintProblem.detail)}`
    }</p></section>`;
  }
  const per = f.declaredUnit.unit === "KGM" ? t.perKg : t.perUnit;
  const max = Math.max(...f.stages.map((s) => Math.abs(s.perUnitKg)), 1e-12);
  const stages = f.stages
    .map(
      (
        s,
      ) => `<li data-stage="${escapeHtml(s.stage)}"><span class="name">${escapeHtml(stageName(s.role, s.bizStep, lang, view.model))}</span>
      <meter class="bar" min="0" max="100" value="${((Math.abs(s.perUnitKg) / max) * 100).toFixed(1)}"></meter>
      <span class="value">${kg(s.perUnitKg, 3)} kg</span></li>`,
    )
    .join("\n");
  const shown = shownFigures(view);
  const baseline =
    shown?.baseline === null || shown?.baseline === undefined
      ? ""
      : `<p>${escapeHtml(t.baseline)}: ${shown.baseline} kg${
          shown.reduction === null
            ? ""
            : ` · ${escapeHtml(t.reduction)} ${shown.reduction} kg (${shown.reductionPercent ?? ""} %)`
        }</p>`;
  return `<section id="footprint">
  <h2>${escapeHtml(t.footprint)}</h2>
  <p class="big"><span id="per-unit">${shown?.footprint ?? kg(f.perUnitKg)}</span> kg CO<sub>2</sub>e ${escapeHtml(per)}</p>
  <p class="muted">${escapeHtml(t.total)}: ${kg(f.totalKg, 1)} kg · ${f.declaredUnit.amount} × ${escapeHtml(per)}</p>
  ${baseline}
  <h3>${escapeHtml(t.byStage)}</h3>
  <ol class="stages">${stages}</ol>
</section>`;
}

function equivalentsSection(view: JourneyView, lang: Lang): string {
  if (view.equivalents.length === 0) return "";
  const t = TEXT[lang];
  const items = view.equivalents
    .map(
      (e) =>
        `<li data-kind="${e.kind}"><strong>${e.value >= 10 ? e.value.toFixed(0) : e.value.toFixed(1)}</strong> ${escapeHtml(
          e.label[lang],
        )}<br><small>${escapeHtml(t.source)}: <a href="${escapeHtml(e.factor.url)}" rel="noopener">${escapeHtml(
          e.factor.source,
        )}</a> (${escapeHtml(`${e.factor.value} ${e.factor.unit}`)})</small></li>`,
    )
    .join("\n");
  return `<section id="equivalents"><h2>${escapeHtml(t.equivalents)}</h2><ul>${items}</ul></section>`;
}

function recycledSection(view: JourneyView, lang: Lang): string {
  const share = view.recycledContent?.recycledPercent;
  if (share === null || share === undefined) return "";
  const t = TEXT[lang];
  return `<section id="recycled"><h2>${escapeHtml(t.recycled)}</h2><p>${escapeHtml(
    t.recycledText.replace("{percent}", share.toFixed(0)),
  )}</p></section>`;
}

function offsetsSection(view: JourneyView, lang: Lang): string {
  const t = TEXT[lang];
  const live = view.offsets.filter((o) => o.status !== "failed");
  const items = live
    .map(
      (o) => `<li data-retirement="${o.id}">
      <p><strong>${escapeHtml(o.credits)} t CO<sub>2</sub>e</strong> · ${escapeHtml(t.registry)} ${escapeHtml(o.registry)} · ${escapeHtml(
        t.project,
      )} ${escapeHtml(o.projectId)} · ${escapeHtml(t.vintage)} ${o.vintage}</p>
      <p>${escapeHtml(t.serials)}: <code class="serial">${escapeHtml(o.serial)}</code></p>
      <p>${escapeHtml(t.transaction)}: ${
        o.chain.txHash === null ? escapeHtml(t.pending) : `<code class="tx">${escapeHtml(o.chain.txHash)}</code>`
      }</p></li>`,
    )
    .join("\n");
  return `<section id="offsets"><h2>${escapeHtml(t.offsets)}</h2>${
    live.length === 0 ? `<p>${escapeHtml(t.noOffsets)}</p>` : `<ul>${items}</ul>`
  }</section>`;
}

/** UN/CEFACT unit codes as people write them; a count (no unit, or a count code) in pieces. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  KGM: "kg",
  GRM: "g",
  TNE: "t",
  LTR: "L",
  MTQ: "m³",
  KWH: "kWh",
};
const COUNT_CODES = new Set(["EA", "H87", "C62", "XPP", "XBX"]);

export function amountInWords(quantity: number, uom: string | null, lang: Lang): string {
  const amount = quantity.toLocaleString(lang === "zh" ? "zh-CN" : "en", { maximumFractionDigits: 3 });
  if (uom === null || COUNT_CODES.has(uom)) return `${amount} ${TEXT[lang].pieces}`;
  return `${amount} ${UNIT_WORDS[uom] ?? uom}`;
}

/** A place as a person can look it up: the site's GLN (from an SGLN URN or a Digital Link), else as recorded. */
export function placeInWords(place: string, lang: Lang): string {
  const link = place.startsWith("urn:epc:id:sgln:") ? epcToDigitalLink(place) : place;
  const match = /\/414\/(\d{13})(?:\/254\/([^/?#]+))?/.exec(link ?? "");
  if (match === null) return place;
  const [, gln = "", extension] = match;
  const t = TEXT[lang];
  return extension === undefined || extension === "0"
    ? t.site.replace("{gln}", gln)
    : t.siteExtension.replace("{gln}", gln).replace("{ext}", decodeURIComponent(extension));
}

/** Evidence as a person sees it: a photo's thumbnail (opening full size), a document or file by name. */
function evidenceLink(evidence: { cid: string; mediaType: string; url: string }, lang: Lang): string {
  const t = TEXT[lang];
  const href = escapeHtml(evidence.url);
  if (evidence.mediaType.startsWith("image/")) {
    return `<a href="${href}" rel="noopener"><img class="thumb" src="${href}" alt="${escapeHtml(
      t.photo,
    )}" width="72" height="72" loading="lazy" decoding="async"></a>`;
  }
  const kind = evidence.mediaType === "application/pdf" ? `${t.document} (PDF)` : t.file;
  return `<a href="${href}" rel="noopener">${escapeHtml(kind)}</a>`;
}

function timelineSection(view: JourneyView, lang: Lang): string {
  const t = TEXT[lang];
  const steps = view.steps
    .map((step) => {
      const partner = step.participant === null ? step.role : step.participant.name[lang];
      const quantities = step.quantities
        .map(
          (q) =>
            `<li>${q.direction === "in" ? "←" : q.direction === "out" ? "→" : "·"} ${
              q.quantity === null ? "" : `${escapeHtml(amountInWords(q.quantity, q.uom, lang))} `
            }<span class="lot">${escapeHtml(lotLabel(q.lot))}</span></li>`,
        )
        .join("");
      const evidence = step.evidence.map((e) => evidenceLink(e, lang)).join(" ");
      const corrected =
        step.correction === null
          ? ""
          : `<p class="correction">${escapeHtml(
              t.corrected
                .replace("{date}", step.correction.declaredAt.slice(0, 10))
                .replace("{by}", step.correction.by?.name[lang] ?? partner),
            )}${step.correction.reason === null ? "" : ` (${escapeHtml(step.correction.reason.replace(/_/g, " "))})`}</p>`;
      return `<li class="step${step.correction === null ? "" : " corrected"}" data-event="${escapeHtml(step.eventHash)}">
      <time datetime="${escapeHtml(step.time)}">${escapeHtml(step.time.slice(0, 10))}</time>
      <h3>${escapeHtml(stageName(step.role, step.bizStep, lang, view.model))}</h3>
      <p class="partner">${escapeHtml(partner)} · <span class="signing ${step.signing}">${escapeHtml(
        step.signing === "custodial" ? t.signedCustodial : t.signedSelf,
      )}</span></p>
      ${step.place === null ? "" : `<p>${escapeHtml(t.place)}: ${escapeHtml(placeInWords(step.place, lang))}</p>`}
      ${quantities === "" ? "" : `<ul class="quantities">${quantities}</ul>`}
      ${evidence === "" ? "" : `<p>${escapeHtml(t.evidence)}: ${evidence}</p>`}
      <p class="muted">${step.anchor.txHash === null ? escapeHtml(t.notAnchored) : `✓ ${escapeHtml(t.anchored)}`}</p>
      ${corrected}
    </li>`;
    })
    .join("\n");
  return `<section id="journey"><h2>${escapeHtml(t.journey)}</h2>${flowOf(view, lang)}<p class="muted">${escapeHtml(
    t.ledgerExplained,
  )}</p><ol class="timeline">${steps}</ol></section>`;
}

/**
 * The journey at a glance: who handled the lot's materials, stage after stage (the steps grouped by partner, in
 * the order they happened), before the steps themselves.
 */
function flowOf(view: JourneyView, lang: Lang): string {
  const stages: Array<{ role: string; partner: string; from: string; to: string }> = [];
  for (const step of view.steps) {
    const partner = step.participant === null ? "" : step.participant.name[lang];
    const last = stages.at(-1);
    if (last !== undefined && last.role === step.role && last.partner === partner) last.to = step.time.slice(0, 10);
    else stages.push({ role: step.role, partner, from: step.time.slice(0, 10), to: step.time.slice(0, 10) });
  }
  if (stages.length === 0) return "";
  const items = stages
    .map(
      (stage) =>
        `<li><strong>${escapeHtml(stageName(stage.role, null, lang, view.model))}</strong>${
          stage.partner === "" ? "" : `<span>${escapeHtml(stage.partner)}</span>`
        }<time datetime="${escapeHtml(stage.from)}">${escapeHtml(stage.from === stage.to ? stage.from : `${stage.from} – ${stage.to}`)}</time></li>`,
    )
    .join("");
  return `<ol class="flow" id="flow" aria-label="${escapeHtml(TEXT[lang].flow)}">${items}</ol>`;
}

/** Who certified the lot, on the first screen: the latest attestation's verdict, certifier, date and report. */
function certifiedLine(view: JourneyView, lang: Lang): string {
  const t = TEXT[lang];
  const latest = [...view.attestations].sort((a, b) => (b.issuedAt ?? "").localeCompare(a.issuedAt ?? ""))[0];
  if (latest === undefined) return "";
  const verdicts: Readonly<Record<string, string>> = t.verdicts;
  const who = t.certifiedBy
    .replace("{name}", latest.certifierName?.[lang] ?? t.unknownCertifier)
    .replace("{date}", latest.issuedAt?.slice(0, 10) ?? "");
  return `<p class="certified" id="certified">${escapeHtml(t.verdict)}: <strong>${escapeHtml(
    verdicts[latest.verdict] ?? latest.verdict,
  )}</strong> · ${escapeHtml(who)} · <a href="${escapeHtml(latest.reportUrl)}" rel="noopener">${escapeHtml(t.report)}</a></p>`;
}

function attestationsSection(view: JourneyView, lang: Lang): string {
  const t = TEXT[lang];
  const verdicts: Readonly<Record<string, string>> = t.verdicts;
  const items = view.attestations
    .map((a) => {
      const who = t.certifiedBy
        .replace("{name}", a.certifierName?.[lang] ?? t.unknownCertifier)
        .replace("{date}", a.issuedAt?.slice(0, 10) ?? "");
      return `<li>${escapeHtml(t.verdict)}: <strong>${escapeHtml(verdicts[a.verdict] ?? a.verdict)}</strong> · ${escapeHtml(
        who,
      )} · <a href="${escapeHtml(a.reportUrl)}" rel="noopener">${escapeHtml(t.report)}</a>${
        a.txHash === null ? "" : ` <span class="muted">✓ ${escapeHtml(t.anchored)}</span>`
      }</li>`;
    })
    .join("\n");
  return `<section id="attestations"><h2>${escapeHtml(t.attestations)}</h2>${
    items === "" ? `<p>${escapeHtml(t.noAttestations)}</p>` : `<ul>${items}</ul>`
  }</section>`;
}

/**
 * The first web address in a factor's source reference (which may be prose: "MEE & NBS announcement …; read via
 * https://…"), or undefined: a link is only ever made to an http(s) address, never to the words before it.
 */
export function firstWebAddressIn(reference: string): string | undefined {
  return /https?:\/\/[^\s;,)"'<>]+/.exec(reference)?.[0];
}

function expertSection(view: JourneyView, lang: Lang): string {
  const t = TEXT[lang];
  const factors = (view.footprint?.factorsUsed ?? [])
    .map((f) => {
      const url = firstWebAddressIn(f.sourceUrl);
      const source =
        url === undefined
          ? `${escapeHtml(f.source)} (${escapeHtml(f.sourceUrl)})`
          : `<a href="${escapeHtml(url)}" rel="noopener noreferrer">${escapeHtml(f.source)}</a>`;
      return `<li><code>${escapeHtml(f.id)}</code> ${escapeHtml(f.name)} — ${source}${f.proxy ? " (proxy)" : ""}</li>`;
    })
    .join("\n");
  const primary =
    view.footprint === null ? "" : `<p>${escapeHtml(t.primaryData)}: ${percent(view.footprint.primaryDataShare)} %</p>`;
  return `<section id="data"><details><summary>${escapeHtml(t.data)}</summary>
  ${primary}
  <h3>${escapeHtml(t.factors)}</h3><ul>${factors}</ul>
  <p><a href="${escapeHtml(view.links.bundle)}">${escapeHtml(t.proofBundle)}</a> · <a href="${escapeHtml(
    view.links.labelSvg,
  )}">${escapeHtml(t.label)}</a> · chain ${escapeHtml(view.ledger.chainId)} · TraceLedger <code>${escapeHtml(
    view.ledger.traceLedger,
  )}</code></p>
  </details></section>`;
}

/** "urn:epc:class:lgtin:4012345.012345.LOT" → "LOT" (the lot number is what people read). */
function lotLabel(classId: string): string {
  const urn = /^urn:epc:class:lgtin:[^.]+\.[^.]+\.(.+)$/.exec(classId);
  if (urn?.[1] !== undefined) return decodeURIComponent(urn[1]);
  const link = /\/10\/([^/?#]+)/.exec(classId);
  return link?.[1] === undefined ? classId : decodeURIComponent(link[1]);
}

function withLang(pageUrl: string, lang: Lang): string {
  const url = new URL(pageUrl);
  url.searchParams.set("lang", lang);
  return `${url.pathname}${url.search}`;
}

/** JSON inside <script>: `<` escaped so no "</script>" in data can end the element. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}
