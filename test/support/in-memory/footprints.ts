// In-memory footprint rows for service unit tests: stored calculations (one per lot, library version and inputs),
// declared baselines, and published ProductFootprints with FootprintRepository's publication rules (one Active per
// lot, only its owner publishes the next version, which names the earlier ones in precedingPfIds).
import { randomUUID } from "node:crypto";
import { DomainError } from "#common";
import type { BaselineRecord, CalculationRecord, FootprintIndex, PublishedFootprint } from "#database";
import type { FootprintRows } from "../../../apps/api/src/footprints/footprint.service.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class InMemoryFootprints implements FootprintRows {
  readonly calculations: CalculationRecord[] = [];
  readonly baselines: BaselineRecord[] = [];
  readonly published: Array<Mutable<PublishedFootprint> & { index: FootprintIndex }> = [];

  findCalculation(
    key: Pick<CalculationRecord, "lotId" | "libraryVersion" | "inputsSha256">,
  ): Promise<CalculationRecord | undefined> {
    return Promise.resolve(
      this.calculations.find(
        (c) => c.lotId === key.lotId && c.libraryVersion === key.libraryVersion && c.inputsSha256 === key.inputsSha256,
      ),
    );
  }

  async saveCalculation(
    calculation: Omit<CalculationRecord, "id" | "createdAt">,
  ): Promise<{ record: CalculationRecord; created: boolean }> {
    const stored = await this.findCalculation(calculation);
    if (stored !== undefined) return { record: stored, created: false };
    // As the jsonb column does: what is stored is JSON, not the objects the caller still holds.
    const record = { ...calculation, result: json(calculation.result), id: randomUUID(), createdAt: new Date() };
    this.calculations.push(record);
    return { record, created: true };
  }

  calculation(id: string): Promise<CalculationRecord | undefined> {
    return Promise.resolve(this.calculations.find((c) => c.id === id));
  }

  baseline(lotId: string): Promise<BaselineRecord | undefined> {
    return Promise.resolve(this.baselines.findLast((b) => b.lotId === lotId));
  }

  declareBaseline(
    lotId: string,
    scenario: Record<string, unknown>,
    declaredBy: string | null,
  ): Promise<BaselineRecord> {
    const record = { id: randomUUID(), lotId, scenario: json(scenario), declaredBy, createdAt: new Date() };
    this.baselines.push(record);
    return Promise.resolve(record);
  }

  publish(input: {
    readonly lotId: string;
    readonly calculationId: string;
    readonly ownerId: string;
    readonly build: (
      id: string,
      precedingPfIds: readonly string[],
    ) => { document: Record<string, unknown>; index: FootprintIndex };
  }): Promise<{ published: PublishedFootprint; deprecated: string | undefined }> {
    const active = this.published.find((p) => p.lotId === input.lotId && p.status === "Active");
    if (active !== undefined && active.ownerId !== input.ownerId) {
      return Promise.reject(
        new DomainError(
          "FOOTPRINT.OWNED_BY_ANOTHER",
          "forbidden",
          "Another participant published this lot's footprint",
        ),
      );
    }
    const earlier = Array.isArray(active?.document.precedingPfIds) ? (active.document.precedingPfIds as string[]) : [];
    const id = randomUUID();
    const { document, index } = input.build(id, active === undefined ? [] : [active.id, ...earlier]);
    if (active !== undefined) active.status = "Deprecated";
    const row = {
      id,
      lotId: input.lotId,
      calculationId: input.calculationId,
      ownerId: input.ownerId,
      status: "Active" as const,
      document: json(document),
      createdAt: new Date(),
      index,
    };
    this.published.push(row);
    return Promise.resolve({ published: { ...row }, deprecated: active?.id });
  }

  footprintsOfLot(lotId: string): Promise<PublishedFootprint[]> {
    return Promise.resolve(
      this.published
        .filter((p) => p.lotId === lotId)
        .reverse()
        .map((p) => ({ ...p, document: { ...p.document, status: p.status } })),
    );
  }
}

function json<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
