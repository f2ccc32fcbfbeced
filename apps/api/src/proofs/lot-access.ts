import { Inject, Injectable } from "@nestjs/common";
import { DomainError } from "#common";
import { lotOf } from "#capture";
import { LotRepository, type LotRecord, type ParticipantRecord } from "#database";

/** The lot rows the checks read. */
export type LotRows = Pick<LotRepository, "lot" | "producersOf">;

/**
 * The two questions lot routes ask before anything else: does the lot exist (a lot URI or id), and did this
 * participant's events produce it (whose data is this?).
 */
@Injectable()
export class LotAccess {
  constructor(@Inject(LotRepository) private readonly lots: LotRows) {}

  async requireLot(lotId: string): Promise<LotRecord> {
    const parsed = lotOf(lotId);
    const lot = parsed === undefined ? undefined : await this.lots.lot(parsed.id);
    if (lot === undefined) throw new DomainError("LOT.NOT_FOUND", "not-found", `No lot ${lotId}`, { lot: lotId });
    return lot;
  }

  /** Refuses a participant none of whose events produced the lot; the mass of one unit, when the events gave it. */
  async requireProducer(lotId: string, participant: ParticipantRecord): Promise<{ massPerUnitKg: number | undefined }> {
    const producers = await this.lots.producersOf(lotId);
    if (!producers.participantIds.includes(participant.id)) {
      throw new DomainError(
        "FOOTPRINT.NOT_PRODUCER",
        "forbidden",
        "Only a participant whose events produced this lot may do this",
        { lot: lotId },
      );
    }
    return { massPerUnitKg: producers.massPerUnitKg };
  }
}
