import type { DataSource } from "typeorm";
import { enqueueChainJob } from "./chain-job.repository.js";
import { AttestationEntity } from "./entities/attestation.entity.js";
import { LotEntity } from "./entities/lot.entity.js";

export interface LotRecord {
  readonly id: string;
  readonly gtin: string;
  readonly lotNumber: string;
  readonly unit: string;
  readonly produced: string;
  readonly consumed: string;
  readonly external: boolean;
}

export interface EvidenceLinkRecord {
  readonly eventHash: string;
  readonly cid: string;
  readonly kind: string | null;
  readonly mediaType: string;
  readonly byteSize: number;
  readonly sha256: string;
}

export interface AttestationRecord {
  readonly id: string;
  readonly lotId: string;
  readonly subject: string;
  readonly statementHash: string;
  readonly statement: Record<string, unknown>;
  readonly verdict: string;
  readonly reportCid: string;
  readonly participantId: string;
  readonly certifier: string;
  readonly signature: string;
  readonly nonce: string;
  /** Unix seconds. */
  readonly deadline: number;
  readonly status: string;
  readonly txHash: string | null;
  readonly blockNumber: number | null;
  readonly recordedAt: Date | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
}

export interface FootprintInputs {
  readonly lots: readonly LotRecord[];
  readonly events: ReadonlyArray<{
    readonly eventHash: string;
    readonly eventTime: Date;
    /** Full CBV URI or the company's own URI; null when the event has none. */
    readonly bizStep: string | null;
    readonly role: string;
    readonly body: Record<string, unknown>;
    readonly context: unknown;
    /** Country of the participant that recorded it. */
    readonly country: string | null;
    /** The participant that recorded it. */
    readonly participantId?: string;
    /** In a batch whose root is on the ledger. */
    readonly anchored: boolean;
  }>;
  readonly movements: ReadonlyArray<{
    readonly eventHash: string;
    readonly lotId: string;
    /** "produced", "consumed", "observed" or "declared". */
    readonly direction: string;
    readonly quantity: string;
    readonly massKg: string | null;
  }>;
}

/** The lots upstream of the seed lots (themselves, the lots consumed to make them, and so on), as `upstream(lot_id)`. */
const upstreamOf = (seed: string): string => `upstream(lot_id) AS (
  ${seed}
  UNION
  SELECT consumed.lot_id FROM upstream u
    JOIN "lot_movement" made ON made.lot_id = u.lot_id AND made.direction = 'produced' AND NOT made.reversed
    JOIN "lot_movement" consumed ON consumed.event_hash = made.event_hash AND consumed.direction = 'consumed'
      AND NOT consumed.reversed
)`;

/** The lots upstream of lot $1. */
const UPSTREAM_LOTS = upstreamOf("SELECT $1::text");

/** What one participant holds of a lot, and what is on its way to it (a shipment it has not received yet). */
export interface LotHoldingRecord {
  readonly lotId: string;
  readonly gtin: string;
  readonly lotNumber: string;
  readonly unit: string;
  readonly held: string;
  readonly inTransit: string;
  /** Who shipped what is in transit (the last shipment's author); null when nothing is. */
  readonly shipperId: string | null;
  /** kg per piece, for lots counted in pieces whose making stated it. */
  readonly kgPerUnit: string | null;
}

/** The most lots a holdings list returns (newest lots first). */
export const HOLDINGS_LIMIT = 500;

/** Lots, the upstream graph behind a lot, its evidence and attestations. */
export class LotRepository {
  constructor(private readonly dataSource: DataSource) {}

  async lot(id: string): Promise<LotRecord | undefined> {
    const row = await this.dataSource.getRepository(LotEntity).findOneBy({ id });
    return row === null ? undefined : toLot(row);
  }

  /** A product's lots, newest first, at most `limit`. */
  async lotsOfProduct(gtin: string, limit: number): Promise<Array<LotRecord & { createdAt: Date }>> {
    const rows = await this.dataSource
      .getRepository(LotEntity)
      .find({ where: { gtin }, order: { createdAt: "DESC", id: "ASC" }, take: limit });
    return rows.map((row) => ({ ...toLot(row), createdAt: row.createdAt }));
  }

  /** A participant's lots with something held or in transit to it, newest lots first (bounded). */
  async holdingsOf(participantId: string): Promise<LotHoldingRecord[]> {
    const rows = await this.dataSource.query<
      Array<{
        lot_id: string;
        gtin: string;
        lot_number: string;
        unit: string;
        held: string;
        in_transit: string;
        shipper_id: string | null;
        kg_per_unit: string | null;
      }>
    >(
      `SELECT h."lot_id", l."gtin", l."lot_number", l."unit", h."held"::text, h."in_transit"::text,
              CASE WHEN h."in_transit" > 0 THEN (
                SELECT e."participant_id" FROM "custody_movement" c
                  JOIN "epcis_event" e ON e."event_hash" = c."event_hash"
                 WHERE c."lot_id" = h."lot_id" AND c."participant_id" = h."participant_id"
                   AND c."in_transit" > 0 AND NOT c."reversed"
                 ORDER BY e."record_time" DESC LIMIT 1) END AS shipper_id,
              (SELECT (m."mass_kg" / m."quantity")::text FROM "lot_movement" m
                WHERE m."lot_id" = h."lot_id" AND m."direction" = 'produced' AND m."mass_kg" IS NOT NULL
                  AND m."quantity" > 0 LIMIT 1) AS kg_per_unit
         FROM "lot_holding" h JOIN "lot" l ON l."id" = h."lot_id"
        WHERE h."participant_id" = $1 AND (h."held" > 0 OR h."in_transit" > 0)
        ORDER BY l."created_at" DESC, l."id" LIMIT ${String(HOLDINGS_LIMIT)}`,
      [participantId],
    );
    return rows.map((row) => ({
      lotId: row.lot_id,
      gtin: row.gtin,
      lotNumber: row.lot_number,
      unit: row.unit,
      held: row.held,
      inTransit: row.in_transit,
      shipperId: row.shipper_id,
      kgPerUnit: row.unit === "EA" ? row.kg_per_unit : null,
    }));
  }

  async lots(ids: readonly string[]): Promise<LotRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(LotEntity)
      .createQueryBuilder("l")
      .where("l.id IN (:...ids)", { ids })
      .orderBy("l.id")
      .getMany();
    return rows.map(toLot);
  }

  /**
   * Every lot upstream of `lotId` (the lot itself, the lots consumed to make it, and so on), and the events
   * that made or handled any of them, in recording order: the lot's provenance graph. An event that only consumed
   * such a lot is downstream of it and stays out (even where an external lot was first seen as its input). Events
   * that were declared erroneous are listed too (a bundle shows them with their declarations), but the graph does
   * not follow what they consumed.
   */
  async upstream(lotId: string): Promise<{ lots: string[]; events: string[] }> {
    const lots = await this.dataSource.query<Array<{ lot_id: string }>>(
      `WITH RECURSIVE ${UPSTREAM_LOTS} SELECT lot_id FROM upstream`,
      [lotId],
    );
    const ids = lots.map((row) => row.lot_id);
    const events = await this.dataSource.query<Array<{ event_hash: string }>>(
      `SELECT DISTINCT m.event_hash, e.seq FROM "lot_movement" m JOIN "epcis_event" e USING ("event_hash")
       WHERE m.lot_id = ANY($1) AND m.direction IN ('produced', 'observed')
       ORDER BY e.seq`,
      [ids],
    );
    return { lots: ids, events: events.map((row) => row.event_hash) };
  }

  /**
   * What a footprint of `lotId` is computed from: its provenance graph's events (with their bodies, the role
   * they were accepted under, the participant's country and whether they are anchored), every lot movement of
   * those events (including co-products and other lots they handled, needed to allocate), and those lots.
   * `upstreamLots` (from `upstream(lotId)`, read a moment earlier for the same request) saves walking the graph again.
   */
  async footprintInputs(lotId: string, upstreamLots?: readonly string[]): Promise<FootprintInputs> {
    const [walk, parameter] =
      upstreamLots === undefined
        ? [`RECURSIVE ${UPSTREAM_LOTS}`, lotId]
        : ["upstream(lot_id) AS (SELECT unnest($1::text[]))", upstreamLots];
    return this.inputsOf(walk, parameter, [lotId]);
  }

  /** The provenance graphs of several lots at once, as one set of inputs (e.g. every lot of a product model). */
  async footprintInputsOfLots(lotIds: readonly string[]): Promise<FootprintInputs> {
    const walk = `RECURSIVE ${upstreamOf("SELECT unnest($1::text[])")}`;
    return this.inputsOf(walk, [...lotIds], lotIds);
  }

  private async inputsOf(walk: string, parameter: unknown, targets: readonly string[]): Promise<FootprintInputs> {
    const events = await this.dataSource.query<
      Array<{
        event_hash: string;
        event_time: Date;
        biz_step: string | null;
        role: string;
        body: Record<string, unknown>;
        context: unknown;
        country: string | null;
        participant_id: string;
        anchor_status: string | null;
      }>
    >(
      // The provenance graph of upstream(), in one statement: lots upstream, then the events that made or handled them.
      `WITH ${walk}, graph AS (
         SELECT DISTINCT m.event_hash FROM "lot_movement" m JOIN upstream u ON u.lot_id = m.lot_id
         WHERE m.direction IN ('produced', 'observed') AND NOT m.reversed
       )
       SELECT e.event_hash, e.event_time, e.biz_step, e.role, e.body, e.context, p.country, e.participant_id,
         b.status AS anchor_status
       FROM graph g
       JOIN "epcis_event" e ON e.event_hash = g.event_hash
       JOIN "participant" p ON p.id = e.participant_id
       LEFT JOIN "batch_leaf" l ON l.event_hash = e.event_hash
       LEFT JOIN "anchor_batch" b ON b.id = l.batch_id
       WHERE e.error_declaration IS NULL
       ORDER BY e.event_time, e.event_hash`,
      [parameter],
    );
    const movements = await this.dataSource.query<
      Array<{ event_hash: string; lot_id: string; direction: string; quantity: string; mass_kg: string | null }>
    >(
      `SELECT event_hash, lot_id, direction, quantity, mass_kg FROM "lot_movement"
       WHERE event_hash = ANY($1) ORDER BY event_hash, lot_id, direction`,
      [events.map((event) => event.event_hash)],
    );
    const lotIds = [...new Set([...targets, ...movements.map((movement) => movement.lot_id)])];
    return {
      lots: await this.lots(lotIds),
      events: events.map((row) => ({
        eventHash: row.event_hash,
        eventTime: row.event_time,
        bizStep: row.biz_step,
        role: row.role,
        body: row.body,
        context: row.context,
        country: row.country,
        participantId: row.participant_id,
        anchored: row.anchor_status === "anchored" || row.anchor_status === "final",
      })),
      movements: movements.map((row) => ({
        eventHash: row.event_hash,
        lotId: row.lot_id,
        direction: row.direction,
        quantity: row.quantity,
        massKg: row.mass_kg,
      })),
    };
  }

  /** Participants whose events produced the lot, and the mass per unit those events stated (when they did). */
  async producersOf(lotId: string): Promise<{ participantIds: string[]; massPerUnitKg: number | undefined }> {
    const rows = await this.dataSource.query<
      Array<{ participant_id: string; quantity: string; mass_kg: string | null }>
    >(
      `SELECT e.participant_id, m.quantity::text AS quantity, m.mass_kg::text AS mass_kg
       FROM "lot_movement" m JOIN "epcis_event" e USING ("event_hash")
       WHERE m.lot_id = $1 AND m.direction = 'produced' AND NOT m.reversed ORDER BY e.event_time`,
      [lotId],
    );
    const weighed = rows.filter((row) => row.mass_kg !== null && Number(row.quantity) > 0);
    const quantity = weighed.reduce((sum, row) => sum + Number(row.quantity), 0);
    const mass = weighed.reduce((sum, row) => sum + Number(row.mass_kg), 0);
    return {
      participantIds: [...new Set(rows.map((row) => row.participant_id))],
      massPerUnitKg: quantity > 0 ? mass / quantity : undefined,
    };
  }

  async evidenceOf(eventHashes: readonly string[]): Promise<EvidenceLinkRecord[]> {
    if (eventHashes.length === 0) return [];
    const rows = await this.dataSource.query<
      Array<{
        event_hash: string;
        cid: string;
        kind: string | null;
        media_type: string;
        byte_size: string;
        sha256: string;
      }>
    >(
      `SELECT l.event_hash, l.cid, l.kind, f.media_type, f.byte_size, f.sha256
       FROM "event_evidence" l JOIN "evidence_file" f USING ("cid") WHERE l.event_hash = ANY($1) ORDER BY l.cid, l.event_hash`,
      [eventHashes],
    );
    return rows.map((row) => ({
      eventHash: row.event_hash,
      cid: row.cid,
      kind: row.kind,
      mediaType: row.media_type,
      byteSize: Number(row.byte_size),
      sha256: row.sha256,
    }));
  }

  async attestations(lotId: string): Promise<AttestationRecord[]> {
    const rows = await this.dataSource
      .getRepository(AttestationEntity)
      .find({ where: { lotId }, order: { createdAt: "ASC" } });
    return rows.map(toAttestation);
  }

  /** Stores a new attestation (pending until recorded on the ledger); false if the same one exists. */
  async addAttestation(
    record: Omit<
      AttestationRecord,
      "id" | "status" | "txHash" | "blockNumber" | "recordedAt" | "lastError" | "createdAt"
    >,
  ): Promise<AttestationRecord | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<Array<{ id: string }>>(
        `INSERT INTO "attestation" ("lot_id", "subject", "statement_hash", "statement", "verdict", "report_cid", "participant_id",
         "certifier", "signature", "nonce", "deadline", "status")
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, 'pending')
       ON CONFLICT ON CONSTRAINT "UQ_attestation_statement" DO NOTHING RETURNING "id"`,
        [
          record.lotId,
          record.subject,
          record.statementHash,
          JSON.stringify(record.statement),
          record.verdict,
          record.reportCid,
          record.participantId,
          record.certifier,
          record.signature,
          record.nonce,
          record.deadline,
        ],
      );
      if (row === undefined) return undefined;
      await enqueueChainJob(manager, "attestation", row.id);
      const saved = await manager.getRepository(AttestationEntity).findOneBy({ id: row.id });
      return saved === null ? undefined : toAttestation(saved);
    });
  }

  async attestation(id: string): Promise<AttestationRecord | undefined> {
    const row = await this.dataSource.getRepository(AttestationEntity).findOneBy({ id });
    return row === null ? undefined : toAttestation(row);
  }

  async markAttestation(
    id: string,
    update: { status: "recorded" | "failed" | "pending"; txHash?: string; blockNumber?: number; error?: string },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE "attestation" SET "status" = $2, "tx_hash" = COALESCE($3, "tx_hash"), "block_number" = COALESCE($4, "block_number"),
         "recorded_at" = CASE WHEN $2 = 'recorded' THEN now() ELSE "recorded_at" END, "last_error" = $5 WHERE "id" = $1`,
      [id, update.status, update.txHash ?? null, update.blockNumber ?? null, update.error ?? null],
    );
  }
}

function toLot(row: LotEntity): LotRecord {
  return {
    id: row.id,
    gtin: row.gtin,
    lotNumber: row.lotNumber,
    unit: row.unit,
    produced: row.produced,
    consumed: row.consumed,
    external: row.external,
  };
}

function toAttestation(row: AttestationEntity): AttestationRecord {
  return {
    id: row.id,
    lotId: row.lotId,
    subject: row.subject,
    statementHash: row.statementHash,
    statement: row.statement,
    verdict: row.verdict,
    reportCid: row.reportCid,
    participantId: row.participantId,
    certifier: row.certifier,
    signature: row.signature,
    nonce: row.nonce,
    deadline: Number(row.deadline),
    status: row.status,
    txHash: row.txHash,
    blockNumber: row.blockNumber === null ? null : Number(row.blockNumber),
    recordedAt: row.recordedAt,
    lastError: row.lastError,
    createdAt: row.createdAt,
  };
}
