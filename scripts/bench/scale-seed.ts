import pg from "pg";
import { progress } from "./progress.js";

/**
 * Anchored history written straight into PostgreSQL, set-based, as copies of one lot chain that the service
 * captured through its API (the template): the same rows capture writes (events, capture jobs, references, lots,
 * lot movements, holdings, custody movements, evidence links), with lot numbers and event hashes made unique per
 * copy, times spread over two years, then Merkle batches of the default size marked final with their leaves.
 *
 * What is not real about the copies, and why that is acceptable here: their event hashes are SHA-256 digests of
 * (template hash, copy, repeat), not CBV hashes of their bodies, their signatures are the template's, and their
 * batches are not on the chain (their manifest is a stub without the tree). None of the measured requests verify
 * seeded events; they only have to find them in the tables, as they would find real history.
 */
export interface SeedPlan {
  /** The template chain's lot-number suffix (it appears in every lot number of the chain and nowhere else). */
  readonly run: string;
  /** The template's events: `seq` in (fromSeq, toSeq]. */
  readonly fromSeq: string;
  readonly toSeq: string;
  /** Seed at least this many events (whole copies of the chain). */
  readonly targetEvents: number;
  /** Extra `storing` observations of each copy's stored lot (weekly stock counts), to reach ~10 events a lot. */
  readonly stockCounts: number;
  /** Leaves per Merkle batch (the service's default ANCHOR_BATCH_SIZE). */
  readonly batchSize: number;
}

export interface SeedResult {
  readonly events: number;
  readonly lots: number;
  readonly copies: number;
  readonly batches: number;
  /** Writing the rows. */
  readonly insertMs: number;
  /** VACUUM ANALYZE of the seeded tables afterwards (fresh statistics and visibility, as an aged database has). */
  readonly analyzeMs: number;
}

/** Every table the copies write, for VACUUM ANALYZE. */
const SEEDED_TABLES = [
  "capture_job",
  "epcis_event",
  "event_reference",
  "event_evidence",
  "lot",
  "lot_movement",
  "lot_holding",
  "custody_movement",
  "anchor_batch",
  "batch_leaf",
] as const;

/** Copies are written by this many connections at once, each its own share in its own transaction (2 cores). */
const WRITERS = 2;

export async function seedHistory(databaseUrl: string, plan: SeedPlan): Promise<SeedResult> {
  const clients = await Promise.all(Array.from({ length: WRITERS }, () => bulkSession(databaseUrl)));
  const [main] = clients;
  if (main === undefined) throw new Error("no database session");
  try {
    const [template] = await Promise.all(clients.map((client) => loadTemplate(client, plan)));
    if (template === undefined) throw new Error("no template loaded");
    const copies = Math.ceil(plan.targetEvents / template.eventsPerCopy);
    const started = performance.now();
    const before = await maxSeq(main);
    await Promise.all(
      clients.map(async (client, writer) => {
        const share = Math.ceil(copies / WRITERS);
        await inTransaction(client, () =>
          copyRows(client, plan, { first: writer * share + 1, last: Math.min(copies, (writer + 1) * share), copies }),
        );
      }),
    );
    const after = await maxSeq(main);
    const batches = await inTransaction(main, () => anchorFinal(main, before, after, plan.batchSize));
    const insertMs = performance.now() - started;
    const analyzeMs = await vacuumAnalyze(main);
    const counted = await seededCounts(main, before, after, plan.run);
    return { ...counted, copies, batches, insertMs, analyzeMs };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

/** A session for one bulk load: nothing waits for its commits, and its sorts fit in memory. */
async function bulkSession(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`SET synchronous_commit = off`);
  await client.query(`SET work_mem = '256MB'`);
  await client.query(`SET maintenance_work_mem = '512MB'`);
  return client;
}

async function inTransaction<T>(client: pg.Client, work: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await work();
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

interface Template {
  readonly eventsPerCopy: number;
}

/** The template's rows of each per-event table, as the temporary table the copies read them from. */
const TEMPLATE_ROWS = [
  ["bench_reference", "event_reference"],
  ["bench_evidence", "event_evidence"],
  ["bench_movement", "lot_movement"],
  ["bench_custody", "custody_movement"],
] as const;

/**
 * The template events in a temporary table, with how many times each is repeated within one copy (the stored
 * lot's `storing` observation once per weekly count, every other event once), and the template's other rows in
 * temporary tables of their own, analysed. The copies are read from these, never from the tables being written:
 * joined to a table the other writer was filling, the planner, which still counted the template's dozen rows
 * there, chose a nested loop over a sequential scan of it (2026-12-06: one writer's custody movements ran for
 * minutes instead of 4 s).
 */
async function loadTemplate(client: pg.Client, plan: SeedPlan): Promise<Template> {
  const copyOf = async (table: string, sql: string, values: unknown[] = []): Promise<void> => {
    await client.query(`DROP TABLE IF EXISTS pg_temp.${table}`);
    await client.query(`CREATE TEMP TABLE ${table} AS ${sql}`, values);
    await client.query(`ANALYZE ${table}`);
  };
  await copyOf(
    "bench_template",
    `SELECT e.*, CASE WHEN e.biz_step LIKE '%BizStep-storing' THEN $3::int ELSE 0 END AS repeats
     FROM "epcis_event" e WHERE e.seq > $1::bigint AND e.seq <= $2::bigint`,
    [plan.fromSeq, plan.toSeq, plan.stockCounts],
  );
  for (const [table, source] of TEMPLATE_ROWS) {
    await copyOf(table, `SELECT x.* FROM "${source}" x WHERE x.event_hash IN (SELECT event_hash FROM bench_template)`);
  }
  await copyOf("bench_lot", `SELECT l.* FROM "lot" l WHERE l.lot_number LIKE '%' || $1::text`, [plan.run]);
  await copyOf("bench_holding", `SELECT h.* FROM "lot_holding" h WHERE h.lot_id IN (SELECT id FROM bench_lot)`);
  const { rows } = await client.query<{ events: number; storing: number }>(
    `SELECT sum(1 + repeats)::int AS events, count(*) FILTER (WHERE repeats > 0)::int AS storing FROM bench_template`,
  );
  const events = rows[0]?.events ?? 0;
  if (events === 0) throw new Error("the template chain has no events");
  if (rows[0]?.storing !== 1) throw new Error("the template chain should have exactly one storing event");
  return { eventsPerCopy: events };
}

/** The newest event's `seq` (0 on an empty table): the chains the bench captures are the events after it. */
export async function newestSeq(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await maxSeq(client);
  } finally {
    await client.end();
  }
}

async function maxSeq(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ seq: string }>(`SELECT coalesce(max(seq), 0)::text AS seq FROM "epcis_event"`);
  return rows[0]?.seq ?? "0";
}

/** SQL for copy `g`: its lot-number suffix, e.g. H00042. */
const SUFFIX = `'H' || lpad(g::text, 5, '0')`;
/** SQL for the hash of template event `t` in copy `g`, repeat `k`, in the form of a CBV event hash. */
const HASH = `'ni:///sha-256;' || encode(sha256(convert_to(t.event_hash || '/' || g || '/' || k, 'UTF8')), 'hex') || '?ver=CBV2.0'`;
/** Every template event once per copy of this writer's share, its storing observation `repeats` more times. */
const COPIES = `generate_series(@first::int, @last::int) g CROSS JOIN bench_template t
  CROSS JOIN LATERAL generate_series(0, t.repeats) k`;
/** Copies spread over the two years before now (event times a day apart, cycling), repeats a week apart. */
const EVENT_TIME = `t.event_time - (g % 730) * interval '1 day' + k * interval '7 days'`;
const RECORD_TIME = `now() - (@copies::int - g + 1) * (interval '730 days' / @copies::int)
  + (t.seq - @fromSeq::bigint) * interval '1 second' + k * interval '1 second'`;

interface Share {
  /** Copies first…last (1-based) of `copies`. */
  readonly first: number;
  readonly last: number;
  readonly copies: number;
}

async function copyRows(client: pg.Client, plan: SeedPlan, share: Share): Promise<void> {
  const values: Record<string, unknown> = { ...share, run: plan.run, fromSeq: plan.fromSeq };
  const step = async (name: string, sql: string): Promise<void> => {
    const started = performance.now();
    const result = await client.query(named(sql, values));
    progress(
      `scale: ${name} (copies ${String(share.first)}–${String(share.last)}): ${String(result.rowCount ?? 0)} rows (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  };
  // Lots before what refers to them; each writer's rows only refer to its own copies and the committed template.
  await step("capture_job", captureJobsSql());
  await step("epcis_event", eventsSql());
  await step("event_reference", referencesSql());
  await step("event_evidence", evidenceSql());
  await step("lot", lotsSql());
  await step("lot_movement", movementsSql());
  await step("lot_holding", holdingsSql());
  await step("custody_movement", custodySql());
}

/** `@name` placeholders as numbered parameters, so that a statement gets exactly the values it names. */
function named(sql: string, values: Record<string, unknown>): { text: string; values: unknown[] } {
  const order: string[] = [];
  const text = sql.replace(/@(\w+)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for @${name}`);
    if (!order.includes(name)) order.push(name);
    return `$${String(order.indexOf(name) + 1)}`;
  });
  return { text, values: order.map((name) => values[name]) };
}

/** One capture job per copy of each template capture, counting the events it holds. */
function captureJobsSql(): string {
  return `INSERT INTO "capture_job" ("id", "participant_id", "event_count", "created_count", "document_sha256", "created_at", "finished_at")
    SELECT md5(c.capture_id::text || '/' || g)::uuid, c.participant_id, c.events, c.events,
      encode(sha256(convert_to(c.capture_id::text || '/' || g, 'UTF8')), 'hex'), now(), now()
    FROM (SELECT t.capture_id, t.participant_id, sum(1 + t.repeats)::int AS events FROM bench_template t
          GROUP BY t.capture_id, t.participant_id) c
    CROSS JOIN generate_series(@first::int, @last::int) g`;
}

function eventsSql(): string {
  const time = EVENT_TIME;
  return `INSERT INTO "epcis_event" ("event_hash", "event_id", "event_type", "action", "biz_step", "disposition",
      "read_point", "biz_location", "event_time", "event_time_zone_offset", "record_time", "body", "context",
      "participant_id", "role", "signer", "signature", "custodial", "capture_id")
    SELECT ${HASH}, ${HASH}, t.event_type, t.action, t.biz_step, t.disposition, t.read_point, t.biz_location,
      ${time}, t.event_time_zone_offset, ${RECORD_TIME},
      jsonb_set(jsonb_set(replace(t.body::text, @run::text, ${SUFFIX})::jsonb, '{eventID}', to_jsonb(${HASH})),
        '{eventTime}', to_jsonb(to_char((${time}) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+08:00"'))),
      t.context, t.participant_id, t.role, t.signer, t.signature, t.custodial,
      md5(t.capture_id::text || '/' || g)::uuid
    FROM ${COPIES}`;
}

function referencesSql(): string {
  return `INSERT INTO "event_reference" ("event_hash", "field", "position", "uri", "is_class", "quantity", "uom")
    SELECT ${HASH}, r.field, r.position, replace(r.uri, @run::text, ${SUFFIX}), r.is_class, r.quantity, r.uom
    FROM ${COPIES} JOIN bench_reference r ON r.event_hash = t.event_hash`;
}

function evidenceSql(): string {
  return `INSERT INTO "event_evidence" ("event_hash", "cid", "kind")
    SELECT ${HASH}, v.cid, v.kind FROM ${COPIES} JOIN bench_evidence v ON v.event_hash = t.event_hash`;
}

/** The template's lots (named by its run suffix), once per copy. */
function lotsSql(): string {
  return `INSERT INTO "lot" ("id", "gtin", "lot_number", "unit", "produced", "consumed", "external", "originator_id")
    SELECT replace(l.id, @run::text, ${SUFFIX}), l.gtin, replace(l.lot_number, @run::text, ${SUFFIX}), l.unit, l.produced,
      l.consumed, l.external, l.originator_id
    FROM bench_lot l CROSS JOIN generate_series(@first::int, @last::int) g`;
}

function movementsSql(): string {
  return `INSERT INTO "lot_movement" ("event_hash", "lot_id", "direction", "quantity", "unit", "mass_kg", "reversed")
    SELECT ${HASH}, replace(m.lot_id, @run::text, ${SUFFIX}), m.direction, m.quantity, m.unit, m.mass_kg, m.reversed
    FROM ${COPIES} JOIN bench_movement m ON m.event_hash = t.event_hash`;
}

function holdingsSql(): string {
  return `INSERT INTO "lot_holding" ("lot_id", "participant_id", "held", "in_transit")
    SELECT replace(h.lot_id, @run::text, ${SUFFIX}), h.participant_id, h.held, h.in_transit
    FROM bench_holding h CROSS JOIN generate_series(@first::int, @last::int) g`;
}

function custodySql(): string {
  return `INSERT INTO "custody_movement" ("event_hash", "lot_id", "participant_id", "held", "in_transit", "reversed")
    SELECT ${HASH}, replace(c.lot_id, @run::text, ${SUFFIX}), c.participant_id, c.held, c.in_transit, c.reversed
    FROM ${COPIES} JOIN bench_custody c ON c.event_hash = t.event_hash`;
}

/**
 * The seeded events in Merkle batches of `batchSize` leaves (in recording order), each batch final: the state the
 * anchoring worker leaves history in. Batch ids are taken from the column's sequence, so the worker's next batch
 * follows them. Their roots are not on the chain, but they name the block of the service's own newest batch, one
 * the chain has: the running worker checks every 10 s that the newest final batch's block is still there, and a
 * block that never existed would read as a chain that lost blocks (it would send the whole seeded history back to
 * be anchored again, as it should after a real chain reset).
 */
async function anchorFinal(client: pg.Client, fromSeq: string, toSeq: string, batchSize: number): Promise<number> {
  const started = performance.now();
  const { rows: counted } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "epcis_event" WHERE seq > $1::bigint AND seq <= $2::bigint`,
    [fromSeq, toSeq],
  );
  const batches = Math.ceil((counted[0]?.n ?? 0) / batchSize);
  const { rows: reserved } = await client.query<{ first: string }>(
    `SELECT (setval(pg_get_serial_sequence('anchor_batch', 'id'),
       nextval(pg_get_serial_sequence('anchor_batch', 'id')) + $1::int - 1) - $1::int + 1)::text AS first`,
    [batches],
  );
  const first = reserved[0]?.first ?? "1";
  await client.query(
    `INSERT INTO "anchor_batch" ("id", "root", "leaf_count", "manifest", "manifest_cid", "status", "chain_id", "contract",
       "tx_hash", "chain_batch_id", "block_number", "block_hash", "anchored_at", "attempts", "created_at", "updated_at")
     SELECT id, root, least($3::int, $4::int - b * $3::int),
       jsonb_build_object('type', 'CarbonTraceAnchorBatch', 'version', 1, 'chainId', real.chain_id::text,
         'contract', real.contract, 'root', root, 'seeded', 'bench scale: not on the chain')::text,
       'bafkrei' || substr(encode(sha256(convert_to('manifest/' || id, 'UTF8')), 'hex'), 1, 52), 'final',
       real.chain_id, real.contract, '0x' || encode(sha256(convert_to('tx/' || id, 'UTF8')), 'hex'),
       1000000000 + id, real.block_number, real.block_hash, now() - interval '1 hour', 1, now(), now()
     FROM generate_series(0, $2::int - 1) b
     CROSS JOIN LATERAL (SELECT $1::bigint + b AS id) i
     CROSS JOIN LATERAL (SELECT '0x' || encode(sha256(convert_to('root/' || i.id, 'UTF8')), 'hex') AS root) r
     CROSS JOIN (SELECT "chain_id", "contract", "block_number", "block_hash" FROM "anchor_batch"
                 ORDER BY "id" DESC LIMIT 1) real`,
    [first, batches, batchSize, counted[0]?.n ?? 0],
  );
  const leaves = await client.query(
    `INSERT INTO "batch_leaf" ("event_hash", "batch_id", "leaf_index", "leaf")
     SELECT e.event_hash, $1::bigint + (e.n / $2::int), (e.n % $2::int)::int,
       '0x' || encode(sha256(convert_to(e.event_hash, 'UTF8')), 'hex')
     FROM (SELECT event_hash, row_number() OVER (ORDER BY seq) - 1 AS n FROM "epcis_event"
           WHERE seq > $3::bigint AND seq <= $4::bigint) e`,
    [first, batchSize, fromSeq, toSeq],
  );
  progress(
    `scale: anchor_batch ${String(batches)} final batches, batch_leaf ${String(leaves.rowCount ?? 0)} rows (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  return batches;
}

async function vacuumAnalyze(client: pg.Client): Promise<number> {
  const started = performance.now();
  progress("scale: VACUUM ANALYZE of the seeded tables");
  await client.query(`VACUUM (ANALYZE) ${SEEDED_TABLES.map((table) => `"${table}"`).join(", ")}`);
  return performance.now() - started;
}

/** What the copies added, counted in the database rather than assumed from the plan. */
async function seededCounts(
  client: pg.Client,
  fromSeq: string,
  toSeq: string,
  run: string,
): Promise<{ events: number; lots: number }> {
  const { rows } = await client.query<{ events: number; lots: number; unanchored: number }>(
    `SELECT
       (SELECT count(*)::int FROM "epcis_event" WHERE seq > $1::bigint AND seq <= $2::bigint) AS events,
       (SELECT count(*)::int FROM "lot" WHERE lot_number ~ '^[A-Z]{2}H[0-9]{5}$') AS lots,
       (SELECT count(*)::int FROM "epcis_event" e WHERE seq > $1::bigint AND seq <= $2::bigint
          AND NOT EXISTS (SELECT 1 FROM "batch_leaf" l JOIN "anchor_batch" b ON b.id = l.batch_id
                          WHERE l.event_hash = e.event_hash AND b.status = 'final')) AS unanchored`,
    [fromSeq, toSeq],
  );
  const row = rows[0];
  if (row === undefined || row.unanchored !== 0) {
    throw new Error(`${String(row?.unanchored)} seeded events of the template ${run} are not in a final batch`);
  }
  return { events: row.events, lots: row.lots };
}
