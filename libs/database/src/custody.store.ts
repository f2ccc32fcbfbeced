import type { EntityManager } from "typeorm";
import { DomainError } from "#common";
import { decimal, negate, toText, type CustodyDelta, type PreparedEvent } from "#capture";
import { pgCode, rows } from "./sql.js";

const CHECK_VIOLATION = "23514";

/** Who owns the places and destinations a capture names: participant ids by GLN, and their names. */
export interface Parties {
  readonly byGln: ReadonlyMap<string, string>;
  readonly names: Map<string, string>;
}

/** Loads the participants behind every GLN the events name (their own GLN or a registered site). */
export async function partiesOf(manager: EntityManager, events: readonly PreparedEvent[]): Promise<Parties> {
  const glns = [...new Set(events.flatMap((event) => [...event.locationGlns, ...event.destinationGlns]))];
  const found =
    glns.length === 0
      ? []
      : await manager.query<Array<{ id: string; organisation: string; gln: string }>>(
          `SELECT p."id", p."organisation", g."gln" FROM "participant" p
           CROSS JOIN LATERAL unnest(CASE WHEN p."identifier_scheme" = 'gln' THEN p."locations" || p."identifier" ELSE p."locations" END) AS g("gln")
           WHERE g."gln" = ANY($1::text[])`,
          [glns],
        );
  return {
    byGln: new Map(found.map((row) => [row.gln, row.id])),
    names: new Map(found.map((row) => [row.id, row.organisation])),
  };
}

/** A place the event names that belongs to another participant: the event is not this participant's to record. */
export function checkLocations(event: PreparedEvent, participantId: string, parties: Parties): void {
  for (const gln of event.locationGlns) {
    const owner = parties.byGln.get(gln);
    if (owner !== undefined && owner !== participantId) {
      throw new DomainError(
        "CAPTURE.LOCATION_NOT_OWN",
        "forbidden",
        `Event ${event.index} happened at GLN ${gln}, a site of ${parties.names.get(owner) ?? owner}: a participant ` +
          "may only record events at its own sites",
        { eventIndex: event.index, gln, owner: parties.names.get(owner) ?? owner },
      );
    }
  }
}

/** Undoes a retracted event's holding changes; refused when a later event already relied on them. */
export async function reverseCustody(manager: EntityManager, eventHash: string, eventIndex: number): Promise<void> {
  const recorded = await rows<{ lot_id: string; participant_id: string; held: string; in_transit: string }>(
    manager,
    `SELECT "lot_id", "participant_id", "held"::text AS held, "in_transit"::text AS in_transit FROM "custody_movement"
     WHERE "event_hash" = $1 AND NOT "reversed" ORDER BY "lot_id", "participant_id" FOR UPDATE`,
    [eventHash],
  );
  await manager.query(`SELECT 1 FROM "lot" WHERE "id" = ANY($1::text[]) ORDER BY "id" FOR UPDATE`, [
    [...new Set(recorded.map((row) => row.lot_id))],
  ]);
  const deltas = recorded.map((row) => ({
    lotId: row.lot_id,
    party: row.participant_id,
    held: negate(decimal(row.held)),
    inTransit: negate(decimal(row.in_transit)),
  }));
  try {
    await saveHoldingDeltas(manager, deltas);
  } catch (error) {
    if (pgCode(error) !== CHECK_VIOLATION) throw error;
    throw new DomainError(
      "LOT.CANNOT_RETRACT",
      "conflict",
      `Event ${eventIndex} declares an earlier event erroneous, but what it shipped or handed over was already ` +
        "received or used by its recipient",
      { eventIndex, eventHash },
    );
  }
  await manager.query(`UPDATE "custody_movement" SET "reversed" = true WHERE "event_hash" = $1`, [eventHash]);
}

/** How a holding is named in `saveHoldingDeltas`'s `stored` set: its lot and its participant. */
export function holdingKey(lotId: string, participantId: string): string {
  return `${lotId} ${participantId}`;
}

/**
 * Adds the deltas to the holdings (the CHECK constraint keeps them non-negative). The lots are locked or were just
 * inserted by this capture, so no one else inserts or removes their holdings meanwhile. With `stored` (the
 * holdings, by `holdingKey`, read after locking their lots), the deltas of stored holdings update their rows and the
 * rest are inserted, without looking for them in the table: that look-up was a hash join over every holding until
 * the table grew large enough for its index to be cheaper. Without it, each delta is looked up.
 */
export async function saveHoldingDeltas(
  manager: EntityManager,
  deltas: readonly CustodyDelta[],
  stored?: ReadonlySet<string>,
): Promise<void> {
  if (deltas.length === 0) return;
  if (stored === undefined) {
    await upsertHoldings(manager, deltas);
    return;
  }
  const isStored = (delta: CustodyDelta): boolean => stored.has(holdingKey(delta.lotId, delta.party));
  const updates = deltas.filter(isStored);
  const inserts = deltas.filter((delta) => !isStored(delta));
  if (updates.length > 0) await updateHoldings(manager, updates);
  if (inserts.length > 0) await insertHoldings(manager, inserts);
}

const DELTA_RECORDS = `jsonb_to_recordset($1::jsonb) AS d(lot_id text, participant_id uuid, held numeric, in_transit numeric)`;

function deltaRecords(deltas: readonly CustodyDelta[]): string {
  return JSON.stringify(
    deltas.map((d) => ({
      lot_id: d.lotId,
      participant_id: d.party,
      held: toText(d.held),
      in_transit: toText(d.inTransit),
    })),
  );
}

/**
 * The deltas' lots, for a condition the holdings' primary key answers: the planner cannot see how few rows a JSON
 * record set holds (it assumes 100), and without it joined them to a scan of every holding while that was cheaper
 * on paper than 100 index look-ups.
 */
function lotsOf(deltas: readonly CustodyDelta[]): string[] {
  return [...new Set(deltas.map((d) => d.lotId))];
}

async function updateHoldings(manager: EntityManager, deltas: readonly CustodyDelta[]): Promise<void> {
  await manager.query(
    `UPDATE "lot_holding" h SET "held" = h."held" + d.held, "in_transit" = h."in_transit" + d.in_transit
     FROM ${DELTA_RECORDS}
     WHERE h."lot_id" = ANY($2::text[]) AND h."lot_id" = d.lot_id AND h."participant_id" = d.participant_id`,
    [deltaRecords(deltas), lotsOf(deltas)],
  );
}

async function insertHoldings(manager: EntityManager, deltas: readonly CustodyDelta[]): Promise<void> {
  await manager.query(
    `INSERT INTO "lot_holding" ("lot_id", "participant_id", "held", "in_transit")
     SELECT d.lot_id, d.participant_id, d.held, d.in_transit FROM ${DELTA_RECORDS}`,
    [deltaRecords(deltas)],
  );
}

/**
 * Update, then insert what is new: PostgreSQL checks an INSERT's proposed row before ON CONFLICT, so a negative
 * change could not go through an upsert.
 */
async function upsertHoldings(manager: EntityManager, deltas: readonly CustodyDelta[]): Promise<void> {
  await manager.query(
    `WITH d AS (
       SELECT d.lot_id, d.participant_id, d.held, d.in_transit FROM ${DELTA_RECORDS}
     ), updated AS (
       UPDATE "lot_holding" h SET "held" = h."held" + d.held, "in_transit" = h."in_transit" + d.in_transit
       FROM d WHERE h."lot_id" = ANY($2::text[]) AND h."lot_id" = d.lot_id AND h."participant_id" = d.participant_id
       RETURNING h."lot_id", h."participant_id"
     )
     INSERT INTO "lot_holding" ("lot_id", "participant_id", "held", "in_transit")
     SELECT d.lot_id, d.participant_id, d.held, d.in_transit FROM d
     WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE u."lot_id" = d.lot_id AND u."participant_id" = d.participant_id)`,
    [deltaRecords(deltas), lotsOf(deltas)],
  );
}
