import pg from "pg";
import { CarbonTraceClient } from "#client";
import { postDocument, signedDocuments } from "./documents.js";
import { inParallel } from "./parallel.js";
import { registerSelfCustody } from "./participants.js";
import { percentile, progress, round } from "./progress.js";
import type { BenchService } from "./service.js";

/** What POST /capture sustains, next to PostgreSQL inserting the same rows with nothing else to do. */
export interface CaptureBench {
  /** Signed events stored per second through POST /capture (timed from the first request to the last 202). */
  readonly eventsPerSec: number;
  /** The same rows, multi-row INSERTed into a scratch copy of epcis_event, same batches, same concurrency. */
  readonly rawInsertPerSec: number;
  /** eventsPerSec ÷ rawInsertPerSec: the share of raw insert speed the whole capture path keeps. */
  readonly ratio: number;
  readonly events: number;
  readonly eventsPerDocument: number;
  readonly clients: number;
  /** API instances the documents were posted to, round robin (`--instances`; all on one database and chain). */
  readonly instances: number;
  /** Mean size of one signed document as posted. */
  readonly documentBytes: number;
  readonly captureMs: number;
  readonly rawInsertMs: number;
  readonly signing: string;
  /** How long one POST /capture of a 100-event document took (request sent → 202), during the timed run. */
  readonly documentMs: { readonly p50: number; readonly p95: number };
}

export interface CaptureThroughput {
  readonly eventsPerSec: number;
  readonly events: number;
  readonly documentBytes: number;
  readonly captureMs: number;
  readonly documentMs: { readonly p50: number; readonly p95: number };
  /** The participant whose events were captured: its rows are the raw baseline's input. */
  readonly participantId: string;
  readonly instances: number;
  readonly clients: number;
}

/**
 * 100 timed documents of 100 events: 10,000 events, 5 to 6 s of capture on 2 cores. With 30 documents (under 2 s
 * once capture got faster) the run ended while the service was still warming up: about 15 % fewer events/s than a
 * longer run on the same machine, the rate of a service that just started rather than one that is capturing.
 */
const DOCUMENTS = 100;
/**
 * Documents posted, by the same clients, before the clock starts: the figure is what a running service sustains,
 * not what one does while V8 is still compiling its capture path. After a single warm-up document, V8's compiler
 * threads still took about 6 % of the machine's CPU during the timed run (`perf`, 2026-12-05), and 30 warm-up
 * documents gave about a tenth more events/s than one (four alternating pairs of runs); 100 gave no more than 30.
 */
const WARM_UP_DOCUMENTS = 30;
const EVENTS_PER_DOCUMENT = 100;
/**
 * Concurrent clients (per instance): enough to keep the 2 cores busy, since throughput is what a saturated service
 * stores. With 4, the service, PostgreSQL and the clients used 8.8–9.2 of the 10 CPU-seconds of the timed run
 * (per-thread CPU read from /proc every 0.25 s, 2026-12-05): a tenth of the machine idle while every document
 * waited on a commit or a round trip. Alternating runs at 17:21–17:30 UTC: 4 clients 1,936–2,047 events/s, 6 clients
 * 2,029–2,164, 8 clients 2,016–2,248, 12 clients 2,206–2,212; a document's p95 grows with the queue (about 300,
 * 500, 600 and 780 ms).
 */
const CLIENTS = 8;
const SIGNING = "self-custody: EIP-712 signatures made client-side (signDocument) before timing";

/**
 * Signed EPCIS events per second through the HTTP API into PostgreSQL: a self-custody supplier's documents of 100
 * commissioning events (one new lot each, with location and activity data), signed before the clock starts and
 * posted by 8 concurrent clients. POST /capture answers 202 only after its database transaction committed, so
 * the last answer is the moment everything is stored; the row count is checked in the database afterwards.
 * With `others` (instances on the same database), documents go to each instance in turn, 8 clients per instance.
 */
export async function measureCaptureThroughput(
  service: BenchService,
  others: readonly BenchService[] = [],
): Promise<CaptureThroughput> {
  const supplier = await registerSelfCustody(service, "supplier", "690123498001");
  const instances = [service, ...others].map((instance) => ({
    ...supplier,
    client: new CarbonTraceClient({ baseUrl: instance.url, apiKey: supplier.token }),
  }));
  const clients = CLIENTS * instances.length;
  const run = Date.now().toString(36).toUpperCase();
  const signed = (WARM_UP_DOCUMENTS + DOCUMENTS) * EVENTS_PER_DOCUMENT;
  progress(`capture: signing ${String(signed)} events client-side (not timed)`);
  const bodies = await signedDocuments(supplier, `T${run}`, WARM_UP_DOCUMENTS + DOCUMENTS, EVENTS_PER_DOCUMENT);
  const [first, ...warmUp] = bodies.slice(0, WARM_UP_DOCUMENTS);
  const timed = bodies.slice(WARM_UP_DOCUMENTS);
  // The first capture compiles the validators and opens the connection pool; the rest warm the JIT up.
  progress(`capture: ${String(WARM_UP_DOCUMENTS)} warm-up documents (not timed)`);
  await postDocument(supplier, first ?? "");
  let warmed = 0;
  await inParallel(warmUp, clients, (body) => postDocument(instances[warmed++ % instances.length] ?? supplier, body));

  progress(
    `capture: ${String(timed.length)} documents × ${String(EVENTS_PER_DOCUMENT)} events, ${String(clients)} clients, ` +
      `${String(instances.length)} instance(s)`,
  );
  const started = performance.now();
  const latencies: number[] = [];
  let next = 0;
  const stored = await inParallel(timed, clients, async (body) => {
    const through = instances[next++ % instances.length] ?? supplier;
    const sent = performance.now();
    const events = await postDocument(through, body);
    latencies.push(performance.now() - sent);
    return events;
  });
  const captureMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const events = stored.reduce((sum, list) => sum + list.filter((e) => e.outcome === "created").length, 0);
  if (events !== timed.length * EVENTS_PER_DOCUMENT) {
    throw new Error(
      `the service created ${String(events)} events, ${String(timed.length * EVENTS_PER_DOCUMENT)} were posted`,
    );
  }
  await checkStored(service.databaseUrl, supplier.id, bodies.length * EVENTS_PER_DOCUMENT);
  return {
    eventsPerSec: round((events / captureMs) * 1000),
    events,
    documentBytes: Math.round(timed.reduce((sum, body) => sum + Buffer.byteLength(body), 0) / timed.length),
    captureMs: round(captureMs),
    documentMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)) },
    participantId: supplier.id,
    instances: instances.length,
    clients,
  };
}

async function checkStored(databaseUrl: string, participantId: string, expected: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "epcis_event" WHERE "participant_id" = $1`,
      [participantId],
    );
    if (rows[0]?.n !== expected) {
      throw new Error(`epcis_event holds ${String(rows[0]?.n)} of the ${String(expected)} captured events`);
    }
  } finally {
    await client.end();
  }
}

/** Every column POST /capture writes into epcis_event (created_at takes its default in both paths). */
const COLUMNS = [
  "event_hash",
  "event_id",
  "event_type",
  "action",
  "biz_step",
  "disposition",
  "read_point",
  "biz_location",
  "event_time",
  "event_time_zone_offset",
  "record_time",
  "body",
  "context",
  "participant_id",
  "role",
  "signer",
  "signature",
  "custodial",
  "capture_id",
  "error_declaration",
] as const;
const JSONB = new Set<string>(["body", "context", "error_declaration"]);
const SCRATCH = "bench_raw_event";
const ROUNDS = 5;

export interface RawInsert {
  readonly rawInsertPerSec: number;
  readonly rows: number;
  /** Median of the rounds. */
  readonly rawInsertMs: number;
}

/**
 * The baseline: the very rows the capture stored, inserted again into a scratch table with epcis_event's shape
 * (`LIKE … INCLUDING ALL`: columns, defaults, primary key, unique and secondary indexes; no foreign keys), in the
 * same database, one multi-row INSERT per captured document (100 rows, autocommit, like one capture transaction),
 * by as many connections as one instance has clients (8). JSON columns are sent as text, as the service sends them. It
 * runs once the anchorer is idle, while the capture figure includes the service anchoring what it captures.
 */
export async function measureRawInsert(databaseUrl: string, participantId: string): Promise<RawInsert> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: CLIENTS });
  try {
    await pool.query(`DROP TABLE IF EXISTS "${SCRATCH}"`);
    await pool.query(`CREATE TABLE "${SCRATCH}" (LIKE "epcis_event" INCLUDING ALL)`);
    // Statements and parameters are built before the clock starts, as the capture's documents were signed before.
    const batches = (await capturedBatches(pool, participantId)).map((rows) => ({
      rows: rows.length,
      text: insertStatement(rows.length),
      values: rows.flat(),
    }));
    // The capture's warm-up documents warm this side up too; its timed documents are the timed rounds.
    const warmUp = batches.slice(0, WARM_UP_DOCUMENTS);
    const timed = batches.slice(WARM_UP_DOCUMENTS);
    const insert = (batch: { text: string; values: unknown[] }): Promise<unknown> =>
      pool.query(batch.text, batch.values);
    await inParallel(warmUp, CLIENTS, insert);
    progress(
      `capture: raw baseline, ${String(ROUNDS)} rounds of ${String(timed.length)} multi-row INSERTs of ${String(EVENTS_PER_DOCUMENT)} rows`,
    );
    // One round lasts a fraction of a second: the median of a few, each into an emptied table, is steadier.
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await pool.query(`TRUNCATE "${SCRATCH}"`);
      const started = performance.now();
      await inParallel(timed, CLIENTS, insert);
      times.push(performance.now() - started);
    }
    const rawInsertMs = percentile(
      times.sort((a, b) => a - b),
      50,
    );
    const rows = timed.reduce((sum, batch) => sum + batch.rows, 0);
    return { rawInsertPerSec: round((rows / rawInsertMs) * 1000), rows, rawInsertMs: round(rawInsertMs) };
  } finally {
    await pool.query(`DROP TABLE IF EXISTS "${SCRATCH}"`).catch(() => undefined);
    await pool.end();
  }
}

/** The participant's stored rows as insert parameters, one batch per capture (document), oldest first. */
async function capturedBatches(pool: pg.Pool, participantId: string): Promise<unknown[][][]> {
  const select = COLUMNS.map((column) => (JSONB.has(column) ? `"${column}"::text AS "${column}"` : `"${column}"`));
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT ${select.join(", ")} FROM "epcis_event" WHERE "participant_id" = $1 ORDER BY "record_time", "event_hash"`,
    [participantId],
  );
  const byCapture = new Map<unknown, unknown[][]>();
  for (const row of rows) {
    const batch = byCapture.get(row.capture_id) ?? [];
    batch.push(COLUMNS.map((column) => row[column]));
    byCapture.set(row.capture_id, batch);
  }
  return [...byCapture.values()];
}

function insertStatement(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, r) => {
    const placeholders = COLUMNS.map(
      (column, c) => `$${String(r * COLUMNS.length + c + 1)}${JSONB.has(column) ? "::jsonb" : ""}`,
    );
    return `(${placeholders.join(", ")})`;
  });
  return `INSERT INTO "${SCRATCH}" (${COLUMNS.map((column) => `"${column}"`).join(", ")}) VALUES ${tuples.join(", ")}`;
}

/** Both halves as one figure. */
export function captureBench(throughput: CaptureThroughput, raw: RawInsert): CaptureBench {
  return {
    eventsPerSec: throughput.eventsPerSec,
    rawInsertPerSec: raw.rawInsertPerSec,
    ratio: round(throughput.eventsPerSec / raw.rawInsertPerSec, 3),
    events: throughput.events,
    eventsPerDocument: EVENTS_PER_DOCUMENT,
    clients: throughput.clients,
    instances: throughput.instances,
    documentBytes: throughput.documentBytes,
    captureMs: throughput.captureMs,
    rawInsertMs: raw.rawInsertMs,
    signing: SIGNING,
    documentMs: throughput.documentMs,
  };
}
