import type { EntityManager } from "typeorm";
import { DomainError } from "#common";
import {
  add,
  decimal,
  mergedMovements,
  receiverOf,
  stepCustody,
  stepLotBalance,
  toText,
  unknownLot,
  ZERO,
  type Decimal,
  type Holding,
  type LotBalance,
  type LotCustody,
  type LotIdentifier,
  type PreparedEvent,
  type RecordedMovement,
} from "#capture";
import { checkLocations, holdingKey, saveHoldingDeltas, type Parties } from "./custody.store.js";
import { constraintOf, pgCode, rows } from "./sql.js";
import type { CaptureInput, EventOutcome, EventToStore } from "./capture.types.js";

const UNIQUE_VIOLATION = "23505";
const LOT_PRIMARY_KEY = "PK_lot";

/**
 * A lot this capture found without a row was inserted by a concurrent capture before this one could insert it: the
 * capture's transaction is void and runs again, this time reading (and locking) that lot's row.
 */
export class LotInsertedConcurrently extends Error {
  constructor() {
    super("a lot named by this capture was inserted by a concurrent capture");
    this.name = "LotInsertedConcurrently";
  }
}

/**
 * Stores a run of ordinary events of one capture with a fixed number of statements, however many events it has:
 * the events are inserted as one set, the lots they name are locked and read once, the mass-balance and custody
 * rules are applied in memory in document order (the same pure rules, so the same errors, naming the event), and
 * the resulting lot balances, movements, holdings, references, evidence links and outbox rows are written as sets.
 * Runs inside the capture's transaction: any refusal rolls everything back.
 */
export async function storeEventBatch(
  manager: EntityManager,
  input: CaptureInput,
  captureId: string,
  events: readonly EventToStore[],
  parties: Parties,
): Promise<EventOutcome[]> {
  const unique = firstOfEachHash(events);
  await refuseTakenEventIds(manager, unique);
  const created = await insertEvents(manager, input, captureId, unique);
  await refuseOtherSigners(
    manager,
    unique.filter((event) => !created.has(event.prepared.eventHash)),
  );
  const fresh = unique.filter((event) => created.has(event.prepared.eventHash)).map((event) => event.prepared);
  if (fresh.length > 0) await applyToLots(manager, input.participantId, fresh, parties);
  await insertDetails(manager, fresh);
  return events.map((event) =>
    unique.includes(event) && created.has(event.prepared.eventHash) ? "created" : "exists",
  );
}

/** The same event twice in one document is stored once: the later copies are `exists`, like a resend. */
function firstOfEachHash(events: readonly EventToStore[]): EventToStore[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    if (seen.has(event.prepared.eventHash)) return false;
    seen.add(event.prepared.eventHash);
    return true;
  });
}

/** An eventID is one event's: another event (hash) under an id already stored, or twice in the document, is refused. */
async function refuseTakenEventIds(manager: EntityManager, events: readonly EventToStore[]): Promise<void> {
  const stored = await manager.query<Array<{ event_id: string; event_hash: string }>>(
    `SELECT "event_id", "event_hash" FROM "epcis_event" WHERE "event_id" = ANY($1::text[])`,
    [events.map((event) => event.prepared.eventId)],
  );
  const owner = new Map(stored.map((row) => [row.event_id, row.event_hash]));
  for (const { prepared } of events) {
    const hash = owner.get(prepared.eventId);
    if (hash !== undefined && hash !== prepared.eventHash) throw eventIdConflict(prepared);
    owner.set(prepared.eventId, prepared.eventHash);
  }
}

function eventIdConflict(prepared: PreparedEvent): DomainError {
  return new DomainError(
    "CAPTURE.EVENT_ID_CONFLICT",
    "conflict",
    `Event ${prepared.index}: eventID ${prepared.eventId} already belongs to a different event`,
    { eventIndex: prepared.index, eventId: prepared.eventId },
  );
}

/** Inserts the events in document order (their `seq`); returns the hashes that were new. */
async function insertEvents(
  manager: EntityManager,
  input: CaptureInput,
  captureId: string,
  events: readonly EventToStore[],
): Promise<Set<string>> {
  const records = events.map(({ prepared, signer, signature, custodial }, n) => ({
    n,
    event_hash: prepared.eventHash,
    event_id: prepared.eventId,
    event_type: prepared.summary.eventType,
    action: prepared.summary.action,
    biz_step: prepared.summary.bizStep,
    disposition: prepared.summary.disposition,
    read_point: prepared.summary.readPoint,
    biz_location: prepared.summary.bizLocation,
    event_time: prepared.summary.eventTime,
    event_time_zone_offset: prepared.summary.eventTimeZoneOffset,
    body: prepared.body,
    role: prepared.role,
    signer,
    signature,
    custodial,
  }));
  try {
    const inserted = await rows<{ event_hash: string }>(
      manager,
      `INSERT INTO "epcis_event" ("event_hash", "event_id", "event_type", "action", "biz_step", "disposition",
         "read_point", "biz_location", "event_time", "event_time_zone_offset", "record_time", "body", "context",
         "participant_id", "role", "signer", "signature", "custodial", "capture_id")
       SELECT e.event_hash, e.event_id, e.event_type, e.action, e.biz_step, e.disposition, e.read_point, e.biz_location,
         e.event_time, e.event_time_zone_offset, $2, e.body, $3::jsonb, $4, e.role, e.signer, e.signature, e.custodial, $5
       FROM jsonb_to_recordset($1::jsonb) AS e(n int, event_hash text, event_id text, event_type text,
         action text, biz_step text, disposition text, read_point text, biz_location text, event_time timestamptz,
         event_time_zone_offset text, body jsonb, role text, signer text, signature text, custodial boolean)
       ORDER BY e.n
       ON CONFLICT ("event_hash") DO NOTHING RETURNING "event_hash"`,
      [
        JSON.stringify(records),
        input.recordTime,
        JSON.stringify(input.context ?? null),
        input.participantId,
        captureId,
      ],
    );
    return new Set(inserted.map((row) => row.event_hash));
  } catch (error) {
    // A concurrent capture took one of the eventIDs between the check above and this insert.
    if (pgCode(error) === UNIQUE_VIOLATION) throw eventIdConflict(takenIn(error, events));
    throw error;
  }
}

/** The event whose eventID PostgreSQL names in a unique violation (`Key (event_id)=(…) already exists.`). */
function takenIn(error: unknown, events: readonly EventToStore[]): PreparedEvent {
  const detail = (error as { driverError?: { detail?: unknown } }).driverError?.detail;
  const id = typeof detail === "string" ? /\(event_id\)=\((.*)\) already exists/.exec(detail)?.[1] : undefined;
  const first = events[0]?.prepared;
  if (first === undefined) throw new Error("a unique violation inserting no events");
  return events.find((event) => event.prepared.eventId === id)?.prepared ?? first;
}

/**
 * The event hash leaves the signature out, so the same event signed by another key is another participant's
 * claim on it: refused, naming who recorded it (never reported as `exists`).
 */
async function refuseOtherSigners(manager: EntityManager, events: readonly EventToStore[]): Promise<void> {
  if (events.length === 0) return;
  const stored = await manager.query<Array<{ event_hash: string; signer: string; organisation: string }>>(
    `SELECT e."event_hash", e."signer", p."organisation" FROM "epcis_event" e
     JOIN "participant" p ON p."id" = e."participant_id" WHERE e."event_hash" = ANY($1::text[])`,
    [events.map((event) => event.prepared.eventHash)],
  );
  const byHash = new Map(stored.map((row) => [row.event_hash, row]));
  for (const { prepared, signer } of events) {
    const other = byHash.get(prepared.eventHash);
    if (other === undefined || other.signer === signer) continue;
    throw new DomainError(
      "CAPTURE.EVENT_RECORDED_BY_OTHER",
      "conflict",
      `Event ${prepared.index} was already recorded by ${other.organisation} (${other.signer}); the same event ` +
        "cannot be recorded by another participant",
      {
        eventIndex: prepared.index,
        eventHash: prepared.eventHash,
        recordedBy: other.organisation,
        signer: other.signer,
      },
    );
  }
}

/** A row of "lot" as capture reads and writes it (numbers as text, exactly). */
interface LotRow {
  id: string;
  gtin: string;
  lot_number: string;
  unit: string;
  produced: string;
  consumed: string;
  external: boolean;
  originator_id: string | null;
}

/** The lots a run of events names, their balances and holdings, as read (and locked) before it applies. */
interface LotsInMemory {
  readonly balances: Map<string, LotBalance>;
  readonly holdings: Map<string, Map<string, Holding>>;
  /** The holdings that had a row when the lots were locked (`holdingKey`): the others are inserted at the end. */
  readonly stored: ReadonlySet<string>;
  /** Lots whose balance or originator this run changed. */
  readonly touched: Set<string>;
  /** Lots with no row yet: inserted at the end if the run gave them a balance. */
  readonly unstored: Set<string>;
}

/**
 * Mass balance and custody for new events, in document order. The lots are locked in id order (so concurrent
 * captures take turns on a lot), the rules run in memory, and the outcome is written back as sets.
 */
async function applyToLots(
  manager: EntityManager,
  participantId: string,
  events: readonly PreparedEvent[],
  parties: Parties,
): Promise<void> {
  const lots = await lockLots(manager, participantId, events, parties);
  const movements: Array<RecordedMovement & { eventHash: string }> = [];
  const custody = new Map<
    string,
    { eventHash: string; lotId: string; party: string; held: Decimal; inTransit: Decimal }
  >();
  for (const event of events) {
    checkLocations(event, participantId, parties);
    for (const movement of mergedMovements(event)) {
      const current = lots.balances.get(movement.lot.id);
      if (current === undefined) throw new Error(`lot ${movement.lot.id} was not locked`);
      const { balance, recorded } = stepLotBalance(current, movement, event.index);
      lots.balances.set(movement.lot.id, balance);
      lots.touched.add(movement.lot.id);
      movements.push(...recorded.map((row) => ({ ...row, eventHash: event.eventHash })));
    }
    for (const delta of applyCustodyInMemory(lots, event, participantId, parties)) {
      const key = `${event.eventHash} ${delta.lotId} ${delta.party}`;
      const previous = custody.get(key);
      custody.set(key, {
        eventHash: event.eventHash,
        lotId: delta.lotId,
        party: delta.party,
        held: add(previous?.held ?? ZERO, delta.held),
        inTransit: add(previous?.inTransit ?? ZERO, delta.inTransit),
      });
    }
  }
  await writeLots(manager, lots);
  await insertMovements(manager, movements);
  await saveHoldingDeltas(manager, netDeltas([...custody.values()]), lots.stored);
  await insertCustodyMovements(manager, [...custody.values()]);
}

/**
 * Locks every lot the events name that has a row, in id order (one lock order for everyone, so concurrent captures
 * take turns on a lot), and reads their balances and holdings. A lot without a row starts blank in memory and gets
 * its row only once, with its balance, at the end (`writeLots`). Should a concurrent capture insert the same lot
 * first, this insert fails with `LotInsertedConcurrently` (or, if the two also wait on each other's existing lots,
 * PostgreSQL breaks the deadlock) and the capture runs again, now finding that lot's row.
 */
async function lockLots(
  manager: EntityManager,
  participantId: string,
  events: readonly PreparedEvent[],
  parties: Parties,
): Promise<LotsInMemory> {
  const named = new Map<string, LotIdentifier>();
  for (const event of events) {
    for (const { lot } of [...event.movements, ...event.custody]) named.set(lot.id, lot);
  }
  const ids = [...named.keys()].sort();
  const locked = await rows<LotRow>(
    manager,
    `SELECT "id", "gtin", "lot_number", "unit", "produced"::text AS produced, "consumed"::text AS consumed,
       "external", "originator_id"
     FROM "lot" WHERE "id" = ANY($1::text[]) ORDER BY "id" FOR UPDATE`,
    [ids],
  );
  const balances = new Map<string, LotBalance>(
    locked.map((row) => [
      row.id,
      {
        lot: { id: row.id, gtin: row.gtin, lotNumber: row.lot_number },
        unit: row.unit === "" ? undefined : row.unit,
        produced: decimal(row.produced),
        consumed: decimal(row.consumed),
        external: row.external,
        originator: row.originator_id ?? undefined,
      },
    ]),
  );
  const unstored = new Set(ids.filter((id) => !balances.has(id)));
  for (const id of unstored) {
    const lot = named.get(id);
    if (lot !== undefined) balances.set(id, unknownLot(lot));
  }
  const holdings = new Map<string, Map<string, Holding>>(ids.map((id) => [id, new Map()]));
  const held = await manager.query<Array<{ lot_id: string; participant_id: string; held: string; in_transit: string }>>(
    `SELECT "lot_id", "participant_id", "held"::text AS held, "in_transit"::text AS in_transit FROM "lot_holding"
     WHERE "lot_id" = ANY($1::text[])`,
    [locked.map((row) => row.id)],
  );
  for (const row of held) {
    holdings.get(row.lot_id)?.set(row.participant_id, { held: decimal(row.held), inTransit: decimal(row.in_transit) });
  }
  const stored = new Set(held.map((row) => holdingKey(row.lot_id, row.participant_id)));
  await nameParties(manager, [participantId, ...[...balances.values()].flatMap((b) => b.originator ?? [])], parties);
  return { balances, holdings, stored, touched: new Set(), unstored };
}

/** Error messages name participants (a lot's originator, the author) by organisation. */
async function nameParties(manager: EntityManager, ids: readonly string[], parties: Parties): Promise<void> {
  const unnamed = [...new Set(ids.filter((id) => !parties.names.has(id)))];
  if (unnamed.length === 0) return;
  const found = await manager.query<Array<{ id: string; organisation: string }>>(
    `SELECT "id", "organisation" FROM "participant" WHERE "id" = ANY($1::uuid[])`,
    [unnamed],
  );
  for (const row of found) parties.names.set(row.id, row.organisation);
}

/**
 * An event's custody actions on the lots it names, refusing what the participant may not do. Lots named without
 * a quantity that this service never tracked (no balance) are not custody's business.
 */
function applyCustodyInMemory(
  lots: LotsInMemory,
  event: PreparedEvent,
  participantId: string,
  parties: Parties,
): Array<{ lotId: string; party: string; held: Decimal; inTransit: Decimal }> {
  const receiver = receiverOf(event.body, (gln) => parties.byGln.get(gln));
  const deltas: Array<{ lotId: string; party: string; held: Decimal; inTransit: Decimal }> = [];
  for (const action of event.custody) {
    const balance = lots.balances.get(action.lot.id);
    if (balance?.unit === undefined) continue;
    if (event.externalLots.includes(action.lot.id) && !balance.external) {
      throw new DomainError(
        "CAPTURE.EXTERNAL_LOT_KNOWN",
        "conflict",
        `Event ${event.index} declares lot ${action.lot.id} external (without provenance here), but it was made ` +
          `here${balance.originator === undefined ? "" : ` by ${parties.names.get(balance.originator) ?? balance.originator}`}`,
        { eventIndex: event.index, lot: action.lot.id },
      );
    }
    const state: LotCustody = {
      lotId: action.lot.id,
      unit: balance.unit,
      originator: balance.originator,
      holdings: lots.holdings.get(action.lot.id) ?? new Map(),
    };
    const { state: next, deltas: changes } = stepCustody(state, action, {
      actor: participantId,
      receiver,
      eventIndex: event.index,
      describe: (party) => parties.names.get(party) ?? party,
    });
    lots.holdings.set(action.lot.id, new Map(next.holdings));
    if (next.originator !== balance.originator) {
      lots.balances.set(action.lot.id, { ...balance, originator: next.originator });
      lots.touched.add(action.lot.id);
    }
    deltas.push(...changes.map((d) => ({ lotId: d.lotId, party: d.party, held: d.held, inTransit: d.inTransit })));
  }
  return deltas;
}

/**
 * The balances as the run left them: rows updated for lots that had one, inserted for lots that got their first
 * balance (lots named without ever getting one leave no row).
 */
async function writeLots(manager: EntityManager, lots: LotsInMemory): Promise<void> {
  const changed = [...lots.touched].sort().flatMap((id) => {
    const balance = lots.balances.get(id);
    return balance?.unit === undefined
      ? []
      : [
          {
            id,
            gtin: balance.lot.gtin,
            lot_number: balance.lot.lotNumber,
            unit: balance.unit,
            produced: toText(balance.produced),
            consumed: toText(balance.consumed),
            external: balance.external,
            originator_id: balance.originator ?? null,
          },
        ];
  });
  const updated = changed.filter((lot) => !lots.unstored.has(lot.id));
  const inserted = changed.filter((lot) => lots.unstored.has(lot.id));
  if (updated.length > 0) {
    await manager.query(
      `UPDATE "lot" SET "unit" = c.unit, "produced" = c.produced, "consumed" = c.consumed, "external" = c.external,
         "originator_id" = c.originator_id
       FROM jsonb_to_recordset($1::jsonb) AS c(id text, unit text, produced numeric, consumed numeric, external boolean,
         originator_id uuid)
       WHERE "lot"."id" = c.id`,
      [JSON.stringify(updated)],
    );
  }
  if (inserted.length > 0) await insertLots(manager, inserted);
}

/** New lots, in id order; a lot another capture inserted meanwhile makes this capture run again (see lockLots). */
async function insertLots(manager: EntityManager, lots: readonly LotRow[]): Promise<void> {
  try {
    await manager.query(
      `INSERT INTO "lot" ("id", "gtin", "lot_number", "unit", "produced", "consumed", "external", "originator_id")
       SELECT c.id, c.gtin, c.lot_number, c.unit, c.produced, c.consumed, c.external, c.originator_id
       FROM jsonb_to_recordset($1::jsonb) AS c(id text, gtin text, lot_number text, unit text, produced numeric,
         consumed numeric, external boolean, originator_id uuid)
       ORDER BY c.id`,
      [JSON.stringify(lots)],
    );
  } catch (error) {
    if (pgCode(error) === UNIQUE_VIOLATION && constraintOf(error) === LOT_PRIMARY_KEY) {
      throw new LotInsertedConcurrently();
    }
    throw error;
  }
}

async function insertMovements(
  manager: EntityManager,
  movements: ReadonlyArray<RecordedMovement & { eventHash: string }>,
): Promise<void> {
  if (movements.length === 0) return;
  await manager.query(
    `INSERT INTO "lot_movement" ("event_hash", "lot_id", "direction", "quantity", "unit", "mass_kg")
     SELECT m.event_hash, m.lot_id, m.direction, m.quantity, m.unit, m.mass_kg
     FROM jsonb_to_recordset($1::jsonb) AS m(event_hash text, lot_id text, direction text, quantity numeric, unit text,
       mass_kg numeric)`,
    [
      JSON.stringify(
        movements.map((m) => ({
          event_hash: m.eventHash,
          lot_id: m.lotId,
          direction: m.direction,
          quantity: toText(m.amount),
          unit: m.unit,
          mass_kg: m.massKg === undefined ? null : toText(m.massKg),
        })),
      ),
    ],
  );
}

/** What the run changed in each holding, summed over its events (zero changes left out). */
function netDeltas(
  changes: ReadonlyArray<{ lotId: string; party: string; held: Decimal; inTransit: Decimal }>,
): Array<{ lotId: string; party: string; held: Decimal; inTransit: Decimal }> {
  const net = new Map<string, { lotId: string; party: string; held: Decimal; inTransit: Decimal }>();
  for (const change of changes) {
    const key = `${change.lotId} ${change.party}`;
    const previous = net.get(key);
    net.set(key, {
      lotId: change.lotId,
      party: change.party,
      held: add(previous?.held ?? ZERO, change.held),
      inTransit: add(previous?.inTransit ?? ZERO, change.inTransit),
    });
  }
  return [...net.values()].filter((d) => d.held.digits !== 0n || d.inTransit.digits !== 0n);
}

/** Each event's holding changes, kept so that an error declaration can undo exactly them. */
async function insertCustodyMovements(
  manager: EntityManager,
  changes: ReadonlyArray<{ eventHash: string; lotId: string; party: string; held: Decimal; inTransit: Decimal }>,
): Promise<void> {
  const kept = changes.filter((d) => d.held.digits !== 0n || d.inTransit.digits !== 0n);
  if (kept.length === 0) return;
  await manager.query(
    `INSERT INTO "custody_movement" ("event_hash", "lot_id", "participant_id", "held", "in_transit")
     SELECT d.event_hash, d.lot_id, d.participant_id::uuid, d.held, d.in_transit
     FROM jsonb_to_recordset($1::jsonb) AS d(event_hash text, lot_id text, participant_id text, held numeric,
       in_transit numeric)`,
    [
      JSON.stringify(
        kept.map((d) => ({
          event_hash: d.eventHash,
          lot_id: d.lotId,
          participant_id: d.party,
          held: toText(d.held),
          in_transit: toText(d.inTransit),
        })),
      ),
    ],
  );
}

/**
 * Query references, evidence links (evidence added to IPFS by other means is registered, type unknown), outbox: of
 * events this transaction has just inserted.
 */
async function insertDetails(manager: EntityManager, events: readonly PreparedEvent[]): Promise<void> {
  if (events.length === 0) return;
  const references = events.flatMap((event) =>
    event.references.map((r) => ({
      event_hash: event.eventHash,
      field: r.field,
      position: r.position,
      uri: r.uri,
      is_class: r.isClass,
      quantity: r.quantity,
      uom: r.uom,
    })),
  );
  if (references.length > 0) {
    await manager.query(
      `INSERT INTO "event_reference" ("event_hash", "field", "position", "uri", "is_class", "quantity", "uom")
       SELECT r.event_hash, r.field, r.position, r.uri, r.is_class, r.quantity, r.uom
       FROM jsonb_to_recordset($1::jsonb) AS r(event_hash text, field text, position int, uri text, is_class boolean,
         quantity numeric, uom text)`,
      [JSON.stringify(references)],
    );
  }
  const links = events.flatMap((event) => {
    const kinds = new Map(event.extension.evidence.map((link) => [link.cid, link.kind ?? null]));
    return event.evidenceCids.map((cid) => ({ event_hash: event.eventHash, cid, kind: kinds.get(cid) ?? null }));
  });
  if (links.length > 0) {
    await manager.query(
      `INSERT INTO "evidence_file" ("cid", "media_type", "byte_size", "sha256")
       SELECT DISTINCT l.cid, 'application/octet-stream', 0, '' FROM jsonb_to_recordset($1::jsonb) AS l(cid text)
       ORDER BY l.cid ON CONFLICT ("cid") DO NOTHING`,
      [JSON.stringify(links)],
    );
    await manager.query(
      `INSERT INTO "event_evidence" ("event_hash", "cid", "kind")
       SELECT l.event_hash, l.cid, l.kind FROM jsonb_to_recordset($1::jsonb) AS l(event_hash text, cid text, kind text)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(links)],
    );
  }
  // The outbox row makes the anchoring worker pick the event up; same transaction as the event itself. A plain
  // insert: an event's outbox row is written only here, with the event, and these events were not stored until this
  // transaction inserted them, so none can be there already; ON CONFLICT would cost a speculative insertion and its
  // confirmation (a WAL record) per event.
  await manager.query(`INSERT INTO "anchor_outbox" ("event_hash") SELECT unnest($1::text[])`, [
    events.map((event) => event.eventHash),
  ]);
}
