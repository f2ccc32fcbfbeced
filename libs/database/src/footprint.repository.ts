import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { DomainError, isUuid } from "#common";
import { FootprintCalculationEntity } from "./entities/footprint-calculation.entity.js";
import { LotBaselineEntity } from "./entities/lot-baseline.entity.js";
import { ProductFootprintEntity } from "./entities/product-footprint.entity.js";

export interface CalculationRecord {
  readonly id: string;
  readonly lotId: string;
  readonly libraryVersion: number;
  readonly inputsSha256: string;
  readonly totalKg: string;
  readonly perUnitKg: string;
  readonly result: Record<string, unknown>;
  readonly createdAt: Date;
}

export interface BaselineRecord {
  readonly id: string;
  readonly lotId: string;
  readonly scenario: Record<string, unknown>;
  readonly declaredBy: string | null;
  readonly createdAt: Date;
}

export interface PublishedFootprint {
  readonly id: string;
  readonly lotId: string;
  readonly calculationId: string;
  readonly ownerId: string;
  readonly status: "Active" | "Deprecated";
  /** The ProductFootprint with its current status. */
  readonly document: Record<string, unknown>;
  readonly createdAt: Date;
}

/** What a new ProductFootprint is filtered by, copied from its document. */
export interface FootprintIndex {
  readonly productIds: readonly string[];
  readonly companyIds: readonly string[];
  readonly classifications: readonly string[];
  readonly geography: readonly string[];
  readonly validityStart: Date;
  readonly validityEnd: Date;
}

/** ListFootprints criteria in database terms (see `FootprintCriteria` of libs/pact). */
export interface FootprintFilter {
  /** Only footprints of this data owner; undefined: all. */
  readonly ownerId?: string;
  readonly productIds?: readonly string[];
  readonly companyIds?: readonly string[];
  readonly geography?: readonly string[];
  readonly classifications?: readonly string[];
  readonly validOn?: Date;
  readonly validAfter?: Date;
  readonly validBefore?: Date;
  readonly status?: string;
  readonly ids?: readonly string[];
}

/** Where a page of ListFootprints ended: the last footprint shown (newest first, ties by id). */
export interface FootprintCursor {
  readonly createdAt: Date;
  readonly id: string;
}

/** Footprint calculations, lot baselines and published PACT ProductFootprints. */
export class FootprintRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores a calculation once per (lot, library version, inputs). For inputs already computed, the stored
   * calculation is returned as it was stored; a new one is returned without reading back what was just written.
   */
  async saveCalculation(
    calculation: Omit<CalculationRecord, "id" | "createdAt">,
  ): Promise<{ record: CalculationRecord; created: boolean }> {
    const stored = await this.findCalculation(calculation);
    if (stored !== undefined) return { record: stored, created: false };
    const [inserted] = await this.dataSource.query<Array<{ id: string; created_at: Date }>>(
      `INSERT INTO "footprint_calculation" ("lot_id", "library_version", "inputs_sha256", "total_kg", "per_unit_kg", "result")
       VALUES ($1, $2, $3, $4::numeric, $5::numeric, $6::jsonb)
       ON CONFLICT ON CONSTRAINT "UQ_footprint_calculation_inputs" DO NOTHING RETURNING "id", "created_at"`,
      [
        calculation.lotId,
        calculation.libraryVersion,
        calculation.inputsSha256,
        calculation.totalKg,
        calculation.perUnitKg,
        JSON.stringify(calculation.result),
      ],
    );
    if (inserted !== undefined) {
      return { record: { ...calculation, id: inserted.id, createdAt: inserted.created_at }, created: true };
    }
    // Another request stored the same calculation meanwhile.
    const raced = await this.findCalculation(calculation);
    if (raced === undefined) throw new Error("a footprint calculation vanished");
    return { record: raced, created: false };
  }

  /** The calculation stored for these inputs (the same events, baseline and library give the same result). */
  async findCalculation(
    key: Pick<CalculationRecord, "lotId" | "libraryVersion" | "inputsSha256">,
  ): Promise<CalculationRecord | undefined> {
    const row = await this.dataSource.getRepository(FootprintCalculationEntity).findOneBy({
      lotId: key.lotId,
      libraryVersion: key.libraryVersion,
      inputsSha256: key.inputsSha256,
    });
    return row === null ? undefined : toCalculation(row);
  }

  async calculation(id: string): Promise<CalculationRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const row = await this.dataSource.getRepository(FootprintCalculationEntity).findOneBy({ id });
    return row === null ? undefined : toCalculation(row);
  }

  async calculations(lotId: string): Promise<CalculationRecord[]> {
    const rows = await this.dataSource
      .getRepository(FootprintCalculationEntity)
      .find({ where: { lotId }, order: { createdAt: "DESC" } });
    return rows.map(toCalculation);
  }

  async baseline(lotId: string): Promise<BaselineRecord | undefined> {
    const row = await this.dataSource
      .getRepository(LotBaselineEntity)
      .findOne({ where: { lotId }, order: { createdAt: "DESC" } });
    return row === null ? undefined : toBaseline(row);
  }

  async declareBaseline(
    lotId: string,
    scenario: Record<string, unknown>,
    declaredBy: string | null,
  ): Promise<BaselineRecord> {
    const saved = await this.dataSource.getRepository(LotBaselineEntity).save({ lotId, scenario, declaredBy });
    return toBaseline(saved);
  }

  /**
   * Publishes a ProductFootprint of a lot: the lot's Active footprint (if any) becomes Deprecated and is named,
   * with its own predecessors, in the new one's `precedingPfIds`. One transaction; the lot's row lock orders
   * concurrent publications.
   */
  async publish(input: {
    readonly lotId: string;
    readonly calculationId: string;
    readonly ownerId: string;
    readonly build: (
      id: string,
      precedingPfIds: readonly string[],
    ) => {
      document: Record<string, unknown>;
      index: FootprintIndex;
    };
  }): Promise<{ published: PublishedFootprint; deprecated: string | undefined }> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM "lot" WHERE "id" = $1 FOR UPDATE`, [input.lotId]);
      const [active] = await manager.query<Array<{ id: string; owner_id: string; document: Record<string, unknown> }>>(
        `SELECT "id", "owner_id", "document" FROM "product_footprint" WHERE "lot_id" = $1 AND "status" = 'Active'`,
        [input.lotId],
      );
      if (active !== undefined && active.owner_id !== input.ownerId) {
        throw new DomainError(
          "FOOTPRINT.OWNED_BY_ANOTHER",
          "forbidden",
          "Another participant published this lot's footprint; only it may publish a new version",
          { lot: input.lotId },
        );
      }
      const earlier = Array.isArray(active?.document.precedingPfIds)
        ? (active.document.precedingPfIds as string[])
        : [];
      const preceding = active === undefined ? [] : [active.id, ...earlier];
      const id = randomUUID();
      const { document, index } = input.build(id, preceding);
      if (active !== undefined) {
        await manager.query(`UPDATE "product_footprint" SET "status" = 'Deprecated' WHERE "id" = $1`, [active.id]);
      }
      const repository = manager.getRepository(ProductFootprintEntity);
      await repository.save(
        repository.create({
          id,
          lotId: input.lotId,
          calculationId: input.calculationId,
          ownerId: input.ownerId,
          status: "Active",
          document: withoutStatus(document),
          productIds: [...index.productIds],
          companyIds: [...index.companyIds],
          classifications: [...index.classifications],
          geography: [...index.geography],
          validityStart: index.validityStart,
          validityEnd: index.validityEnd,
        }),
      );
      const row = await manager.getRepository(ProductFootprintEntity).findOneByOrFail({ id });
      return { published: toPublished(row), deprecated: active?.id };
    });
  }

  async footprint(id: string, ownerId?: string): Promise<PublishedFootprint | undefined> {
    if (!isUuid(id)) return undefined;
    const row = await this.dataSource
      .getRepository(ProductFootprintEntity)
      .findOneBy({ id, ...(ownerId === undefined ? {} : { ownerId }) });
    return row === null ? undefined : toPublished(row);
  }

  async footprintsOfLot(lotId: string): Promise<PublishedFootprint[]> {
    const rows = await this.dataSource
      .getRepository(ProductFootprintEntity)
      .find({ where: { lotId }, order: { createdAt: "DESC" } });
    return rows.map(toPublished);
  }

  /**
   * ListFootprints: newest first (ties by id), `limit` from `offset` or after `after` (the last one of the previous
   * page), and how many match in all.
   */
  async list(
    filter: FootprintFilter,
    page: { limit: number; offset: number; after?: FootprintCursor },
  ): Promise<{ footprints: PublishedFootprint[]; total: number }> {
    const builder = this.dataSource.getRepository(ProductFootprintEntity).createQueryBuilder("f");
    if (filter.ownerId !== undefined) builder.andWhere("f.owner_id = :ownerId", { ownerId: filter.ownerId });
    if (filter.ids !== undefined) builder.andWhere("f.id::text = ANY(:ids)", { ids: filter.ids });
    // PACT filters match without regard to case (identifiers, geography, classification and status alike).
    const anyOf = (column: string, name: string, values: readonly string[] | undefined): void => {
      if (values === undefined) return;
      builder.andWhere(`ARRAY(SELECT lower(v) FROM unnest(f.${column}) v) && :${name}`, {
        [name]: values.map((value) => value.toLowerCase()),
      });
    };
    anyOf("product_ids", "productIds", filter.productIds);
    anyOf("company_ids", "companyIds", filter.companyIds);
    anyOf("geography", "geography", filter.geography);
    anyOf("classifications", "classifications", filter.classifications);
    if (filter.validOn !== undefined) {
      builder.andWhere("f.validity_start <= :validOn AND :validOn <= f.validity_end", { validOn: filter.validOn });
    }
    if (filter.validAfter !== undefined)
      builder.andWhere("f.validity_start > :validAfter", { validAfter: filter.validAfter });
    if (filter.validBefore !== undefined) {
      builder.andWhere("f.validity_end < :validBefore", { validBefore: filter.validBefore });
    }
    if (filter.status !== undefined) {
      builder.andWhere("lower(f.status) = :status", { status: filter.status.toLowerCase() });
    }
    const total = await builder.getCount();
    if (page.after !== undefined) {
      // After the last one shown, in the list's own order: what is published meanwhile comes first, never again.
      builder.andWhere("(f.created_at < :afterCreated OR (f.created_at = :afterCreated AND f.id::text > :afterId))", {
        afterCreated: page.after.createdAt,
        afterId: page.after.id,
      });
    }
    const rows = await builder
      .orderBy("f.created_at", "DESC")
      .addOrderBy("f.id", "ASC")
      .skip(page.after === undefined ? page.offset : 0)
      .take(page.limit)
      .getMany();
    return { footprints: rows.map(toPublished), total };
  }
}

function withoutStatus(document: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...document };
  delete copy.status;
  return copy;
}

function toPublished(row: ProductFootprintEntity): PublishedFootprint {
  const status = row.status === "Deprecated" ? "Deprecated" : "Active";
  const { id, specVersion, precedingPfIds, created, ...rest } = row.document;
  return {
    id: row.id,
    lotId: row.lotId,
    calculationId: row.calculationId,
    ownerId: row.ownerId,
    status,
    // Keep the PACT member order: status follows created.
    document: {
      id,
      specVersion,
      ...(precedingPfIds === undefined ? {} : { precedingPfIds }),
      created,
      status,
      ...rest,
    },
    createdAt: row.createdAt,
  };
}

function toCalculation(row: FootprintCalculationEntity): CalculationRecord {
  return {
    id: row.id,
    lotId: row.lotId,
    libraryVersion: row.libraryVersion,
    inputsSha256: row.inputsSha256,
    totalKg: row.totalKg,
    perUnitKg: row.perUnitKg,
    result: row.result,
    createdAt: row.createdAt,
  };
}

function toBaseline(row: LotBaselineEntity): BaselineRecord {
  return { id: row.id, lotId: row.lotId, scenario: row.scenario, declaredBy: row.declaredBy, createdAt: row.createdAt };
}
