import type { DataSource, EntityManager } from "typeorm";
import { DomainError } from "#common";
import { add, toText, type Decimal, type LotMovement, type PreparedEvent } from "#capture";
import { applyCustody, checkLocations, partiesOf, reverseCustody, type Parties } from "./custody.store.js";
import { pgCode, rows } from "./sql.js";
import { CaptureJobEntity } from "./entities/capture-job.entity.js";

export interface EventToStore {
  readonly prepared: PreparedEvent;
  readonly signer: string;
  readonly signature: string;
  readonly custodial: boolean;
  /** For an error declaration: the id it is stored and anchored under. */
  readonly declarationId: string | undefined;
}

export interface CaptureInput {
  readonly participantId: string;
  /** The EPCIS recordTime of every event this capture stores (millisecond precision, like the page cursors). */
  readonly recordTime: Date;
  readonly documentSha256: string;
  /** The document's @context, stored with each event (its extensions are namespaced by it). */
  readonly context: unknown;
  readonly events: readonly EventToStore[];
}

/**
 * created: stored now; exists: the same event (hash), signed by the same key, was captured before (or the same
 * declaration); retracted: an error declaration applied.
 */
export type EventOutcome = "created" | "exists" | "retracted";

export interface CaptureResult {
  readonly captureId: string;
  readonly createdAt: Date;
  readonly events: ReadonlyArray<{ eventHash: string; eventId: string; outcome: EventOutcome }>;
}

const UNIQUE_VIOLATION = "23505";

const CHECK_VIOLATION = "23514";

/**
 * Stores a whole capture in one transaction: events, their references and evidence links, and their effect on
 * lots. Mass balance is enforced by conditional updates (`consumed + q <= produced`) that PostgreSQL re-checks
 * after waiting for a concurrent writer, so two captures can never both take the same remaining quantity.
 * Authority (docs/authority.md): an event is its signer's; the lots it names must be in its custody and the
 * places it names must not be another participant's; only the signer of an event may declare it erroneous.
 */
export class CaptureRepository {
  constructor(private readonly dataSource: DataSource) {}

  async capture(input: CaptureInput): Promise<CaptureResult> {
    return this.dataSource.transaction(async (manager) => {
      const job = await manager.getRepository(CaptureJobEntity).save({
        participantId: input.participantId,
        eventCount: input.events.length,
        createdCount: 0,
        documentSha256: input.documentSha256,
        finishedAt: new Date(),
      });
      const outcomes: Array<{ eventHash: string; eventId: string; outcome: EventOutcome }> = [];
      const parties = await partiesOf(
        manager,
        input.events.map((event) => event.prepared),
      );
      for (const event of input.events) {
        const outcome =
          event.prepared.errorDeclaration === undefined
            ? await this.storeEvent(manager, input, job.id, event, parties)
            : await this.storeErrorDeclaration(manager, input, job.id, event);
        outcomes.push({ eventHash: event.prepared.eventHash, eventId: event.prepared.eventId, outcome });
      }
      const created = outcomes.filter((o) => o.outcome !== "exists").length;
      await manager
        .getRepository(CaptureJobEntity)
        .update({ id: job.id }, { createdCount: created, finishedAt: new Date() });
      return { captureId: job.id, createdAt: job.createdAt, events: outcomes };
    });
  }

  private async storeEvent(
    manager: EntityManager,
    input: CaptureInput,
    captureId: string,
    event: EventToStore,
    parties: Parties,
  ): Promise<EventOutcome> {
    const { prepared } = event;
    if (!(await this.insertEvent(manager, input, captureId, event))) {
      await refuseOtherSigner(manager, prepared, event.signer);
      return "exists";
    }
    checkLocations(prepared, input.participantId, parties);
    await this.insertDetails(manager, prepared);
    await enqueueForAnchoring(manager, prepared.eventHash);
    for (const movement of merged(prepared)) {
      await applyMovement(manager, prepared, movement);
    }
    await applyCustody(manager, prepared, input.participantId, parties);
    return "created";
  }

  /**
   * An event carrying an errorDeclaration has the same hash as the event it declares erroneous. Only the key that
   * signed that event may declare it erroneous; the declaration is kept as a signed record of its own (anchored
   * under its id), the event's effect on lots and custody is reversed (refused if what it produced or shipped was
   * already used), and the event is kept, marked retracted.
   */
  private async storeErrorDeclaration(
    manager: EntityManager,
    input: CaptureInput,
    captureId: string,
    event: EventToStore,
  ): Promise<EventOutcome> {
    const { prepared, declarationId } = event;
    if (declarationId === undefined) throw new Error("an error declaration without its id");
    const declaration = { ...(prepared.errorDeclaration ?? {}) };
    const [existing] = await rows<{ signer: string; organisation: string; retracted_by: string | null }>(
      manager,
      `SELECT e."signer", p."organisation", d."id" AS retracted_by FROM "epcis_event" e
       JOIN "participant" p ON p."id" = e."participant_id"
       LEFT JOIN "error_declaration" d ON d."event_hash" = e."event_hash"
       WHERE e."event_hash" = $1 FOR UPDATE OF e`,
      [prepared.eventHash],
    );
    if (existing === undefined) {
      throw new DomainError(
        "RETRACTION.EVENT_UNKNOWN",
        "conflict",
        `Event ${prepared.index} declares erroneous an event this service never recorded (${prepared.eventHash})`,
        { eventIndex: prepared.index, eventHash: prepared.eventHash },
      );
    }
    if (existing.signer !== event.signer) {
      throw new DomainError(
        "RETRACTION.NOT_SIGNER",
        "forbidden",
        `Event ${prepared.index} declares erroneous an event recorded by ${existing.organisation} ` +
          `(${existing.signer}): only the participant that signed an event may declare it erroneous`,
        { eventIndex: prepared.index, eventHash: prepared.eventHash, recordedBy: existing.organisation },
      );
    }
    if (existing.retracted_by !== null) {
      if (existing.retracted_by === declarationId) return "exists";
      throw new DomainError(
        "RETRACTION.ALREADY_RETRACTED",
        "conflict",
        `Event ${prepared.index} declares erroneous an event that was already declared erroneous`,
        { eventIndex: prepared.index, eventHash: prepared.eventHash, declarationId: existing.retracted_by },
      );
    }
    await reverseMovements(manager, prepared.eventHash, prepared.index);
    await reverseCustody(manager, prepared.eventHash, prepared.index);
    // A lot left with nothing made, declared or used is blank again: the next event that names it starts it afresh.
    await manager.query(
      `UPDATE "lot" SET "originator_id" = NULL WHERE "produced" = 0 AND "consumed" = 0
         AND "id" IN (SELECT "lot_id" FROM "lot_movement" WHERE "event_hash" = $1)`,
      [prepared.eventHash],
    );
    await manager.query(`UPDATE "epcis_event" SET "error_declaration" = $2::jsonb WHERE "event_hash" = $1`, [
      prepared.eventHash,
      JSON.stringify(declaration),
    ]);
    await manager.query(
      `INSERT INTO "error_declaration" ("id", "event_hash", "body", "context", "declaration", "participant_id", "signer",
         "signature", "custodial", "capture_id", "record_time")
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10, $11)`,
      [
        declarationId,
        prepared.eventHash,
        JSON.stringify(prepared.body),
        JSON.stringify(input.context ?? null),
        JSON.stringify(declaration),
        input.participantId,
        event.signer,
        event.signature,
        event.custodial,
        captureId,
        input.recordTime,
      ],
    );
    await enqueueForAnchoring(manager, declarationId);
    return "retracted";
  }

  private async insertEvent(
    manager: EntityManager,
    input: CaptureInput,
    captureId: string,
    event: EventToStore,
  ): Promise<boolean> {
    const { prepared } = event;
    const { summary } = prepared;
    try {
      const inserted = await rows(
        manager,
        `INSERT INTO "epcis_event" ("event_hash", "event_id", "event_type", "action", "biz_step", "disposition",
           "read_point", "biz_location", "event_time", "event_time_zone_offset", "record_time", "body", "context",
           "participant_id", "role", "signer", "signature", "custodial", "capture_id")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $19, $11::jsonb, $12::jsonb, $13, $14, $15, $16, $17, $18)
         ON CONFLICT ("event_hash") DO NOTHING RETURNING "event_hash"`,
        [
          prepared.eventHash,
          prepared.eventId,
          summary.eventType,
          summary.action,
          summary.bizStep,
          summary.disposition,
          summary.readPoint,
          summary.bizLocation,
          summary.eventTime,
          summary.eventTimeZoneOffset,
          JSON.stringify(prepared.body),
          JSON.stringify(input.context ?? null),
          input.participantId,
          prepared.role,
          event.signer,
          event.signature,
          event.custodial,
          captureId,
          input.recordTime,
        ],
      );
      return inserted.length > 0;
    } catch (error) {
      if (pgCode(error) === UNIQUE_VIOLATION) {
        throw new DomainError(
          "CAPTURE.EVENT_ID_CONFLICT",
          "conflict",
          `Event ${prepared.index}: eventID ${prepared.eventId} already belongs to a different event`,
          { eventIndex: prepared.index, eventId: prepared.eventId },
        );
      }
      throw error;
    }
  }

  private async insertDetails(manager: EntityManager, prepared: PreparedEvent): Promise<void> {
    if (prepared.references.length > 0) {
      await manager.query(
        `INSERT INTO "event_reference" ("event_hash", "field", "position", "uri", "is_class", "quantity", "uom")
         SELECT $1, r.field, r.position, r.uri, r.is_class, r.quantity, r.uom
         FROM jsonb_to_recordset($2::jsonb) AS r(field text, position int, uri text, is_class boolean, quantity numeric, uom text)`,
        [
          prepared.eventHash,
          JSON.stringify(
            prepared.references.map((r) => ({
              field: r.field,
              position: r.position,
              uri: r.uri,
              is_class: r.isClass,
              quantity: r.quantity,
              uom: r.uom,
            })),
          ),
        ],
      );
    }
    const kinds = new Map(prepared.extension.evidence.map((link) => [link.cid, link.kind ?? null]));
    for (const cid of prepared.evidenceCids) {
      // Evidence added to IPFS by other means than POST /evidence is registered here, type unknown.
      await manager.query(
        `INSERT INTO "evidence_file" ("cid", "media_type", "byte_size", "sha256") VALUES ($1, 'application/octet-stream', 0, '')
         ON CONFLICT ("cid") DO NOTHING`,
        [cid],
      );
      await manager.query(
        `INSERT INTO "event_evidence" ("event_hash", "cid", "kind") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [prepared.eventHash, cid, kinds.get(cid) ?? null],
      );
    }
  }
}

/** The outbox row that makes the anchoring worker pick the record up; same transaction as the record itself. */
async function enqueueForAnchoring(manager: EntityManager, recordId: string): Promise<void> {
  await manager.query(`INSERT INTO "anchor_outbox" ("event_hash") VALUES ($1) ON CONFLICT DO NOTHING`, [recordId]);
}

/**
 * The event hash leaves the signature out, so the same event signed by another key is another participant's
 * claim on it: refused, naming who recorded it (never reported as `exists`).
 */
async function refuseOtherSigner(manager: EntityManager, prepared: PreparedEvent, signer: string): Promise<void> {
  const [stored] = await rows<{ signer: string; organisation: string }>(
    manager,
    `SELECT e."signer", p."organisation" FROM "epcis_event" e JOIN "participant" p ON p."id" = e."participant_id"
     WHERE e."event_hash" = $1`,
    [prepared.eventHash],
  );
  if (stored === undefined || stored.signer === signer) return;
  throw new DomainError(
    "CAPTURE.EVENT_RECORDED_BY_OTHER",
    "conflict",
    `Event ${prepared.index} was already recorded by ${stored.organisation} (${stored.signer}); the same event ` +
      "cannot be recorded by another participant",
    {
      eventIndex: prepared.index,
      eventHash: prepared.eventHash,
      recordedBy: stored.organisation,
      signer: stored.signer,
    },
  );
}

/** One movement per lot and direction: an event listing a lot twice moves the sum (in one unit). */
function merged(event: PreparedEvent): LotMovement[] {
  const byKey = new Map<string, LotMovement>();
  for (const movement of event.movements) {
    const key = `${movement.lot.id} ${movement.direction}`;
    const previous = byKey.get(key);
    if (previous !== undefined && previous.unit !== movement.unit) {
      throw new DomainError(
        "MASS_BALANCE.UNIT_MISMATCH",
        "conflict",
        `Event ${event.index} states lot ${movement.lot.id} both in ${previous.unit} and in ${movement.unit}`,
        { eventIndex: event.index, lot: movement.lot.id },
      );
    }
    byKey.set(
      key,
      previous === undefined
        ? movement
        : {
            ...movement,
            amount: add(previous.amount, movement.amount),
            massKg:
              previous.massKg === undefined || movement.massKg === undefined
                ? undefined
                : add(previous.massKg, movement.massKg),
          },
    );
  }
  return [...byKey.values()];
}

async function applyMovement(manager: EntityManager, event: PreparedEvent, movement: LotMovement): Promise<void> {
  const amount = toText(movement.amount);
  if (movement.direction === "produced") {
    const updated = await rows(
      manager,
      `INSERT INTO "lot" ("id", "gtin", "lot_number", "unit", "produced", "consumed", "external")
       VALUES ($1, $2, $3, $4, $5::numeric, 0, false)
       ON CONFLICT ("id") DO UPDATE SET "produced" = "lot"."produced" + EXCLUDED."produced" WHERE "lot"."unit" = EXCLUDED."unit"
       RETURNING "id"`,
      [movement.lot.id, movement.lot.gtin, movement.lot.lotNumber, movement.unit, amount],
    );
    if (updated.length === 0) throw await unitMismatch(manager, event, movement);
  } else {
    // A lot seen for the first time as an input or in custody has no provenance here: it enters the balance
    // as external, with the quantity this first event states. So does a lot whose every event was retracted.
    const declared = await rows(
      manager,
      `INSERT INTO "lot" ("id", "gtin", "lot_number", "unit", "produced", "consumed", "external")
       VALUES ($1, $2, $3, $4, $5::numeric, 0, true)
       ON CONFLICT ("id") DO UPDATE SET "produced" = EXCLUDED."produced", "unit" = EXCLUDED."unit", "external" = true
         WHERE "lot"."produced" = 0 AND "lot"."consumed" = 0 AND "lot"."originator_id" IS NULL
       RETURNING "id"`,
      [movement.lot.id, movement.lot.gtin, movement.lot.lotNumber, movement.unit, amount],
    );
    if (declared.length > 0)
      await recordMovement(manager, event.eventHash, { ...movement, direction: "observed" }, "declared");
    if (movement.direction === "consumed") await consume(manager, event, movement, amount);
  }
  await recordMovement(manager, event.eventHash, movement, movement.direction);
}

async function consume(
  manager: EntityManager,
  event: PreparedEvent,
  movement: LotMovement,
  amount: string,
): Promise<void> {
  const consumed = await rows(
    manager,
    `UPDATE "lot" SET "consumed" = "consumed" + $2::numeric
     WHERE "id" = $1 AND "unit" = $3 AND "consumed" + $2::numeric <= "produced" RETURNING "id"`,
    [movement.lot.id, amount, movement.unit],
  );
  if (consumed.length > 0) return;
  const [lot] = await rows<{ unit: string; produced: string; consumed: string; remaining: string }>(
    manager,
    `SELECT "unit", "produced"::text AS produced, "consumed"::text AS consumed, ("produced" - "consumed")::text AS remaining
     FROM "lot" WHERE "id" = $1`,
    [movement.lot.id],
  );
  if (lot === undefined || lot.unit !== movement.unit) throw await unitMismatch(manager, event, movement);
  throw new DomainError(
    "MASS_BALANCE.INSUFFICIENT_QUANTITY",
    "conflict",
    `Event ${event.index} consumes ${amount} ${movement.unit} of lot ${movement.lot.id}, but only ` +
      `${lot.remaining} ${lot.unit} of it remain (${lot.produced} in, ${lot.consumed} already used)`,
    {
      eventIndex: event.index,
      lot: movement.lot.id,
      requested: amount,
      unit: movement.unit,
      produced: lot.produced,
      consumed: lot.consumed,
    },
  );
}

async function unitMismatch(manager: EntityManager, event: PreparedEvent, movement: LotMovement): Promise<DomainError> {
  const [lot] = await rows<{ unit: string }>(manager, `SELECT "unit" FROM "lot" WHERE "id" = $1`, [movement.lot.id]);
  return new DomainError(
    "MASS_BALANCE.UNIT_MISMATCH",
    "conflict",
    `Event ${event.index} states lot ${movement.lot.id} in ${movement.unit}, but the lot is tracked in ${lot?.unit ?? "another unit"}`,
    { eventIndex: event.index, lot: movement.lot.id, unit: movement.unit, lotUnit: lot?.unit },
  );
}

async function recordMovement(
  manager: EntityManager,
  eventHash: string,
  movement: LotMovement,
  direction: string,
): Promise<void> {
  await manager.query(
    `INSERT INTO "lot_movement" ("event_hash", "lot_id", "direction", "quantity", "unit", "mass_kg")
     VALUES ($1, $2, $3, $4::numeric, $5, $6::numeric)`,
    [eventHash, movement.lot.id, direction, toText(movement.amount), movement.unit, massText(movement.massKg)],
  );
}

/** Undoes what an erroneous event did to lots; its movements stay, marked reversed. */
async function reverseMovements(manager: EntityManager, eventHash: string, eventIndex: number): Promise<void> {
  const movements = await rows<{ lot_id: string; direction: string; quantity: string }>(
    manager,
    // What was consumed is given back before what was made or declared is taken away.
    `SELECT "lot_id", "direction", "quantity"::text AS quantity FROM "lot_movement" WHERE "event_hash" = $1 AND NOT "reversed"
     ORDER BY CASE "direction" WHEN 'consumed' THEN 0 ELSE 1 END, "lot_id"`,
    [eventHash],
  );
  try {
    for (const movement of movements) {
      if (movement.direction === "consumed") {
        await manager.query(`UPDATE "lot" SET "consumed" = "consumed" - $2::numeric WHERE "id" = $1`, [
          movement.lot_id,
          movement.quantity,
        ]);
      } else if (movement.direction === "produced" || movement.direction === "declared") {
        await manager.query(`UPDATE "lot" SET "produced" = "produced" - $2::numeric WHERE "id" = $1`, [
          movement.lot_id,
          movement.quantity,
        ]);
      }
    }
  } catch (error) {
    if (pgCode(error) !== CHECK_VIOLATION) throw error;
    throw new DomainError(
      "MASS_BALANCE.CANNOT_RETRACT",
      "conflict",
      `Event ${eventIndex} declares an earlier event erroneous, but lots it produced were already used by later events`,
      { eventIndex, eventHash },
    );
  }
  await manager.query(`UPDATE "lot_movement" SET "reversed" = true WHERE "event_hash" = $1`, [eventHash]);
}

function massText(mass: Decimal | undefined): string | null {
  return mass === undefined ? null : toText(mass);
}
