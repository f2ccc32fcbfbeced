import { setTimeout as sleep } from "node:timers/promises";
import { attestBundle, httpEvidenceReader, type CarbonTraceClient } from "#client";
import type { Localized } from "#footprint";
import { rpcLedgerReader } from "#ledger";
import { verifyBundle, type ProofBundle, type VerificationReport } from "#proof";
import type { RpetLots } from "./rpet.js";
import {
  clientFactory,
  runScenario,
  RPET_SCENARIO,
  SCENARIOS,
  type EnrolledParticipant,
  type ParticipantKey,
  type ScenarioDefinition,
  type ScenarioOptions,
  type ScenarioResult,
} from "./run.js";

/**
 * The credits the demo retires: a fictitious Verra VCU block (project 9990 is not a real Verra project; on a
 * real deployment the operator registers the serials its registry account holds). Blocks of 1,000 credits
 * are added as earlier ones run out.
 */
export const DEMO_CREDITS = {
  batch: "90001",
  firstSerial: 500_000_001,
  blockSize: 1000,
  tail: "VCS-VCU-1491-VER-CN-1-9990-01012024-31122024-0",
} as const;

export interface JourneyView {
  readonly uri: string;
  readonly gtin: string;
  readonly lot: string;
  readonly footprint: {
    readonly totalKg: number;
    readonly perUnitKg: number;
    readonly declaredUnit: { readonly unit: string; readonly amount: number };
    readonly stages: ReadonlyArray<{ readonly stage: string; readonly perUnitKg: number }>;
    readonly baseline: {
      readonly perUnitKg: number;
      readonly reductionPerUnitKg: number;
      readonly reductionPercent: number;
    } | null;
  } | null;
  readonly claim: { readonly status: string; readonly text: { readonly en: { readonly headline: string } } } | null;
  readonly verification: { readonly bundleUrl: string; readonly rpcUrl: string | null };
  readonly links: { readonly labelPng: string; readonly labelSvg: string; readonly bundle: string };
}

export interface Retirement {
  readonly id: string;
  readonly serial: string;
  readonly credits: string;
  readonly quantityKg: number;
  readonly status: string;
  readonly chain: { readonly txHash: string | null; readonly retirementId: number | null };
}

export interface JourneyResult<
  L extends object = RpetLots,
  P extends string = "regrind" | "boxes",
> extends ScenarioResult<L, P> {
  /** Which scenario ran (`--scenario`). */
  readonly scenario: string;
  /** The product's names and the conventional product it is compared with (from its model). */
  readonly product: { readonly name: Localized; readonly baseline: string };
  readonly gtin: string;
  readonly lot: string;
  readonly retirement: Retirement;
  readonly attestation: { readonly status: string; readonly txHash: string | null; readonly reportCid: string };
  /** The bundle as it stands at the end (with the certifier's attestation). */
  readonly bundle: ProofBundle;
  /** The certifier's verification of the bundle it attested. */
  readonly verification: VerificationReport;
  readonly report: string;
  readonly journey: JourneyView;
}

/**
 * A whole journey: the scenario (events, evidence, anchoring, footprint against the model's baseline, PACT), then
 * the product's names, credits retired for the lot's footprint, the certifier's verification and attestation,
 * and the label's journey.
 */
export async function runJourney<L extends object, P extends string>(
  definition: ScenarioDefinition<L, P, ParticipantKey>,
  options: ScenarioOptions,
): Promise<JourneyResult<L, P>> {
  const log = options.log ?? (() => undefined);
  const scenario = await runScenario(definition, options);
  const client = clientFactory(options);
  const admin = client(options.adminKey);
  const maker = client(scenario.participants[definition.maker].apiKey);
  const { gtin, name, description } = definition.product;
  const lot = definition.product.lot(scenario.lots);
  const lotPath = `/lots/${gtin}/${encodeURIComponent(lot)}`;
  await maker.json("PUT", `/products/${gtin}`, JSON.stringify({ name, description }), {
    "content-type": "application/json",
  });
  const totalKg = Number(scenario.footprint.totalKg);
  const credits = Math.max(1, Math.ceil(totalKg / 1000));
  const holding = await holdingWith(admin, credits);
  const retirement = await maker.json<Retirement>(
    "POST",
    `${lotPath}/offsets`,
    JSON.stringify({
      holdingId: holding,
      credits: String(credits),
      beneficiary: `Buyers of ${name.en}, lot ${lot}`,
      reason: `Offsetting the cradle-to-gate footprint of lot ${lot} (${totalKg.toFixed(1)} kg CO2e)`,
    }),
    { "content-type": "application/json" },
  );
  if (retirement.status !== "retired") throw new Error(`the retirement is ${retirement.status}, not retired`);
  log(
    `retired ${retirement.credits} credit(s) ${retirement.serial} for the lot (tx ${String(retirement.chain.txHash)})`,
  );
  const journey = await journeyOf(admin, gtin, lot);
  const certifier = scenario.participants[definition.certifier];
  const certified = await certify(client(certifier.apiKey), certifier, journey, lotPath);
  log(`certifier verified the bundle (${certified.summary}) and attested: ${certified.attestation.status}`);
  const bundle = await admin.json<ProofBundle>("GET", `${lotPath}/bundle`);
  return {
    ...scenario,
    scenario: definition.id,
    product: { name, baseline: definition.model.baseline.description },
    gtin,
    lot,
    retirement,
    attestation: certified.attestation,
    bundle,
    verification: certified.verification,
    report: certified.report,
    journey: await journeyOf(admin, gtin, lot),
  };
}

/** A journey by its scenario's name (`npm run demo -- --scenario <name>`). */
export function runNamedJourney(
  name: keyof typeof SCENARIOS,
  options: ScenarioOptions,
): Promise<JourneyResult<object, string>> {
  return name === "plush-toy" ? runJourney(SCENARIOS[name], options) : runJourney(SCENARIOS[name], options);
}

/** The reference journey (the rPET storage box). */
export function runRpetJourney(options: ScenarioOptions): Promise<JourneyResult> {
  return runJourney(RPET_SCENARIO, options);
}

export async function journeyOf(api: CarbonTraceClient, gtin: string, lot: string): Promise<JourneyView> {
  return api.json<JourneyView>("GET", `/01/${gtin}/10/${encodeURIComponent(lot)}`);
}

/** A holding of the demo block with enough credits left, registering the next block when none has. */
async function holdingWith(admin: CarbonTraceClient, credits: number): Promise<string> {
  const holdings = await admin.json<
    Array<{ id: string; serialBlock: string; availableCredits: string; lastSerial: string }>
  >("GET", "/offsets/holdings");
  const block = `${DEMO_CREDITS.batch}-${DEMO_CREDITS.tail}`;
  const ours = holdings.filter((h) => h.serialBlock === block);
  const usable = ours.find((h) => BigInt(h.availableCredits) >= BigInt(credits));
  if (usable !== undefined) return usable.id;
  const after = ours.reduce(
    (max, h) => (BigInt(h.lastSerial) > max ? BigInt(h.lastSerial) : max),
    BigInt(DEMO_CREDITS.firstSerial) - 1n,
  );
  const size = BigInt(Math.max(DEMO_CREDITS.blockSize, credits));
  const serial = `${DEMO_CREDITS.batch}-${String(after + 1n)}-${String(after + size)}-${DEMO_CREDITS.tail}`;
  const created = await admin.json<{ id: string }>(
    "POST",
    "/offsets/holdings",
    JSON.stringify({ serial, registry: "VERRA" }),
    {
      "content-type": "application/json",
    },
  );
  return created.id;
}

/**
 * What a certifier does: downloads the bundle, verifies every check itself against the ledger (the public RPC
 * the journey names) and the evidence files, writes a report and attests.
 */
async function certify(
  api: CarbonTraceClient,
  certifier: EnrolledParticipant,
  journey: JourneyView,
  lotPath: string,
): Promise<{
  verification: VerificationReport;
  report: string;
  summary: string;
  attestation: JourneyResult["attestation"];
}> {
  if (certifier.wallet === undefined) throw new Error("the certifier signs with its own key");
  const bundle = await api.json<ProofBundle>("GET", `${lotPath}/bundle`);
  const rpcUrl = journey.verification.rpcUrl;
  const verification = await verifyAsCertifier(bundle, rpcUrl);
  const passed = verification.checks.filter((c) => c.status === "pass").length;
  const summary = `${String(passed)} of ${String(verification.checks.length)} checks passed`;
  const report = verificationReport(bundle, verification, journey);
  const footprint =
    journey.footprint === null
      ? null
      : {
          perUnitKg: journey.footprint.perUnitKg,
          declaredUnit: journey.footprint.declaredUnit,
          stages: Object.fromEntries(journey.footprint.stages.map((s) => [s.stage, s.perUnitKg])),
        };
  const recorded = await attestBundle(api, certifier.wallet, {
    bundle,
    verdict: verification.complete ? "verified" : "verified_with_qualifications",
    report: { bytes: new TextEncoder().encode(report), mediaType: "text/plain", fileName: "verification-report.txt" },
    footprint,
  });
  await waitRecorded(api, lotPath, recorded.statement.reportCid);
  return {
    verification,
    report,
    summary,
    attestation: { status: "recorded", txHash: recorded.txHash, reportCid: recorded.statement.reportCid },
  };
}

/**
 * Every check of a bundle, as `carbontrace verify --rpc` runs them: against the ledger (when a public RPC URL is
 * known) and the evidence bytes the bundle links to. Throws, listing each failed check, unless all passed.
 */
export async function verifyAsCertifier(bundle: ProofBundle, rpcUrl: string | null): Promise<VerificationReport> {
  const report = await verifyBundle(bundle, {
    ...(rpcUrl === null ? {} : { ledger: rpcLedgerReader(rpcUrl, bundle.ledger.traceLedger) }),
    evidence: httpEvidenceReader(bundle.links.evidence),
  });
  if (!report.ok) {
    const failed = report.checks.filter((c) => c.status === "fail").map((c) => `${c.check} ${c.subject}: ${c.detail}`);
    throw new Error(`the bundle of ${bundle.lot.id} does not verify:\n  ${failed.join("\n  ")}`);
  }
  return report;
}

function verificationReport(bundle: ProofBundle, report: VerificationReport, journey: JourneyView): string {
  const lines = [
    "Verification report",
    `Lot: ${bundle.lot.id}`,
    `Bundle digest: ${bundle.digest}`,
    `Ledger: chain ${bundle.ledger.chainId}, TraceLedger ${bundle.ledger.traceLedger}`,
    `Events: ${String(bundle.events.length)}; evidence files: ${String(bundle.evidence.length)}`,
    ...(journey.footprint === null
      ? []
      : [`Footprint: ${journey.footprint.perUnitKg.toFixed(4)} kg CO2e per ${journey.footprint.declaredUnit.unit}`]),
    "",
    ...report.checks.map(
      (c) => `${c.status.toUpperCase().padEnd(4)} ${c.check} ${c.subject}${c.detail === "" ? "" : ` — ${c.detail}`}`,
    ),
    "",
  ];
  return lines.join("\n");
}

async function waitRecorded(api: CarbonTraceClient, lotPath: string, reportCid: string): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt++) {
    const attestations = await api.json<Array<{ reportCid: string; status: string; error?: string | null }>>(
      "GET",
      `${lotPath}/attestations`,
    );
    const ours = attestations.find((a) => a.reportCid === reportCid);
    if (ours?.status === "recorded") return;
    if (ours?.status === "failed") throw new Error(`the ledger refused the attestation: ${String(ours.error)}`);
    await sleep(250);
  }
  throw new Error("the attestation was not recorded on the ledger within a minute");
}
