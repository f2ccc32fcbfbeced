import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "#config";
import type { BundleEvent } from "#proof";
import { anchoringCounts, onChain } from "./anchoring-status.js";
import { postDocument, signedDocuments } from "./documents.js";
import { inParallel } from "./parallel.js";
import { registerSelfCustody } from "./participants.js";
import { percentile, progress, round } from "./progress.js";
import type { BenchService } from "./service.js";

export interface AnchoringLatency {
  /** Per event: when its root was anchored on chain minus when the service recorded the event. */
  readonly latencyMs: {
    readonly p50: number;
    readonly p95: number;
    readonly max: number;
    /** Per event: when GET /anchoring first counted its batch as anchored minus its recordTime (100 ms polling). */
    readonly observedP50: number;
    readonly observedP95: number;
  };
  readonly latency: {
    /** Documents measured; each stands for its events, which share its recordTime and batch. */
    readonly samples: number;
    readonly events: number;
    readonly eventsPerDocument: number;
    readonly documentsPerSec: number;
    readonly durationMs: number;
    readonly batches: number;
    /** The service's defaults, which the bench service runs with. */
    readonly batchWindowMs: number;
    readonly batchSize: number;
    readonly pollMs: number;
  };
}

/** 4 documents of 10 events a second for 24 s: 40 events/s, below ANCHOR_BATCH_SIZE per window, so the window decides. */
const DOCUMENTS_PER_SEC = 4;
const DURATION_MS = 24_000;
const EVENTS_PER_DOCUMENT = 10;
const WATCH_MS = 100;

interface Sample {
  readonly at: number;
  readonly onChain: number;
}

interface EventTimes {
  readonly recordTime: number;
  readonly anchoredAt: number;
  readonly chainBatchId: bigint;
  readonly leafCount: number;
}

/**
 * Capture-to-anchored latency with the service's default batching: documents captured at a steady rate, then their
 * proofs asked for. The headline is server-recorded (the block timestamp of the anchoring transaction minus the
 * event's recordTime, both from GET /events/{id}/proof); block timestamps are whole seconds, so the figure also
 * comes as observed through GET /anchoring, polled every 100 ms while the run lasts (which adds up to one poll of
 * the anchoring worker: the service notices a mined batch on its next pass).
 */
export async function measureAnchoringLatency(service: BenchService): Promise<AnchoringLatency> {
  // The bench service gets no ANCHOR_* variables: it runs with the defaults the configuration schema declares.
  const defaults = loadConfig({}).anchoring;
  const supplier = await registerSelfCustody(service, "supplier", "690123498002");
  const run = Date.now().toString(36).toUpperCase();
  const documents = (DURATION_MS / 1000) * DOCUMENTS_PER_SEC;
  const bodies = await signedDocuments(supplier, `A${run}`, documents, EVENTS_PER_DOCUMENT);
  const expected = documents * EVENTS_PER_DOCUMENT;
  const before = onChain(await anchoringCounts(service));
  const watcher = watchOnChain(service);
  let captured: string[][];
  try {
    captured = await captureSteadily(bodies, (body) => postDocument(supplier, body));
    progress("latency: waiting until every event is anchored");
    await watcher.until(before + expected, defaults.windowMs * 4 + 10_000);
  } finally {
    await watcher.stop();
  }

  // One proof per document: its events share one recordTime (set per capture) and one batch (a capture's outbox
  // rows commit together and a batch takes every waiting event, up to ANCHOR_MAX_BATCH), so they share a latency.
  // Reading every event's proof would cost ~20 ms each here (the service loads the batch's tree per request).
  progress(`latency: reading one event proof per document (${String(captured.length)})`);
  const firstEvents = captured.map((events) => events[0] ?? "");
  const times = await inParallel(firstEvents, 4, (id) => eventTimes(service, id));
  const batches = batchesInOrder(times);
  const observedAt = whenObserved(batches, watcher.samples, before);
  return {
    latencyMs: percentiles(times, observedAt),
    latency: {
      samples: times.length,
      events: expected,
      eventsPerDocument: EVENTS_PER_DOCUMENT,
      documentsPerSec: DOCUMENTS_PER_SEC,
      durationMs: DURATION_MS,
      batches: batches.length,
      batchWindowMs: defaults.windowMs,
      batchSize: defaults.batchSize,
      pollMs: defaults.pollMs,
    },
  };
}

function percentiles(
  times: readonly EventTimes[],
  observedAt: ReadonlyMap<bigint, number>,
): AnchoringLatency["latencyMs"] {
  const sorted = (values: number[]): number[] => values.sort((a, b) => a - b);
  const server = sorted(times.map((t) => t.anchoredAt - t.recordTime));
  const observed = sorted(times.map((t) => (observedAt.get(t.chainBatchId) ?? Number.NaN) - t.recordTime));
  return {
    p50: round(percentile(server, 50), 0),
    p95: round(percentile(server, 95), 0),
    max: round(server.at(-1) ?? Number.NaN, 0),
    observedP50: round(percentile(observed, 50), 0),
    observedP95: round(percentile(observed, 95), 0),
  };
}

/** Posts the documents on a fixed schedule (not one after the other), so a slow answer does not slow the rate. */
async function captureSteadily(
  bodies: readonly string[],
  post: (body: string) => Promise<ReadonlyArray<{ eventID: string }>>,
): Promise<string[][]> {
  const interval = 1000 / DOCUMENTS_PER_SEC;
  const started = performance.now();
  const posted: Array<Promise<ReadonlyArray<{ eventID: string }>>> = [];
  for (const [index, body] of bodies.entries()) {
    await sleep(Math.max(0, started + index * interval - performance.now()));
    if (index > 0 && index % (DOCUMENTS_PER_SEC * 5) === 0) {
      progress(
        `latency: ${String(index)}/${String(bodies.length)} documents captured at ${String(DOCUMENTS_PER_SEC)}/s`,
      );
    }
    posted.push(post(body));
  }
  return (await Promise.all(posted)).map((events) => events.map((event) => event.eventID));
}

/** Polls GET /anchoring, remembering when each count of on-chain events was first seen. */
function watchOnChain(service: BenchService): {
  readonly samples: Sample[];
  until(count: number, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
} {
  const samples: Sample[] = [];
  let stopped = false;
  let failure: Error | undefined;
  const loop = (async (): Promise<void> => {
    while (!stopped) {
      try {
        samples.push({ at: Date.now(), onChain: onChain(await anchoringCounts(service)) });
      } catch (error) {
        // Kept for until(), so that a failing service ends the run with its error instead of a timeout.
        failure = error instanceof Error ? error : new Error(String(error));
        return;
      }
      await sleep(WATCH_MS);
    }
  })();
  return {
    samples,
    until: async (count, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while ((samples.at(-1)?.onChain ?? 0) < count) {
        if (failure !== undefined) throw failure;
        if (Date.now() > deadline) throw new Error(`not all events were anchored within ${String(timeoutMs)} ms`);
        await sleep(WATCH_MS);
      }
    },
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

async function eventTimes(service: BenchService, eventId: string): Promise<EventTimes> {
  const proof = await service.admin.json<{ event: BundleEvent }>("GET", `/events/${encodeURIComponent(eventId)}/proof`);
  const { batch } = proof.event.anchor;
  if (batch === undefined) throw new Error(`event ${eventId} is not anchored yet`);
  return {
    recordTime: Date.parse(proof.event.recordTime),
    anchoredAt: Date.parse(batch.anchoredAt),
    chainBatchId: BigInt(batch.chainBatchId),
    leafCount: batch.leafCount,
  };
}

function batchesInOrder(times: readonly EventTimes[]): Array<{ id: bigint; leafCount: number }> {
  const batches = new Map<bigint, number>();
  for (const t of times) batches.set(t.chainBatchId, t.leafCount);
  return [...batches.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, leafCount]) => ({ id, leafCount }));
}

/**
 * GET /anchoring only counts events, so batch k is taken as seen when the count first covers batches 1…k.
 * This holds because the run starts with nothing pending and batches are anchored in order (one nonce after
 * the other), and is checked: the batches must hold exactly the run's events.
 */
function whenObserved(
  batches: ReadonlyArray<{ id: bigint; leafCount: number }>,
  samples: readonly Sample[],
  before: number,
): Map<bigint, number> {
  const seen = new Map<bigint, number>();
  let covered = before;
  for (const batch of batches) {
    covered += batch.leafCount;
    const sample = samples.find((s) => s.onChain >= covered);
    seen.set(batch.id, sample?.at ?? Number.NaN);
  }
  const last = samples.at(-1)?.onChain ?? 0;
  if (covered !== last) {
    throw new Error(
      `the run's batches hold ${String(covered - before)} events, GET /anchoring counted ${String(last - before)}`,
    );
  }
  return seen;
}
