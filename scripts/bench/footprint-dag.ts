import { join } from "node:path";
import { readFile } from "node:fs/promises";
import type { CarbonTraceClient } from "#client";
import {
  BUILT_IN_FACTORS,
  computeLotFootprint,
  createFactorLibrary,
  parseFactorsCsv,
  type FootprintGraph,
} from "#footprint";
import { footprintGraphOfBundle } from "#proof";
import { projectRoot } from "#runtime";
import { epcisDocument, lotUri, RPET_GTINS } from "#scenario";
import { consignment } from "./documents.js";
import { registerCustodial } from "./participants.js";
import { percentile, progress, round } from "./progress.js";
import { startBenchService, type BenchService } from "./service.js";

export interface FootprintBench {
  /** Median wall time of `GET /lots/{gtin}/{lot}/footprint` (load from PostgreSQL, compute, store) over the graph. */
  readonly dag10kMs: number;
  readonly events: number;
  readonly lots: number;
  /** Median of the engine alone on the same graph, in memory. */
  readonly engineMs: number;
  /** The footprint the API computed, kg CO2e (the engine's in-memory figure is checked against it). */
  readonly totalKg: number;
}

const LEAVES = 5000;
const LOTS_PER_CONSIGNMENT = 1000;
/** The GLNs the two bench partners register with (before their check digits). */
const SUPPLIER_GLN = "690123499001";
const RECYCLER_GLN = "690123499002";
const PER_DOCUMENT = 1000;
const RUNS = 5;
type Json = Record<string, unknown>;

/** A participant of the bench: who captures an event, and what the engine learns from it (signer, role). */
interface Partner {
  readonly client: CarbonTraceClient;
  readonly address: string;
  readonly role: string;
}

interface GraphItem {
  readonly event: Json;
  readonly by: Partner;
  readonly level: number;
  /** Commissioning a bale lot or merging two lots makes a lot; shipments and receipts move them. */
  readonly makesLot?: boolean;
}

interface Node {
  readonly lot: string;
  readonly kg: number;
}

/**
 * A lot whose upstream graph holds 10,010 events: 5,000 bale lots (commissioned, 1 kWh each), shipped to the
 * recycler and received in 5 consignments, merged pairwise by 4,999 recycling runs (2 kWh each) into one lot, which
 * one last event ships. Captured through the API of the
 * built service; then the lot's footprint is asked for, timed, and compared with the engine on the same graph.
 */
export async function measureFootprintDag(workDir: string): Promise<FootprintBench> {
  const service = await startBenchService(join(workDir, "footprint-dag"), { ANCHOR_BATCH_WINDOW_MS: "60000" });
  try {
    const run = Date.now().toString(36).toUpperCase();
    const supplier = await partner(service, "supplier", SUPPLIER_GLN);
    const recycler = await partner(service, "recycler", RECYCLER_GLN);
    const graph: GraphItem[] = [];
    let level: Node[] = Array.from({ length: LEAVES }, (_, i) => ({ lot: `L${run}x${String(i)}`, kg: 100 }));
    for (const node of level) graph.push({ event: leafEvent(node), by: supplier, level: 0, makesLot: true });
    // The recycler may use only bales shipped to it and received: the supplier ships them in a few consignments.
    const consignments = chunks(level, LOTS_PER_CONSIGNMENT);
    for (const lots of consignments) graph.push({ event: handOver("shipping", lots), by: supplier, level: 0 });
    for (const lots of consignments) graph.push({ event: handOver("receiving", lots), by: recycler, level: 0 });
    let depth = 0;
    while (level.length > 1) {
      depth += 1;
      const next: Node[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) {
        const a = level[i] as Node;
        const b = level[i + 1] as Node;
        const merged = { lot: `M${run}x${String(depth)}x${String(i)}`, kg: a.kg + b.kg };
        graph.push({ event: mergeEvent(a, b, merged), by: recycler, level: depth, makesLot: true });
        next.push(merged);
      }
      if (level.length % 2 === 1) next.push(level[level.length - 1] as Node);
      level = next;
    }
    const top = level[0] as Node;
    graph.push({ event: shipEvent(top), by: recycler, level: depth + 1 });
    progress(`footprint: capturing ${String(graph.length)} events`);
    for (let start = 0; start < graph.length;) {
      const by = graph[start]?.by;
      const levelOf = graph[start]?.level;
      let end = start;
      while (end < graph.length && end - start < PER_DOCUMENT && graph[end]?.by === by && graph[end]?.level === levelOf)
        end++;
      await by?.client.capture(epcisDocument(graph.slice(start, end).map((item) => item.event)));
      start = end;
    }
    const target = lotUri(RPET_GTINS.pellets, top.lot);
    const path = `/lots/${RPET_GTINS.pellets}/${top.lot}/footprint`;
    progress("footprint: timing GET …/footprint over the 10,000-event graph");
    const first = await service.admin.json<{ totalKg: number; eventCount: number }>("GET", path);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await service.admin.json("GET", path);
      times.push(performance.now() - started);
    }
    const context = epcisDocument([])["@context"];
    const engineMs = await timeEngine(engineGraph(target, context, graph), first.totalKg);
    return {
      dag10kMs: round(
        percentile(
          [...times].sort((a, b) => a - b),
          50,
        ),
      ),
      events: first.eventCount,
      lots: graph.filter((item) => item.makesLot).length,
      engineMs,
      totalKg: round(first.totalKg, 3),
    };
  } finally {
    await service.stop();
  }
}

async function partner(service: BenchService, role: string, gln: string): Promise<Partner> {
  const { client, address } = await registerCustodial(service, role, gln);
  return { client, address, role };
}

function leafEvent(node: Node): Json {
  return {
    type: "ObjectEvent",
    eventTime: "2025-06-01T08:00:00.000+08:00",
    eventTimeZoneOffset: "+08:00",
    action: "ADD",
    bizStep: "commissioning",
    quantityList: [{ epcClass: lotUri(RPET_GTINS.bales, node.lot), quantity: node.kg, uom: "KGM" }],
    "ct:activity": { "ct:electricity": [{ "ct:kWh": 1, "ct:gridRegion": "CN-East", "ct:basis": "measured" }] },
  };
}

/** A consignment of bale lots from the supplier to the recycler, as the shipper or the receiver records it. */
function handOver(bizStep: "shipping" | "receiving", lots: readonly Node[]): Json {
  const consigned = lots.map((node) => ({ epcClass: lotUri(RPET_GTINS.bales, node.lot), kg: node.kg }));
  const time = `2025-06-01T${bizStep === "shipping" ? "10" : "16"}:00:00.000+08:00`;
  return consignment(bizStep, consigned, SUPPLIER_GLN, RECYCLER_GLN, time);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

function mergeEvent(a: Node, b: Node, merged: Node): Json {
  const gtinOf = (node: Node): string => (node.lot.startsWith("L") ? RPET_GTINS.bales : RPET_GTINS.pellets);
  return {
    type: "TransformationEvent",
    eventTime: "2025-06-02T08:00:00.000+08:00",
    eventTimeZoneOffset: "+08:00",
    bizStep: "commissioning",
    inputQuantityList: [a, b].map((node) => ({
      epcClass: lotUri(gtinOf(node), node.lot),
      quantity: node.kg,
      uom: "KGM",
    })),
    outputQuantityList: [{ epcClass: lotUri(RPET_GTINS.pellets, merged.lot), quantity: merged.kg, uom: "KGM" }],
    "ct:activity": { "ct:electricity": [{ "ct:kWh": 2, "ct:gridRegion": "CN-East", "ct:basis": "measured" }] },
  };
}

function shipEvent(node: Node): Json {
  return {
    type: "ObjectEvent",
    eventTime: "2025-06-03T08:00:00.000+08:00",
    eventTimeZoneOffset: "+08:00",
    action: "OBSERVE",
    bizStep: "shipping",
    quantityList: [{ epcClass: lotUri(RPET_GTINS.pellets, node.lot), quantity: node.kg, uom: "KGM" }],
    "ct:activity": {
      "ct:transport": [
        { "ct:mode": "road", "ct:distanceKm": 100, "ct:massKg": node.kg, "ct:region": "CN", "ct:basis": "measured" },
      ],
    },
  };
}

/**
 * The same graph as the engine sees it, built by the function the service and the verifier use on a bundle's
 * events: each generated event with the @context its document gave it, its signer and role.
 */
function engineGraph(target: string, context: unknown, graph: readonly GraphItem[]): FootprintGraph {
  const events = graph.map((item, index) => ({
    eventHash: `e${String(index)}`,
    event: { "@context": context, ...item.event },
    signer: item.by.address,
    role: item.by.role,
    recordTime: String(item.event.eventTime),
  }));
  const participants = [...new Set(graph.map((item) => item.by))].map((p) => ({ address: p.address, country: "CN" }));
  return footprintGraphOfBundle({ lot: { id: target }, events, participants }, new Set());
}

/** Median time of the engine alone; fails the bench if it disagrees with what the API computed. */
async function timeEngine(graph: FootprintGraph, apiTotalKg: number): Promise<number> {
  const parsed = parseFactorsCsv(
    await readFile(join(projectRoot(), "libs", "footprint", "data", "emission-factors.csv"), "utf8"),
  );
  const library = createFactorLibrary("1", [...BUILT_IN_FACTORS, ...parsed.factors]);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const result = computeLotFootprint(graph, library);
    times.push(performance.now() - started);
    if (Math.abs(result.totalKg - apiTotalKg) > 1e-6 * Math.max(1, apiTotalKg)) {
      throw new Error(`the engine computed ${String(result.totalKg)} kg, the API ${String(apiTotalKg)} kg`);
    }
  }
  return round(
    percentile(
      [...times].sort((a, b) => a - b),
      50,
    ),
  );
}
