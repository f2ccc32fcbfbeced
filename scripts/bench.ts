import { chmod, mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { measureAnchoringGas, type AnchoringGas } from "./bench/anchoring-gas.js";
import type { CaptureBench } from "./bench/capture.js";
import { measureFootprintDag, type FootprintBench } from "./bench/footprint-dag.js";
import { measureLabels, type LabelBench } from "./bench/labels.js";
import type { AnchoringLatency } from "./bench/latency.js";
import { measureOnService, type ServiceFigures } from "./bench/on-service.js";
import { stoppingOnSignal, stopStartedOnSignal } from "./bench/on-signal.js";
import { progress } from "./bench/progress.js";
import { measureProofSizes } from "./bench/proof-size.js";
import { measureScale, SCALE_ENDPOINTS, type ScaleBench, type ScaleEndpoint } from "./bench/scale.js";
import { SPEED_PROBE, speedProbeMs } from "./bench/speed-probe.js";
import type { VerifyBench } from "./bench/verify-bundle.js";

type ProofSizes = ReturnType<typeof measureProofSizes>;
const thousands = (value: number): string => value.toLocaleString("en");
/** Rates print as whole numbers; the JSON keeps the decimal. */
const rate = (value: number): string => Math.round(value).toLocaleString("en");

/**
 * `npm run bench [-- --json]`: every figure measured in this run, next to its baseline. Progress goes to stderr;
 * with --json the last line of stdout is one JSON object with all figures.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { json: { type: "boolean" }, only: { type: "string" }, instances: { type: "string", default: "1" } },
  });
  // --instances 2: capture through two API instances sharing the database and the chain (the same machine).
  const instances = Number(values.instances);
  if (!Number.isInteger(instances) || instances < 1 || instances > 8) throw new Error("--instances is 1 to 8");
  // --only a,b: measure some sections (while working on them); the README's figures come from full runs.
  // Sections: anchoring (gas), proofs (sizes), footprint, capture, latency, verify, labels, scale.
  const wanted = (section: string): boolean => values.only === undefined || values.only.split(",").includes(section);
  const work = await mkdtemp(join(tmpdir(), "carbontrace-bench-"));
  await chmod(work, 0o755);
  stopStartedOnSignal(() => rm(work, { recursive: true, force: true }));
  const started = Date.now();
  try {
    const figures = await measure(work, wanted, instances);
    const durationMs = Date.now() - started;
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify(asJson(figures, durationMs))}\n`);
    } else {
      process.stdout.write(report(figures, durationMs));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface Figures {
  readonly gas: AnchoringGas | undefined;
  readonly proofSizes: ProofSizes | undefined;
  readonly footprint: FootprintBench | undefined;
  readonly service: ServiceFigures;
  readonly labels: LabelBench | undefined;
  readonly scale: ScaleBench | undefined;
  /** The host's speed just before the service measurements (speed-probe.ts). */
  readonly speedProbeMs: number;
}

async function measure(work: string, wanted: (section: string) => boolean, instances: number): Promise<Figures> {
  if (wanted("anchoring")) progress("anchoring gas");
  const gas = wanted("anchoring") ? await measureAnchoringGas(work) : undefined;
  if (wanted("proofs")) progress("proof sizes");
  const proofSizes = wanted("proofs") ? measureProofSizes() : undefined;
  if (wanted("footprint")) progress("footprint over a 10,000-event graph");
  const footprint = wanted("footprint") ? await measureFootprintDag(work) : undefined;
  progress(`speed probe: ${SPEED_PROBE}`);
  const speedProbe = speedProbeMs();
  const service = await measureOnService(
    work,
    { capture: wanted("capture"), latency: wanted("latency"), verify: wanted("verify") },
    instances,
  );
  if (wanted("labels")) progress("labels");
  const labels = wanted("labels") ? await measureLabels() : undefined;
  // Last: it writes a million rows, and nothing else should share the machine with its own service.
  const scale = wanted("scale") ? await measureScale(work) : undefined;
  return { gas, proofSizes, footprint, service, labels, scale, speedProbeMs: speedProbe };
}

/** One object per subject: latency joins the anchoring figures, bundle verification the proof figures. */
function asJson(figures: Figures, durationMs: number): Record<string, unknown> {
  const { gas, proofSizes, footprint, service, labels, scale } = figures;
  const { latency, verify, capture } = service;
  const merged = (...parts: Array<object | undefined>): object | undefined =>
    parts.every((part) => part === undefined) ? undefined : (Object.assign({}, ...parts) as object);
  return {
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? "unknown",
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      speedProbeMs: figures.speedProbeMs,
    },
    date: new Date().toISOString(),
    durationMs,
    anchoring: merged(gas, latency),
    proofs: merged(proofSizes, verify === undefined ? undefined : verifyJson(verify)),
    footprint,
    capture,
    labels,
    scale,
  };
}

/** The headline as proofs.verifyBundleMs, its context beside it under proofs.verifyBundle. */
function verifyJson(verify: VerifyBench): {
  verifyBundleMs: number;
  verifyBundle: Omit<VerifyBench, "verifyBundleMs">;
} {
  const { verifyBundleMs, ...context } = verify;
  return { verifyBundleMs, verifyBundle: context };
}

function report(figures: Figures, durationMs: number): string {
  const { gas, proofSizes, footprint, service, labels, scale } = figures;
  const lines = [
    ...(gas === undefined ? [] : anchoringReport(gas)),
    ...(service.latency === undefined ? [] : latencyReport(service.latency)),
    ...(proofSizes === undefined ? [] : proofReport(proofSizes)),
    ...(service.verify === undefined ? [] : verifyReport(service.verify)),
    ...(footprint === undefined
      ? []
      : [
          "",
          `Footprint of a lot with a ${footprint.events.toLocaleString("en")}-event upstream graph (${footprint.lots.toLocaleString("en")} lots)`,
          `  GET /lots/…/footprint (PostgreSQL → engine → stored): ${String(footprint.dag10kMs)} ms (median of 5)`,
          `  engine alone, in memory: ${String(footprint.engineMs)} ms (median of 5); total ${String(footprint.totalKg)} kg CO2e`,
        ]),
    ...(service.capture === undefined ? [] : captureReport(service.capture)),
    ...(labels === undefined ? [] : labelsReport(labels)),
    ...(scale === undefined ? [] : scaleReport(scale)),
    "",
    `Host speed just before the service measurements: ${String(figures.speedProbeMs)} ms for ${SPEED_PROBE}`,
    `(${(durationMs / 1000).toFixed(0)} s)`,
    "",
  ];
  return lines.join("\n");
}

function anchoringReport(anchoring: AnchoringGas): string[] {
  return [
    "",
    "Anchoring gas (TraceLedger.anchor, optimizer 200, fresh anvil)",
    `  one transaction per event: ${anchoring.perEventTxGas} gas/event`,
    ...(["1", "64", "1024"] as const).map(
      (size) =>
        `  batch of ${size.padStart(4)}: ${String(anchoring.gasPerEvent[size]).padStart(8)} gas/event  (${anchoring.savings[size].toFixed(1)}× cheaper than a transaction per event)`,
    ),
  ];
}

function proofReport(proofs: ProofSizes): string[] {
  return [
    "",
    "Merkle proof size per event",
    ...(["1000", "100000", "1000000"] as const).map(
      (n) =>
        `  ${Number(n).toLocaleString("en").padStart(9)} leaves: ${proofs.bytesPerEvent[n]} bytes (${proofs.proofLength[n] ?? 0} siblings)`,
    ),
  ];
}

function latencyReport(anchoring: AnchoringLatency): string[] {
  const { latencyMs, latency } = anchoring;
  return [
    "",
    `Capture-to-anchored latency (default batching: window ${thousands(latency.batchWindowMs)} ms or ${thousands(latency.batchSize)} events, worker poll ${thousands(latency.pollMs)} ms)`,
    `  ${thousands(latency.events)} events in ${thousands(latency.samples)} documents of ${String(latency.eventsPerDocument)}, ${String(latency.documentsPerSec)} documents/s for ${String(latency.durationMs / 1000)} s, anchored in ${String(latency.batches)} batches`,
    `  anchoring block time − recordTime: p50 ${thousands(latencyMs.p50)} ms, p95 ${thousands(latencyMs.p95)} ms, max ${thousands(latencyMs.max)} ms (block timestamps are whole seconds)`,
    `  reported anchored by GET /anchoring (polled every 100 ms): p50 ${thousands(latencyMs.observedP50)} ms, p95 ${thousands(latencyMs.observedP95)} ms`,
  ];
}

function verifyReport(verify: VerifyBench): string[] {
  return [
    "",
    `Verifying a lot's proof bundle: ${String(verify.events)} events, ${String(verify.lots)} lots, ${(verify.bundleBytes / 1024).toFixed(0)} kB, ${String(verify.checks)} checks`,
    `  verifyBundle, ledger read over JSON-RPC: ${String(verify.verifyBundleMs)} ms (median of ${String(verify.runs)}), ${(verify.verifyBundleMs / verify.events).toFixed(2)} ms/event`,
    `  without the ledger (hashes, signatures, Merkle proofs, graph): ${String(verify.offlineMs)} ms; GET …/bundle: ${String(verify.getBundleMs)} ms`,
  ];
}

function captureReport(capture: CaptureBench): string[] {
  return [
    "",
    "Capture through POST /capture (self-custody supplier; events signed client-side before the clock starts)",
    `  ${thousands(capture.events)} events in documents of ${String(capture.eventsPerDocument)} (${(capture.documentBytes / 1024).toFixed(0)} kB), ${String(capture.clients)} clients, ${String(capture.instances)} instance(s): ${rate(capture.eventsPerSec)} events/s (${(capture.captureMs / 1000).toFixed(1)} s)`,
    `  one document of ${String(capture.eventsPerDocument)} events, request to 202, under that load: p50 ${String(capture.documentMs.p50)} ms, p95 ${String(capture.documentMs.p95)} ms`,
    `  raw multi-row INSERT of the same rows into a copy of epcis_event: ${rate(capture.rawInsertPerSec)} rows/s (${(capture.rawInsertMs / 1000).toFixed(2)} s, median of 5 rounds)`,
    `  the capture path runs at ${(capture.ratio * 100).toFixed(1)}% of raw insert speed (ratio ${String(capture.ratio)})`,
  ];
}

function labelsReport(labels: LabelBench): string[] {
  return [
    "",
    `Labels (50 × 30 mm, a new lot on each; fonts ${labels.fonts.latin} + ${labels.fonts.cjk ?? "no CJK font"})`,
    `  printable PNG at 300 dpi: ${rate(labels.perSec)} labels/s (${(labels.pngBytes / 1024).toFixed(0)} kB each; the first took ${thousands(labels.firstPngMs)} ms)`,
    `  label as SVG: ${rate(labels.labelSvgPerSec)}/s; QR code alone as SVG (baseline): ${rate(labels.qrSvgPerSec)}/s, as PNG: ${rate(labels.qrPngPerSec)}/s`,
  ];
}

const SCALE_LABELS: Record<ScaleEndpoint, string> = {
  health: "GET /health",
  anchoring: "GET /anchoring",
  journeyHtml: "GET /01/{gtin}/10/{lot} (HTML)",
  journeyJson: "GET /01/{gtin}/10/{lot} (JSON)",
  qrSvg: "GET /labels/{gtin}/{lot}.svg",
  footprint: "GET /lots/{gtin}/{lot}/footprint",
  events: "GET /events?MATCH_anyEPCClass={lot}",
  capture: "POST /capture (100 signed events)",
};

function scaleReport(scale: ScaleBench): string[] {
  const pair = (p: { p50: number; p95: number }): string =>
    `${p.p50.toFixed(1).padStart(9)} ${p.p95.toFixed(1).padStart(8)}`;
  const title = `ms, ${String(scale.samples)} requests each (captures ${String(scale.captureSamples)})`;
  return [
    "",
    `Cost against history: the same ${String(scale.lotEvents)}-event lot chain on a small database and, on a second service, beside ${thousands(scale.events)} seeded anchored events (${thousands(scale.lots)} lots, ${thousands(scale.batches)} final batches)`,
    `  seeding, set-based SQL in two parallel transactions + VACUUM ANALYZE: ${(scale.seedMs / 1000).toFixed(1)} s (of which VACUUM ANALYZE ${(scale.analyzeMs / 1000).toFixed(1)} s)`,
    `  ${title.padEnd(40)} small p50      p95  large p50      p95   large/small p50  p95`,
    ...SCALE_ENDPOINTS.map(
      (name) =>
        `  ${SCALE_LABELS[name].padEnd(40)}${pair(scale.ms[name].small)}  ${pair(scale.ms[name].large)}   ${scale.ratioP50[name].toFixed(2).padStart(15)} ${scale.ratio[name].toFixed(2).padStart(4)}${scale.ratio[name] > 1.5 ? "  grows" : ""}`,
    ),
  ];
}

await main().catch((error: unknown) => {
  // Stopped by a signal, the measurements fail as their services go; the signal's stop exits when it is done.
  if (!stoppingOnSignal()) throw error;
});
