import { enqueueChainJob } from "./chain-job.repository.js";
import type { DataSource, EntityManager } from "typeorm";
import { DomainError } from "#common";
import { ProductEntity } from "./entities/product.entity.js";
import { pgCode } from "./sql.js";

const EXCLUSION_VIOLATION = "23P01";

export interface ProductRecord {
  readonly gtin: string;
  readonly name: { readonly en: string; readonly zh: string };
  readonly description: { readonly en: string | null; readonly zh: string | null };
  readonly registeredBy: string | null;
  readonly updatedAt: Date;
}

/** One naming of a product: what it was called, by whom (null: the administrator) and when. */
export interface ProductRevisionRecord {
  readonly name: { readonly en: string; readonly zh: string };
  readonly description: { readonly en: string | null; readonly zh: string | null };
  readonly changedBy: { readonly id: string; readonly organisation: string } | null;
  readonly changedAt: Date;
}

export interface NewProduct {
  readonly gtin: string;
  readonly name: { readonly en: string; readonly zh: string };
  readonly description?: { readonly en?: string; readonly zh?: string };
  readonly registeredBy: string | null;
}

export interface NewHolding {
  readonly registry: string;
  readonly serialBlock: string;
  readonly projectId: string;
  readonly vintage: number;
  readonly country: string | null;
  readonly firstSerial: bigint;
  readonly lastSerial: bigint;
  readonly serial: string;
  readonly details: Record<string, unknown>;
  readonly registeredBy: string | null;
}

export interface HoldingRecord extends Omit<NewHolding, "registeredBy"> {
  readonly id: string;
  readonly registeredBy: string | null;
  readonly createdAt: Date;
  /** Credits retired or reserved for a retirement. */
  readonly usedCredits: bigint;
}

export type RetirementStatus = "pending" | "retired" | "failed";

export interface RetirementRecord {
  readonly id: string;
  readonly holdingId: string;
  readonly lotId: string;
  readonly registry: string;
  readonly serialBlock: string;
  readonly projectId: string;
  readonly vintage: number;
  readonly firstSerial: bigint;
  readonly lastSerial: bigint;
  readonly serial: string;
  readonly quantityKg: number;
  readonly beneficiary: string;
  readonly reason: string | null;
  readonly status: RetirementStatus;
  readonly txHash: string | null;
  readonly blockNumber: number | null;
  readonly chainRetirementId: number | null;
  readonly retiredAt: Date | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
}

export interface RetirementRequest {
  readonly holdingId: string;
  readonly lotId: string;
  /** Which serials: how many credits (the lowest free serials of the holding), or an explicit range in it. */
  readonly serials: { readonly credits: bigint } | { readonly first: bigint; readonly last: bigint };
  readonly beneficiary: string;
  readonly reason: string | null;
  readonly requestedBy: string | null;
  /** The registry serial of a sub-range of the holding. */
  readonly serialOf: (holding: HoldingRecord, first: bigint, last: bigint) => string;
}

/** Products, carbon-credit holdings and their retirements for lots. */
export class OffsetRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Names (or renames) a product and keeps the naming in its history, in one transaction. */
  async saveProduct(product: NewProduct): Promise<ProductRecord> {
    const values = [
      product.gtin,
      product.name.en,
      product.name.zh,
      product.description?.en ?? null,
      product.description?.zh ?? null,
      product.registeredBy,
    ];
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO "product" ("gtin", "name_en", "name_zh", "description_en", "description_zh", "registered_by")
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT ("gtin") DO UPDATE SET "name_en" = EXCLUDED."name_en", "name_zh" = EXCLUDED."name_zh",
           "description_en" = EXCLUDED."description_en", "description_zh" = EXCLUDED."description_zh", "updated_at" = now()`,
        values,
      );
      await manager.query(
        `INSERT INTO "product_revision" ("gtin", "name_en", "name_zh", "description_en", "description_zh", "changed_by")
         VALUES ($1, $2, $3, $4, $5, $6)`,
        values,
      );
    });
    const saved = await this.product(product.gtin);
    if (saved === undefined) throw new Error(`product ${product.gtin} vanished after saving`);
    return saved;
  }

  /** Every naming of a product, oldest first. */
  async productHistory(gtin: string): Promise<ProductRevisionRecord[]> {
    const found = await this.dataSource.query<
      Array<{
        name_en: string;
        name_zh: string;
        description_en: string | null;
        description_zh: string | null;
        changed_by: string | null;
        organisation: string | null;
        changed_at: Date;
      }>
    >(
      `SELECT r."name_en", r."name_zh", r."description_en", r."description_zh", r."changed_by", p."organisation", r."changed_at"
       FROM "product_revision" r LEFT JOIN "participant" p ON p."id" = r."changed_by"
       WHERE r."gtin" = $1 ORDER BY r."changed_at", r."id"`,
      [gtin],
    );
    return found.map((row) => ({
      name: { en: row.name_en, zh: row.name_zh },
      description: { en: row.description_en, zh: row.description_zh },
      changedBy: row.changed_by === null ? null : { id: row.changed_by, organisation: row.organisation ?? "" },
      changedAt: row.changed_at,
    }));
  }

  async product(gtin: string): Promise<ProductRecord | undefined> {
    const row = await this.dataSource.getRepository(ProductEntity).findOneBy({ gtin });
    return row === null ? undefined : toProduct(row);
  }

  /** Registers credits held on a registry; a range overlapping one already registered is refused. */
  async addHolding(holding: NewHolding): Promise<HoldingRecord> {
    try {
      const [row] = await this.dataSource.query<Array<{ id: string }>>(
        `INSERT INTO "credit_holding" ("registry", "serial_block", "project_id", "vintage", "country", "first_serial",
           "last_serial", "serial", "details", "registered_by")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10) RETURNING "id"`,
        [
          holding.registry,
          holding.serialBlock,
          holding.projectId,
          holding.vintage,
          holding.country,
          holding.firstSerial.toString(),
          holding.lastSerial.toString(),
          holding.serial,
          JSON.stringify(holding.details),
          holding.registeredBy,
        ],
      );
      return await this.requireHolding(row?.id ?? "");
    } catch (error) {
      if (pgCode(error) !== EXCLUSION_VIOLATION) throw error;
      throw new DomainError(
        "OFFSET.HOLDING_OVERLAPS",
        "conflict",
        `Serials ${holding.firstSerial}–${holding.lastSerial} of ${holding.registry} block ${holding.serialBlock} overlap credits already registered`,
        { registry: holding.registry, serialBlock: holding.serialBlock },
      );
    }
  }

  async holdings(): Promise<HoldingRecord[]> {
    const rows = await this.dataSource.query<HoldingRow[]>(`${HOLDING_SELECT} ORDER BY h."created_at", h."id"`, []);
    return rows.map(toHolding);
  }

  async holding(id: string, manager: EntityManager | DataSource = this.dataSource): Promise<HoldingRecord | undefined> {
    const [row] = await manager.query<HoldingRow[]>(`${HOLDING_SELECT} WHERE h."id" = $1`, [id]);
    return row === undefined ? undefined : toHolding(row);
  }

  /**
   * Reserves the lowest free serials of a holding for a lot ("pending"), under a lock on the holding. The
   * exclusion constraint is the last word: a range retired through another holding row can never be reserved.
   */
  async reserveRetirement(request: RetirementRequest): Promise<RetirementRecord> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM "credit_holding" WHERE "id" = $1 FOR UPDATE`, [request.holdingId]);
      const holding = await this.holding(request.holdingId, manager);
      if (holding === undefined) throw holdingNotFound(request.holdingId);
      const { first, last } =
        "credits" in request.serials
          ? await this.firstFreeRange(manager, holding, request.serials.credits)
          : withinHolding(holding, request.serials.first, request.serials.last);
      try {
        const [row] = await manager.query<Array<{ id: string }>>(
          `INSERT INTO "offset_retirement" ("holding_id", "lot_id", "registry", "serial_block", "first_serial", "last_serial",
             "serial", "quantity_kg", "beneficiary", "reason", "status", "requested_by")
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11) RETURNING "id"`,
          [
            holding.id,
            request.lotId,
            holding.registry,
            holding.serialBlock,
            first.toString(),
            last.toString(),
            request.serialOf(holding, first, last),
            ((last - first + 1n) * 1000n).toString(),
            request.beneficiary,
            request.reason,
            request.requestedBy,
          ],
        );
        const retirement = await this.requireRetirement(row?.id ?? "", manager);
        await enqueueChainJob(manager, "retirement", retirement.id);
        return retirement;
      } catch (error) {
        if (pgCode(error) !== EXCLUSION_VIOLATION) throw error;
        throw alreadyRetired(holding.registry, holding.serialBlock, first, last);
      }
    });
  }

  async markRetirement(
    id: string,
    update: {
      status: RetirementStatus;
      txHash?: string;
      blockNumber?: number;
      chainRetirementId?: number;
      error?: string;
    },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE "offset_retirement" SET "status" = $2, "tx_hash" = COALESCE($3, "tx_hash"),
         "block_number" = COALESCE($4, "block_number"), "chain_retirement_id" = COALESCE($5, "chain_retirement_id"),
         "retired_at" = CASE WHEN $2 = 'retired' THEN COALESCE("retired_at", now()) ELSE "retired_at" END,
         "last_error" = $6
       WHERE "id" = $1`,
      [
        id,
        update.status,
        update.txHash ?? null,
        update.blockNumber ?? null,
        update.chainRetirementId ?? null,
        update.error ?? null,
      ],
    );
  }

  async retirement(id: string): Promise<RetirementRecord | undefined> {
    const [row] = await this.dataSource.query<RetirementRow[]>(`${RETIREMENT_SELECT} WHERE r."id" = $1`, [id]);
    return row === undefined ? undefined : toRetirement(row);
  }

  /** Retirements bound to a lot (every status), oldest first. */
  async retirementsOfLot(lotId: string): Promise<RetirementRecord[]> {
    const rows = await this.dataSource.query<RetirementRow[]>(
      `${RETIREMENT_SELECT} WHERE r."lot_id" = $1 ORDER BY r."created_at", r."id"`,
      [lotId],
    );
    return rows.map(toRetirement);
  }

  private async requireHolding(id: string): Promise<HoldingRecord> {
    const holding = await this.holding(id);
    if (holding === undefined) throw holdingNotFound(id);
    return holding;
  }

  private async requireRetirement(id: string, manager: EntityManager): Promise<RetirementRecord> {
    const [row] = await manager.query<RetirementRow[]>(`${RETIREMENT_SELECT} WHERE r."id" = $1`, [id]);
    if (row === undefined) throw new Error(`retirement ${id} vanished after saving`);
    return toRetirement(row);
  }

  /** First serial of the lowest gap of `credits` serials in the holding that no live retirement uses. */
  private async firstFreeRange(
    manager: EntityManager,
    holding: HoldingRecord,
    credits: bigint,
  ): Promise<{ first: bigint; last: bigint }> {
    const used = await manager.query<Array<{ first_serial: string; last_serial: string }>>(
      `SELECT "first_serial", "last_serial" FROM "offset_retirement"
       WHERE "registry" = $1 AND "serial_block" = $2 AND "status" <> 'failed'
         AND numrange("first_serial", "last_serial", '[]') && numrange($3::numeric, $4::numeric, '[]')
       ORDER BY "first_serial"`,
      [holding.registry, holding.serialBlock, holding.firstSerial.toString(), holding.lastSerial.toString()],
    );
    let candidate = holding.firstSerial;
    for (const range of used) {
      if (BigInt(range.first_serial) - candidate >= credits) break;
      candidate = BigInt(range.last_serial) + 1n;
    }
    if (candidate + credits - 1n > holding.lastSerial) {
      throw new DomainError(
        "OFFSET.INSUFFICIENT_CREDITS",
        "conflict",
        `Holding ${holding.id} has no ${credits} unretired consecutive credits left (${holding.lastSerial - holding.firstSerial + 1n - holding.usedCredits} unretired in all)`,
        { holding: holding.id, requested: credits.toString() },
      );
    }
    return { first: candidate, last: candidate + credits - 1n };
  }
}

function withinHolding(holding: HoldingRecord, first: bigint, last: bigint): { first: bigint; last: bigint } {
  if (first > last || first < holding.firstSerial || last > holding.lastSerial) {
    throw new DomainError(
      "OFFSET.RANGE_OUTSIDE_HOLDING",
      "invalid",
      `Serials ${first}–${last} are not within holding ${holding.id} (${holding.firstSerial}–${holding.lastSerial})`,
      { holding: holding.id },
    );
  }
  return { first, last };
}

interface HoldingRow {
  id: string;
  registry: string;
  serial_block: string;
  project_id: string;
  vintage: number;
  country: string | null;
  first_serial: string;
  last_serial: string;
  serial: string;
  details: Record<string, unknown>;
  registered_by: string | null;
  created_at: Date;
  used_credits: string;
}

const HOLDING_SELECT = `SELECT h.*, COALESCE((SELECT sum(r."last_serial" - r."first_serial" + 1) FROM "offset_retirement" r
    WHERE r."holding_id" = h."id" AND r."status" <> 'failed'), 0) AS "used_credits"
  FROM "credit_holding" h`;

interface RetirementRow {
  id: string;
  holding_id: string;
  lot_id: string;
  registry: string;
  serial_block: string;
  project_id: string;
  vintage: number;
  first_serial: string;
  last_serial: string;
  serial: string;
  quantity_kg: string;
  beneficiary: string;
  reason: string | null;
  status: RetirementStatus;
  tx_hash: string | null;
  block_number: string | null;
  chain_retirement_id: string | null;
  retired_at: Date | null;
  last_error: string | null;
  created_at: Date;
}

const RETIREMENT_SELECT = `SELECT r.*, h."project_id", h."vintage" FROM "offset_retirement" r
  JOIN "credit_holding" h ON h."id" = r."holding_id"`;

function toProduct(row: ProductEntity): ProductRecord {
  return {
    gtin: row.gtin,
    name: { en: row.nameEn, zh: row.nameZh },
    description: { en: row.descriptionEn, zh: row.descriptionZh },
    registeredBy: row.registeredBy,
    updatedAt: row.updatedAt,
  };
}

function toHolding(row: HoldingRow): HoldingRecord {
  return {
    id: row.id,
    registry: row.registry,
    serialBlock: row.serial_block,
    projectId: row.project_id,
    vintage: row.vintage,
    country: row.country,
    firstSerial: BigInt(row.first_serial),
    lastSerial: BigInt(row.last_serial),
    serial: row.serial,
    details: row.details,
    registeredBy: row.registered_by,
    createdAt: row.created_at,
    usedCredits: BigInt(row.used_credits),
  };
}

function toRetirement(row: RetirementRow): RetirementRecord {
  return {
    id: row.id,
    holdingId: row.holding_id,
    lotId: row.lot_id,
    registry: row.registry,
    serialBlock: row.serial_block,
    projectId: row.project_id,
    vintage: row.vintage,
    firstSerial: BigInt(row.first_serial),
    lastSerial: BigInt(row.last_serial),
    serial: row.serial,
    quantityKg: Number(row.quantity_kg),
    beneficiary: row.beneficiary,
    reason: row.reason,
    status: row.status,
    txHash: row.tx_hash,
    blockNumber: row.block_number === null ? null : Number(row.block_number),
    chainRetirementId: row.chain_retirement_id === null ? null : Number(row.chain_retirement_id),
    retiredAt: row.retired_at,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

function holdingNotFound(id: string): DomainError {
  return new DomainError("OFFSET.HOLDING_NOT_FOUND", "not-found", `There is no credit holding ${id}`, { holding: id });
}

function alreadyRetired(registry: string, serialBlock: string, first: bigint, last: bigint): DomainError {
  return new DomainError(
    "OFFSET.ALREADY_RETIRED",
    "conflict",
    `Serials ${first}–${last} of ${registry} block ${serialBlock} are already retired`,
    { registry, serialBlock, firstSerial: first.toString(), lastSerial: last.toString() },
  );
}
