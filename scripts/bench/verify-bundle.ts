import { httpEvidenceReader } from "#client";
import { rpcLedgerReader } from "#ledger";
import { verifyBundle, type ProofBundle, type VerificationReport, type VerifySources } from "#proof";
import { lotUri, RPET_GTINS } from "#scenario";
import { consignment, postDocument, signedDocument } from "./documents.js";
import { registerSelfCustody } from "./participants.js";
import { percentile, progress, round } from "./progress.js";
import type { BenchService } from "./service.js";

export interface VerifyBench {
  /** Median time of verifyBundle on the lot's bundle, reading the ledger over JSON-RPC (as `carbontrace verify --rpc`). */
  readonly verifyBundleMs: number;
  /** The same without a ledger source: hashes, signatures, Merkle proofs and the graph only; chain checks skipped. */
  readonly offlineMs: number;
  /** Median time of GET /lots/{gtin}/{lot}/bundle (the service assembling it). */
  readonly getBundleMs: number;
  readonly events: number;
  readonly lots: number;
  readonly bundleBytes: number;
  readonly checks: number;
  readonly runs: number;
}

/**
 * A lot whose upstream graph the bench captured: 1 commissioning, its shipment and receipt, and 59 recycling runs,
 * each consuming the last.
 */
export interface LotChain {
  readonly gtin: string;
  readonly lot: string;
  readonly events: number;
}

const STEPS = 59;
const SUPPLIER_GLN = "690123498003";
const RECYCLER_GLN = "690123498004";
const RUNS = 7;
type Json = Record<string, unknown>;

/**
 * Captures a chain of 62 events behind one lot: a self-custody supplier commissions a lot of bales and ships it to
 * a self-custody recycler, who receives it and turns it into pellets 59 times over (each run consumes the previous
 * lot), so the last lot's bundle carries all 62 events, 60 lots and two signers. Captured early, so that it is anchored by the time it is verified.
 */
export async function captureLotChain(service: BenchService): Promise<LotChain> {
  const supplier = await registerSelfCustody(service, "supplier", SUPPLIER_GLN);
  const recycler = await registerSelfCustody(service, "recycler", RECYCLER_GLN);
  const run = `C${Date.now().toString(36).toUpperCase()}`;
  const lots = Array.from({ length: STEPS + 1 }, (_, k) => ({
    gtin: k === 0 ? RPET_GTINS.bales : RPET_GTINS.pellets,
    lot: `${run}x${String(k)}`,
    kg: 1000 - 5 * k,
  }));
  const [bales, ...pellets] = lots;
  if (bales === undefined) throw new Error("no lots");
  progress(`verify: capturing a chain of ${String(lots.length)} events behind one lot`);
  const consigned = [{ epcClass: lotUri(bales.gtin, bales.lot), kg: bales.kg }];
  const shipped = consignment("shipping", consigned, SUPPLIER_GLN, RECYCLER_GLN, "2025-09-01T12:00:00.000+08:00");
  const received = consignment("receiving", consigned, SUPPLIER_GLN, RECYCLER_GLN, "2025-09-01T18:00:00.000+08:00");
  await postDocument(supplier, await signedDocument(supplier, [baling(bales), shipped]));
  const runs = pellets.map((output, k) => recycling(lots[k] ?? bales, output, k));
  await postDocument(recycler, await signedDocument(recycler, [received, ...runs]));
  const last = pellets.at(-1) ?? bales;
  return { gtin: last.gtin, lot: last.lot, events: lots.length + 2 };
}

interface ChainLot {
  readonly gtin: string;
  readonly lot: string;
  readonly kg: number;
}

function baling(lot: ChainLot): Json {
  return {
    type: "ObjectEvent",
    eventTime: "2025-09-01T08:00:00.000+08:00",
    eventTimeZoneOffset: "+08:00",
    action: "ADD",
    bizStep: "commissioning",
    bizLocation: { id: "urn:epc:id:sgln:6901234.00001.0" },
    quantityList: [{ epcClass: lotUri(lot.gtin, lot.lot), quantity: lot.kg, uom: "KGM" }],
    "ct:process": "baling",
    "ct:activity": { "ct:electricity": [{ "ct:kWh": 50, "ct:gridRegion": "CN-ZJ", "ct:basis": "measured" }] },
  };
}

function recycling(input: ChainLot, output: ChainLot, k: number): Json {
  return {
    type: "TransformationEvent",
    eventTime: `2025-09-02T08:${String(k).padStart(2, "0")}:00.000+08:00`,
    eventTimeZoneOffset: "+08:00",
    bizStep: "commissioning",
    bizLocation: { id: "urn:epc:id:sgln:6901234.00002.0" },
    inputQuantityList: [{ epcClass: lotUri(input.gtin, input.lot), quantity: input.kg, uom: "KGM" }],
    outputQuantityList: [{ epcClass: lotUri(output.gtin, output.lot), quantity: output.kg, uom: "KGM" }],
    "ct:process": "recycling",
    "ct:activity": { "ct:electricity": [{ "ct:kWh": 20, "ct:gridRegion": "CN-ZJ", "ct:basis": "measured" }] },
  };
}

/**
 * Fetches the anchored lot's bundle and times verifyBundle on it the way a certifier's `carbontrace verify --rpc`
 * does (ledger read over JSON-RPC from the service's anvil, evidence over HTTP), after one untimed run that must
 * pass every check; next to it, the same bundle verified without a ledger source.
 */
export async function measureVerifyBundle(service: BenchService, chain: LotChain): Promise<VerifyBench> {
  const url = `${service.url}/lots/${chain.gtin}/${encodeURIComponent(chain.lot)}/bundle`;
  progress(`verify: timing GET …/bundle and verifyBundle over ${String(chain.events)} events`);
  let text = "";
  const getBundleMs = await medianMs(async () => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url} answered ${String(response.status)}`);
    text = await response.text();
  });
  const bundle = JSON.parse(text) as ProofBundle;
  if (bundle.events.length < chain.events) {
    throw new Error(`the bundle holds ${String(bundle.events.length)} events, ${String(chain.events)} were captured`);
  }
  const sources: VerifySources = {
    ledger: rpcLedgerReader(service.rpcUrl, bundle.ledger.traceLedger),
    evidence: httpEvidenceReader(bundle.links.evidence),
  };
  const report = await verifyBundle(bundle, sources);
  checkVerified(report);
  return {
    verifyBundleMs: await medianMs(() => verifyBundle(bundle, sources)),
    offlineMs: await medianMs(() => verifyBundle(bundle)),
    getBundleMs,
    events: bundle.events.length,
    lots: bundle.lots.length,
    bundleBytes: Buffer.byteLength(text),
    checks: report.checks.length,
    runs: RUNS,
  };
}

/** A figure for a bundle that does not verify would be meaningless: fail the bench instead. */
function checkVerified(report: VerificationReport): void {
  if (report.ok && report.complete) return;
  const bad = report.checks.filter((check) => check.status !== "pass");
  throw new Error(
    `the bundle did not verify: ${bad
      .slice(0, 5)
      .map((check) => `${check.check} ${check.status}: ${check.detail}`)
      .join("; ")}`,
  );
}

async function medianMs(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return round(
    percentile(
      times.sort((a, b) => a - b),
      50,
    ),
  );
}
