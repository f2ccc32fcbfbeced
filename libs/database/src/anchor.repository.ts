import type { DataSource, EntityManager } from "typeorm";
import { AnchorBatchEntity } from "./entities/anchor-batch.entity.js";
import { rows } from "./sql.js";

export type BatchStatus = "built" | "sent" | "anchored" | "final";

export interface BatchRecord {
  readonly id: number;
  readonly root: string;
  readonly leafCount: number;
  readonly manifest: Record<string, unknown>;
  readonly manifestCid: string;
  readonly status: BatchStatus;
  readonly chainId: string;
  readonly contract: string;
  readonly txHash: string | null;
  readonly txNonce: number | null;
  readonly txRaw: string | null;
  readonly chainBatchId: string | null;
  readonly blockNumber: number | null;
  readonly blockHash: string | null;
  readonly anchoredAt: Date | null;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * A batch without its manifest: what the anchoring worker's passes need. A manifest holds the whole tree (about
 * 300 bytes per event), and the worker lists its unfinished batches every pass; it reads a manifest only to pin it.
 */
export type BatchState = Omit<BatchRecord, "manifest">;

export interface NewBatch {
  readonly root: string;
  /** The manifest as canonical JSON (RFC 8785): the text of the bytes pinned under `manifestCid`. */
  readonly manifest: string;
  readonly manifestCid: string;
  readonly chainId: string;
  readonly contract: string;
  readonly leaves: ReadonlyArray<{ eventHash: string; leafIndex: number; leaf: string }>;
}

export interface AnchorPlacement {
  readonly chainBatchId: string;
  readonly txHash: string;
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly anchoredAt: Date;
}

export interface EventAnchor {
  readonly batch: BatchRecord;
  readonly leafIndex: number;
  readonly leaf: string;
}

export interface OutboxState {
  readonly count: number;
  /** When the oldest waiting event entered the outbox; null when it is empty. */
  readonly oldest: Date | null;
}

export interface PendingWork {
  readonly outbox: OutboxState;
  /** Some batch is built, sent or anchored (not final yet). */
  readonly unfinishedBatches: boolean;
}

/** The anchoring outbox and batches; the only code touching them. */
export class AnchorRepository {
  constructor(private readonly dataSource: DataSource) {}

  async outbox(): Promise<OutboxState> {
    const [row] = await this.dataSource.query<Array<{ count: number; oldest: Date | null }>>(
      `SELECT count(*)::int AS count, min("enqueued_at") AS oldest FROM "anchor_outbox"`,
    );
    return { count: row?.count ?? 0, oldest: row?.oldest ?? null };
  }

  /**
   * The outbox and whether any batch is not final yet, in one read: what a worker's pass needs to know that there
   * is nothing to do (the status index answers the second part however many final batches there are).
   */
  async pendingWork(): Promise<PendingWork> {
    const [row] = await this.dataSource.query<Array<{ count: number; oldest: Date | null; unfinished: boolean }>>(
      `SELECT count(*)::int AS count, min("enqueued_at") AS oldest,
         EXISTS (SELECT 1 FROM "anchor_batch" WHERE "status" IN ('built', 'sent', 'anchored')) AS unfinished
       FROM "anchor_outbox"`,
    );
    return {
      outbox: { count: row?.count ?? 0, oldest: row?.oldest ?? null },
      unfinishedBatches: row?.unfinished ?? false,
    };
  }

  /**
   * Moves up to `max` waiting events (oldest first) into a new batch built by `build`, in one transaction: an
   * event leaves the outbox exactly when it enters a batch.
   */
  async formBatch(
    max: number,
    build: (events: Array<{ eventHash: string; signer: string }>) => Promise<NewBatch>,
  ): Promise<BatchState | undefined> {
    return this.dataSource.transaction(async (manager) => {
      // A record is an event, or an error declaration (by its id). The rows are taken out of the outbox at once
      // (rolled back with the rest if the batch is not stored) rather than locked first and deleted after: one row
      // change per event instead of two. Only what this transaction deleted comes back; a concurrent former (never
      // the case under the anchoring lease) would wait for it and find those rows gone.
      const waiting = await rows<{ event_hash: string; signer: string }>(
        manager,
        `WITH "oldest" AS (
           SELECT o."event_hash", COALESCE(e."signer", d."signer") AS signer FROM "anchor_outbox" o
           LEFT JOIN "epcis_event" e ON e."event_hash" = o."event_hash"
           LEFT JOIN "error_declaration" d ON d."id" = o."event_hash"
           WHERE COALESCE(e."signer", d."signer") IS NOT NULL
           ORDER BY o."enqueued_at", o."event_hash" LIMIT $1)
         DELETE FROM "anchor_outbox" o USING "oldest" w WHERE o."event_hash" = w."event_hash"
         RETURNING o."event_hash", w."signer"`,
        [max],
      );
      if (waiting.length === 0) return undefined;
      const batch = await build(waiting.map((row) => ({ eventHash: row.event_hash, signer: row.signer })));
      const [inserted] = await manager.query<Array<{ id: number }>>(
        `INSERT INTO "anchor_batch" ("root", "leaf_count", "manifest", "manifest_cid", "status", "chain_id", "contract")
         VALUES ($1, $2, $3, $4, 'built', $5, $6) RETURNING "id"`,
        [batch.root, batch.leaves.length, batch.manifest, batch.manifestCid, batch.chainId, batch.contract],
      );
      const id = inserted?.id;
      if (id === undefined) throw new Error("batch was not inserted");
      await manager.query(
        `INSERT INTO "batch_leaf" ("event_hash", "batch_id", "leaf_index", "leaf")
         SELECT l.event_hash, $1, l.leaf_index, l.leaf FROM jsonb_to_recordset($2::jsonb) AS l(event_hash text, leaf_index int, leaf text)`,
        [
          id,
          JSON.stringify(batch.leaves.map((l) => ({ event_hash: l.eventHash, leaf_index: l.leafIndex, leaf: l.leaf }))),
        ],
      );
      const [formed] = await statesQuery(manager).where("b.id = :id", { id }).getMany();
      return required(formed === undefined ? undefined : toState(formed));
    });
  }

  /** The batches in these states, oldest first, without their manifests. */
  async batches(statuses: readonly BatchStatus[]): Promise<BatchState[]> {
    const rows = await statesQuery(this.dataSource.manager)
      .where("b.status IN (:...statuses)", { statuses })
      .orderBy("b.id", "ASC")
      .getMany();
    return rows.map(toState);
  }

  /** The most recent batch in this state (one row, however long the history), without its manifest. */
  async newestBatch(status: BatchStatus): Promise<BatchState | undefined> {
    const [row] = await statesQuery(this.dataSource.manager)
      .where("b.status = :status", { status })
      .orderBy("b.id", "DESC")
      .limit(1)
      .getMany();
    return row === undefined ? undefined : toState(row);
  }

  async batch(id: number): Promise<BatchRecord | undefined> {
    return findBatch(this.dataSource.manager, id);
  }

  /** Records the signed transaction before it is broadcast. */
  async markSent(id: number, tx: { hash: string; nonce: number; raw: string }): Promise<void> {
    await this.dataSource.query(
      `UPDATE "anchor_batch" SET "status" = 'sent', "tx_hash" = $2, "tx_nonce" = $3, "tx_raw" = $4, "attempts" = "attempts" + 1,
         "last_error" = NULL, "updated_at" = now() WHERE "id" = $1`,
      [id, tx.hash, tx.nonce, tx.raw],
    );
  }

  async markAnchored(id: number, placement: AnchorPlacement): Promise<void> {
    await this.dataSource.query(
      `UPDATE "anchor_batch" SET "status" = 'anchored', "chain_batch_id" = $2, "tx_hash" = $3, "block_number" = $4,
         "block_hash" = $5, "anchored_at" = $6, "last_error" = NULL, "updated_at" = now() WHERE "id" = $1`,
      [id, placement.chainBatchId, placement.txHash, placement.blockNumber, placement.blockHash, placement.anchoredAt],
    );
  }

  async markFinal(id: number): Promise<void> {
    await this.dataSource.query(`UPDATE "anchor_batch" SET "status" = 'final', "updated_at" = now() WHERE "id" = $1`, [
      id,
    ]);
  }

  /**
   * Back to built: the next pass sends it again (with a fresh nonce), at once: the failures counted so far were
   * those of the transaction given up, not of the one to come.
   */
  async resetToBuilt(id: number, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "anchor_batch" SET "status" = 'built', "attempts" = 0, "tx_hash" = NULL, "tx_nonce" = NULL, "tx_raw" = NULL,
         "chain_batch_id" = NULL, "block_number" = NULL, "block_hash" = NULL, "anchored_at" = NULL,
         "last_error" = $2, "updated_at" = now() WHERE "id" = $1`,
      [id, reason],
    );
  }

  async recordError(id: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "anchor_batch" SET "attempts" = "attempts" + 1, "last_error" = $2, "updated_at" = now() WHERE "id" = $1`,
      [id, error],
    );
  }

  /** Where an event is anchored (or batched); undefined while it waits in the outbox. */
  async anchorOf(eventHash: string): Promise<EventAnchor | undefined> {
    const [row] = await this.dataSource.query<Array<{ batch_id: number; leaf_index: number; leaf: string }>>(
      `SELECT "batch_id", "leaf_index", "leaf" FROM "batch_leaf" WHERE "event_hash" = $1`,
      [eventHash],
    );
    if (row === undefined) return undefined;
    const batch = await this.batch(row.batch_id);
    return batch === undefined ? undefined : { batch, leafIndex: row.leaf_index, leaf: row.leaf };
  }

  /** Anchors of many events at once (events still in the outbox are absent from the map). */
  async anchorsOf(eventHashes: readonly string[]): Promise<Map<string, EventAnchor>> {
    if (eventHashes.length === 0) return new Map();
    const rows = await this.dataSource.query<
      Array<{ event_hash: string; batch_id: number; leaf_index: number; leaf: string }>
    >(`SELECT "event_hash", "batch_id", "leaf_index", "leaf" FROM "batch_leaf" WHERE "event_hash" = ANY($1)`, [
      eventHashes,
    ]);
    const batchIds = [...new Set(rows.map((row) => row.batch_id))];
    const batches = new Map<number, BatchRecord>();
    if (batchIds.length > 0) {
      const found = await this.dataSource
        .getRepository(AnchorBatchEntity)
        .createQueryBuilder("b")
        .where("b.id IN (:...batchIds)", { batchIds })
        .getMany();
      for (const batch of found) batches.set(batch.id, toRecord(batch));
    }
    const anchors = new Map<string, EventAnchor>();
    for (const row of rows) {
      const batch = batches.get(row.batch_id);
      if (batch !== undefined) anchors.set(row.event_hash, { batch, leafIndex: row.leaf_index, leaf: row.leaf });
    }
    return anchors;
  }

  async isQueued(eventHash: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(`SELECT 1 FROM "anchor_outbox" WHERE "event_hash" = $1`, [
      eventHash,
    ]);
    return rows.length > 0;
  }

  /**
   * Events per anchoring state, for health and metrics: the outbox (only what waits) and the per-status tally a
   * trigger keeps on `anchor_batch`, so that the answer costs the same however long the history.
   */
  async counts(): Promise<Record<"queued" | BatchStatus, number>> {
    const rows = await this.dataSource.query<Array<{ status: string; n: string }>>(
      `SELECT 'queued' AS status, count(*) AS n FROM "anchor_outbox"
       UNION ALL SELECT "status", "events" FROM "anchor_tally"`,
    );
    const counts = { queued: 0, built: 0, sent: 0, anchored: 0, final: 0 };
    for (const row of rows) counts[row.status as keyof typeof counts] = Number(row.n);
    return counts;
  }

  /**
   * What is not on the chain yet: events in the outbox or in batches not yet mined, and since when the oldest of
   * them waits (its record time; the outbox or batch time where a record has none). Reads only the unanchored
   * rows, however long the history.
   */
  async backlog(): Promise<Backlog> {
    const [row] = await this.dataSource.query<Array<{ events: number; oldest: Date | null }>>(
      `WITH pending AS (SELECT "id", "leaf_count", "created_at" FROM "anchor_batch" WHERE "status" IN ('built', 'sent'))
       SELECT
         (SELECT count(*)::int FROM "anchor_outbox") + (SELECT coalesce(sum("leaf_count"), 0)::int FROM pending) AS events,
         least(
           (SELECT min(coalesce(e."record_time", o."enqueued_at")) FROM "anchor_outbox" o
              LEFT JOIN "epcis_event" e ON e."event_hash" = o."event_hash"),
           (SELECT min(coalesce(e."record_time", p."created_at")) FROM pending p
              JOIN "batch_leaf" l ON l."batch_id" = p."id"
              LEFT JOIN "epcis_event" e ON e."event_hash" = l."event_hash")
         ) AS oldest`,
    );
    return { events: row?.events ?? 0, oldest: row?.oldest ?? null };
  }
}

/** Events captured but not yet on the chain. */
export interface Backlog {
  readonly events: number;
  /** When the oldest of them was recorded; null when there are none. */
  readonly oldest: Date | null;
}

async function findBatch(manager: EntityManager, id: number): Promise<BatchRecord | undefined> {
  const row = await manager.getRepository(AnchorBatchEntity).findOneBy({ id });
  return row === null ? undefined : toRecord(row);
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("missing row");
  return value;
}

/** Every column of anchor_batch but the manifest. */
function statesQuery(manager: EntityManager) {
  const batches = manager.getRepository(AnchorBatchEntity);
  const columns = batches.metadata.columns
    .map((column) => column.propertyName)
    .filter((property) => property !== "manifest");
  return batches.createQueryBuilder("b").select(columns.map((property) => `b.${property}`));
}

function toRecord(row: AnchorBatchEntity): BatchRecord {
  return { ...toState(row), manifest: JSON.parse(row.manifest) as Record<string, unknown> };
}

function toState(row: AnchorBatchEntity): BatchState {
  return {
    id: row.id,
    root: row.root,
    leafCount: row.leafCount,
    manifestCid: row.manifestCid,
    status: row.status as BatchStatus,
    chainId: row.chainId,
    contract: row.contract,
    txHash: row.txHash,
    txNonce: row.txNonce,
    txRaw: row.txRaw,
    chainBatchId: row.chainBatchId,
    blockNumber: row.blockNumber === null ? null : Number(row.blockNumber),
    blockHash: row.blockHash,
    anchoredAt: row.anchoredAt,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
