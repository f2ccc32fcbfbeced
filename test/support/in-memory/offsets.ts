// In-memory offset rows for service unit tests: the same answers and refusals as OffsetRepository on PostgreSQL
// (serial ranges of a block exclusive unless failed, lowest free range first), without a database.
import { randomUUID } from "node:crypto";
import { DomainError } from "#common";
import type {
  HoldingRecord,
  NewHolding,
  NewProduct,
  ProductRecord,
  ProductRevisionRecord,
  RetirementRecord,
  RetirementRequest,
  RetirementStatus,
} from "#database";
import type { OffsetRows } from "../../../apps/api/src/offsets/offset.service.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class InMemoryOffsets implements OffsetRows {
  readonly products = new Map<string, ProductRecord>();
  readonly revisions = new Map<string, ProductRevisionRecord[]>();
  readonly holdingRows = new Map<string, Omit<HoldingRecord, "usedCredits">>();
  readonly retirements = new Map<string, Mutable<RetirementRecord>>();

  saveProduct(product: NewProduct): Promise<ProductRecord> {
    const description = { en: product.description?.en ?? null, zh: product.description?.zh ?? null };
    const record = { gtin: product.gtin, name: product.name, description, registeredBy: product.registeredBy };
    const saved = { ...record, updatedAt: new Date() };
    this.products.set(product.gtin, saved);
    const history = this.revisions.get(product.gtin) ?? [];
    const changedBy = product.registeredBy === null ? null : { id: product.registeredBy, organisation: "" };
    history.unshift({ name: product.name, description, changedBy, changedAt: saved.updatedAt });
    this.revisions.set(product.gtin, history);
    return Promise.resolve(saved);
  }

  product(gtin: string): Promise<ProductRecord | undefined> {
    return Promise.resolve(this.products.get(gtin));
  }

  productHistory(gtin: string): Promise<ProductRevisionRecord[]> {
    return Promise.resolve(this.revisions.get(gtin) ?? []);
  }

  addHolding(holding: NewHolding): Promise<HoldingRecord> {
    const id = randomUUID();
    this.holdingRows.set(id, { ...holding, id, createdAt: new Date() });
    return Promise.resolve(this.withUse(id));
  }

  holdings(): Promise<HoldingRecord[]> {
    return Promise.resolve([...this.holdingRows.keys()].map((id) => this.withUse(id)));
  }

  holding(id: string): Promise<HoldingRecord | undefined> {
    return Promise.resolve(this.holdingRows.has(id) ? this.withUse(id) : undefined);
  }

  reserveRetirement(request: RetirementRequest): Promise<RetirementRecord> {
    const holding = this.holdingRows.has(request.holdingId) ? this.withUse(request.holdingId) : undefined;
    if (holding === undefined) {
      throw new DomainError("OFFSET.HOLDING_NOT_FOUND", "not-found", `There is no credit holding ${request.holdingId}`);
    }
    const { first, last } =
      "credits" in request.serials
        ? this.firstFreeRange(holding, request.serials.credits)
        : this.requireFree(holding, request.serials.first, request.serials.last);
    const record: Mutable<RetirementRecord> = {
      id: randomUUID(),
      holdingId: holding.id,
      lotId: request.lotId,
      registry: holding.registry,
      serialBlock: holding.serialBlock,
      projectId: holding.projectId,
      vintage: holding.vintage,
      firstSerial: first,
      lastSerial: last,
      serial: request.serialOf(holding, first, last),
      quantityKg: Number((last - first + 1n) * 1000n),
      beneficiary: request.beneficiary,
      reason: request.reason,
      status: "pending",
      txHash: null,
      blockNumber: null,
      chainRetirementId: null,
      retiredAt: null,
      lastError: null,
      createdAt: new Date(),
    };
    this.retirements.set(record.id, record);
    return Promise.resolve({ ...record });
  }

  markRetirement(
    id: string,
    update: {
      status: RetirementStatus;
      txHash?: string;
      blockNumber?: number;
      chainRetirementId?: number;
      error?: string;
    },
  ): Promise<void> {
    const row = this.retirements.get(id);
    if (row !== undefined) {
      row.status = update.status;
      row.txHash = update.txHash ?? row.txHash;
      row.blockNumber = update.blockNumber ?? row.blockNumber;
      row.chainRetirementId = update.chainRetirementId ?? row.chainRetirementId;
      if (update.status === "retired") row.retiredAt ??= new Date();
      row.lastError = update.error ?? null;
    }
    return Promise.resolve();
  }

  retirement(id: string): Promise<RetirementRecord | undefined> {
    const row = this.retirements.get(id);
    return Promise.resolve(row === undefined ? undefined : { ...row });
  }

  retirementsOfLot(lotId: string): Promise<RetirementRecord[]> {
    return Promise.resolve([...this.retirements.values()].filter((r) => r.lotId === lotId).map((r) => ({ ...r })));
  }

  /** Ranges of the holding's block that count as taken: every retirement that did not fail. */
  private taken(holding: Pick<HoldingRecord, "registry" | "serialBlock">): RetirementRecord[] {
    return [...this.retirements.values()]
      .filter((r) => r.registry === holding.registry && r.serialBlock === holding.serialBlock && r.status !== "failed")
      .sort((a, b) => (a.firstSerial < b.firstSerial ? -1 : 1));
  }

  private withUse(id: string): HoldingRecord {
    const row = this.holdingRows.get(id);
    if (row === undefined) throw new Error(`no holding ${id}`);
    const used = [...this.retirements.values()]
      .filter((r) => r.holdingId === id && r.status !== "failed")
      .reduce((sum, r) => sum + (r.lastSerial - r.firstSerial + 1n), 0n);
    return { ...row, usedCredits: used };
  }

  private firstFreeRange(holding: HoldingRecord, credits: bigint): { first: bigint; last: bigint } {
    let candidate = holding.firstSerial;
    for (const range of this.taken(holding)) {
      if (range.lastSerial < candidate) continue;
      if (range.firstSerial - candidate >= credits) break;
      candidate = range.lastSerial + 1n;
    }
    if (candidate + credits - 1n > holding.lastSerial) {
      throw new DomainError(
        "OFFSET.INSUFFICIENT_CREDITS",
        "conflict",
        `Holding ${holding.id} has too few credits left`,
      );
    }
    return { first: candidate, last: candidate + credits - 1n };
  }

  private requireFree(holding: HoldingRecord, first: bigint, last: bigint): { first: bigint; last: bigint } {
    if (first > last || first < holding.firstSerial || last > holding.lastSerial) {
      throw new DomainError("OFFSET.RANGE_OUTSIDE_HOLDING", "invalid", `Serials not within holding ${holding.id}`);
    }
    if (this.taken(holding).some((r) => r.firstSerial <= last && first <= r.lastSerial)) {
      throw new DomainError("OFFSET.ALREADY_RETIRED", "conflict", "Serials already retired");
    }
    return { first, last };
  }
}
