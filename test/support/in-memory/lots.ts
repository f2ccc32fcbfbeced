// In-memory lot rows for service unit tests: lots, who produced them, and the inputs of their footprints.
import type { FootprintInputs, LotRecord } from "#database";
import type { LotRows } from "../../../apps/api/src/proofs/lot-access.js";

export class InMemoryLots implements LotRows {
  readonly lots = new Map<string, LotRecord>();
  readonly producers = new Map<string, { participantIds: string[]; massPerUnitKg: number | undefined }>();
  readonly inputs = new Map<string, FootprintInputs>();

  /** A lot produced by these participants; `inputs` are what its footprint is computed from. */
  add(
    lot: LotRecord,
    producedBy: readonly string[],
    options: { massPerUnitKg?: number; inputs?: FootprintInputs } = {},
  ): LotRecord {
    this.lots.set(lot.id, lot);
    this.producers.set(lot.id, { participantIds: [...producedBy], massPerUnitKg: options.massPerUnitKg });
    if (options.inputs !== undefined) this.inputs.set(lot.id, options.inputs);
    return lot;
  }

  lot(id: string): Promise<LotRecord | undefined> {
    return Promise.resolve(this.lots.get(id));
  }

  producersOf(lotId: string): Promise<{ participantIds: string[]; massPerUnitKg: number | undefined }> {
    return Promise.resolve(this.producers.get(lotId) ?? { participantIds: [], massPerUnitKg: undefined });
  }

  footprintInputs(lotId: string): Promise<FootprintInputs> {
    return Promise.resolve(this.inputs.get(lotId) ?? { lots: [], events: [], movements: [] });
  }
}
