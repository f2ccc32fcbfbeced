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

/** Adds the deltas to the holdings (the CHECK constraint keeps them non-negative). */
export async function saveHoldingDeltas(manager: EntityManager, deltas: readonly CustodyDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const values = JSON.stringify(
    deltas.map((d) => ({
      lot_id: d.lotId,
      participant_id: d.party,
      held: toText(d.held),
      in_transit: toText(d.inTransit),
    })),
  );
  // Update, then insert what is new: PostgreSQL checks an INSERT's proposed row before ON CONFLICT, so a negative
  // change could not go through an upsert. The lots are locked or were just inserted by this capture, so no one
  // else inserts these rows meanwhile.
  await manager.query(
    `WITH d AS (
       SELECT d.lot_id, d.participant_id::uuid AS participant_id, d.held, d.in_transit
       FROM jsonb_to_recordset($1::jsonb) AS d(lot_id text, participant_id text, held numeric, in_transit numeric)
     ), updated AS (
       UPDATE "lot_holding" h SET "held" = h."held" + d.held, "in_transit" = h."in_transit" + d.in_transit
       FROM d WHERE h."lot_id" = d.lot_id AND h."participant_id" = d.participant_id
       RETURNING h."lot_id", h."participant_id"
     )
     INSERT INTO "lot_holding" ("lot_id", "participant_id", "held", "in_transit")
     SELECT d.lot_id, d.participant_id, d.held, d.in_transit FROM d
     WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE u."lot_id" = d.lot_id AND u."participant_id" = d.participant_id)`,
    [values],
  );
}
