import type { DataSource, EntityManager } from "typeorm";
import { DomainError } from "#common";
import { partiesOf, reverseCustody } from "./custody.store.js";
import { LotInsertedConcurrently, storeEventBatch } from "./event-batch.store.js";
import type { CaptureInput, CaptureResult, EventOutcome, EventToStore } from "./capture.types.js";
import { pgCode, rows } from "./sql.js";

const CHECK_VIOLATION = "23514";

/** PostgreSQL gave up one of two transactions waiting on each other; run again, it goes through. */
const DEADLOCK_DETECTED = "40P01";
/** Runs of one capture after a deadlock or a lot inserted by a concurrent capture (each run sees more committed). */
const ATTEMPTS = 3;

/**
 * Stores a whole capture in one transaction: events, their references and evidence links, and their effect on
 * lots. The lots a capture names are locked (in id order) before their balances are read, so two captures can
 * never both take the same remaining quantity, and CHECK constraints (`consumed <= produced`, holdings >= 0)
 * back the rules up.
 * Authority (docs/authority.md): an event is its signer's; the lots it names must be in its custody and the
 * places it names must not be another participant's; only the signer of an event may declare it erroneous.
 */
export class CaptureRepository {
  constructor(private readonly dataSource: DataSource) {}

  async capture(input: CaptureInput): Promise<CaptureResult> {
    return this.storeRetrying(input, false);
  }

  /**
   * A capture run exactly as `capture` runs it, then rolled back: what a partner's form shows before anything is
   * signed (mass balance, custody, places, in the words capture would use). Nothing is kept; the lots' locks are
   * held only for the rehearsal's transaction.
   */
  async rehearse(input: CaptureInput): Promise<void> {
    await this.storeRetrying(input, true);
  }

  /**
   * One transaction, run again when PostgreSQL breaks a deadlock by giving it up or a concurrent capture inserted a
   * lot this one was about to insert; rolled back for a rehearsal.
   */
  private async storeRetrying(input: CaptureInput, rollBack: boolean): Promise<CaptureResult> {
    for (let attempt = 1; ; attempt += 1) {
      const rolledBack = new RehearsalRolledBack();
      try {
        return await this.dataSource.transaction(async (manager) => {
          const result = await this.store(manager, input);
          if (rollBack) {
            rolledBack.result = result;
            throw rolledBack;
          }
          return result;
        });
      } catch (error) {
        if (error === rolledBack && rolledBack.result !== undefined) return rolledBack.result;
        const raced = error instanceof LotInsertedConcurrently;
        if (!raced && pgCode(error) !== DEADLOCK_DETECTED) throw error;
        if (attempt >= ATTEMPTS) throw raced ? contended() : error;
      }
    }
  }

  /**
   * Ordinary events are stored in runs (a fixed number of statements per run); an error declaration is applied
   * on its own, after the events before it, since it undoes what they may have done.
   */
  private async store(manager: EntityManager, input: CaptureInput): Promise<CaptureResult> {
    // Plain statements for the job row: TypeORM's save and update cost more CPU than the job is worth.
    const [job] = await rows<{ id: string; created_at: Date }>(
      manager,
      `INSERT INTO "capture_job" ("participant_id", "event_count", "created_count", "document_sha256", "finished_at")
       VALUES ($1, $2, 0, $3, now()) RETURNING "id", "created_at"`,
      [input.participantId, input.events.length, input.documentSha256],
    );
    if (job === undefined) throw new Error("the capture job was not inserted");
    const parties = await partiesOf(
      manager,
      input.events.map((event) => event.prepared),
    );
    const outcomes: EventOutcome[] = [];
    for (const run of runsOf(input.events)) {
      if (run.kind === "declaration") {
        outcomes.push(await this.storeErrorDeclaration(manager, input, job.id, run.event));
      } else {
        outcomes.push(...(await storeEventBatch(manager, input, job.id, run.events, parties)));
      }
    }
    const created = outcomes.filter((outcome) => outcome !== "exists").length;
    await manager.query(
      `UPDATE "capture_job" SET "created_count" = $2, "finished_at" = clock_timestamp() WHERE "id" = $1`,
      [job.id, created],
    );
    return {
      captureId: job.id,
      createdAt: job.created_at,
      events: input.events.map((event, i) => ({
        eventHash: event.prepared.eventHash,
        eventId: event.prepared.eventId,
        outcome: outcomes[i] ?? "exists",
      })),
    };
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
}

/** Other captures kept inserting lots this one names, run after run: the partner sends it again later. */
function contended(): DomainError {
  return new DomainError(
    "CAPTURE.CONTENDED",
    "conflict",
    `Concurrent captures kept creating lots this document names; nothing was stored, send it again`,
    {},
  );
}

/** The outbox row that makes the anchoring worker pick the record up; same transaction as the record itself. */
async function enqueueForAnchoring(manager: EntityManager, recordId: string): Promise<void> {
  await manager.query(`INSERT INTO "anchor_outbox" ("event_hash") VALUES ($1) ON CONFLICT DO NOTHING`, [recordId]);
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

/** Thrown out of a rehearsal's transaction so that PostgreSQL rolls it back, carrying what it would have stored. */
class RehearsalRolledBack extends Error {
  result: CaptureResult | undefined;

  constructor() {
    super("rehearsal rolled back");
  }
}

type Run = { kind: "events"; events: EventToStore[] } | { kind: "declaration"; event: EventToStore };

/** The capture's records in order: runs of ordinary events, and error declarations one by one. */
function runsOf(events: readonly EventToStore[]): Run[] {
  const runs: Run[] = [];
  for (const event of events) {
    const last = runs.at(-1);
    if (event.prepared.errorDeclaration !== undefined) runs.push({ kind: "declaration", event });
    else if (last?.kind === "events") last.events.push(event);
    else runs.push({ kind: "events", events: [event] });
  }
  return runs;
}
