import type { EntityManager } from "typeorm";
import { DomainError } from "#common";
import {
  decimal,
  negate,
  receiverOf,
  stepCustody,
  toText,
  type CustodyDelta,
  type Holding,
  type LotCustody,
  type PreparedEvent,
} from "#capture";
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

/**
 * Applies an event's custody actions to the lots it names (each lot row locked, so concurrent captures take
 * turns on a lot), refusing what the participant may not do, and records the holding changes for a reversal.
 * Lots named without a quantity that this service never tracked are not custody's business.
 */
export async function applyCustody(
  manager: EntityManager,
  event: PreparedEvent,
  participantId: string,
  parties: Parties,
): Promise<void> {
  const receiver = receiverOf(event.body, (gln) => parties.byGln.get(gln));
  for (const action of event.custody) {
    const state = await lockCustody(manager, action.lot.id, parties);
    if (state === undefined) continue;
    if (event.externalLots.includes(action.lot.id) && !(await isExternal(manager, action.lot.id))) {
      throw new DomainError(
        "CAPTURE.EXTERNAL_LOT_KNOWN",
        "conflict",
        `Event ${event.index} declares lot ${action.lot.id} external (without provenance here), but it was made ` +
          `here${state.originator === undefined ? "" : ` by ${parties.names.get(state.originator) ?? state.originator}`}`,
        { eventIndex: event.index, lot: action.lot.id },
      );
    }
    const { state: next, deltas } = stepCustody(state, action, {
      actor: participantId,
      receiver,
      eventIndex: event.index,
      describe: (party) => parties.names.get(party) ?? party,
    });
    if (next.originator !== state.originator) {
      await manager.query(`UPDATE "lot" SET "originator_id" = $2 WHERE "id" = $1`, [action.lot.id, next.originator]);
    }
    await saveDeltas(manager, event.eventHash, deltas, 1);
  }
}

/** Whether the lot entered here without provenance (first named by an event that did not make it). */
async function isExternal(manager: EntityManager, lotId: string): Promise<boolean> {
  const [lot] = await rows<{ external: boolean }>(manager, `SELECT "external" FROM "lot" WHERE "id" = $1`, [lotId]);
  return lot?.external ?? true;
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
    await saveDeltas(manager, eventHash, deltas, 0);
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

async function lockCustody(manager: EntityManager, lotId: string, parties: Parties): Promise<LotCustody | undefined> {
  const [lot] = await rows<{ unit: string; originator_id: string | null; organisation: string | null }>(
    manager,
    `SELECT l."unit", l."originator_id", p."organisation" FROM "lot" l LEFT JOIN "participant" p ON p."id" = l."originator_id"
     WHERE l."id" = $1 FOR UPDATE OF l`,
    [lotId],
  );
  if (lot === undefined) return undefined;
  if (lot.originator_id !== null && lot.organisation !== null) parties.names.set(lot.originator_id, lot.organisation);
  const holdings = await rows<{ participant_id: string; held: string; in_transit: string }>(
    manager,
    `SELECT "participant_id", "held"::text AS held, "in_transit"::text AS in_transit FROM "lot_holding" WHERE "lot_id" = $1`,
    [lotId],
  );
  return {
    lotId,
    unit: lot.unit,
    originator: lot.originator_id ?? undefined,
    holdings: new Map<string, Holding>(
      holdings.map((row) => [row.participant_id, { held: decimal(row.held), inTransit: decimal(row.in_transit) }]),
    ),
  };
}

/** Adds the deltas to the holdings (the CHECK constraint keeps them non-negative) and, when `record`, logs them. */
async function saveDeltas(
  manager: EntityManager,
  eventHash: string,
  deltas: readonly CustodyDelta[],
  record: 0 | 1,
): Promise<void> {
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
  // change could not go through an upsert. The lots are locked, so no one else inserts these rows meanwhile.
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
  if (record === 0) return;
  await manager.query(
    `INSERT INTO "custody_movement" ("event_hash", "lot_id", "participant_id", "held", "in_transit")
     SELECT $1, d.lot_id, d.participant_id::uuid, d.held, d.in_transit
     FROM jsonb_to_recordset($2::jsonb) AS d(lot_id text, participant_id text, held numeric, in_transit numeric)
     ON CONFLICT ("event_hash", "lot_id", "participant_id") DO UPDATE
       SET "held" = "custody_movement"."held" + EXCLUDED."held",
           "in_transit" = "custody_movement"."in_transit" + EXCLUDED."in_transit"`,
    [eventHash, values],
  );
}
