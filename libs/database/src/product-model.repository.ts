import type { DataSource } from "typeorm";
import { rows } from "./sql.js";

export interface ProductModelRecord {
  readonly id: string;
  readonly version: number;
  readonly body: Readonly<Record<string, unknown>>;
  readonly gtins: readonly string[];
  readonly createdBy: string | null;
  readonly createdAt: Date;
}

export interface NewProductModelVersion {
  readonly id: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly gtins: readonly string[];
  readonly createdBy: string | null;
  /** "new": the id must not be stored yet; "next": it must be (or `floor` > 0, a built-in model's version). */
  readonly expect: "new" | "next";
  /** Versions below this exist outside the database (a shipped model is version 1): the next is above it. */
  readonly floor: number;
}

export type AppendOutcome =
  | { readonly appended: ProductModelRecord }
  | { readonly conflict: "exists" | "missing" }
  | { readonly conflict: "gtin-taken"; readonly gtin: string; readonly model: string };

interface Row {
  id: string;
  version: number;
  body: Record<string, unknown>;
  gtins: string[];
  created_by: string | null;
  created_at: Date;
}

const COLUMNS = `"id", "version", "body", "gtins", "created_by", "created_at"`;

/** Product models, version by version; the only code querying `product_model`. */
export class ProductModelRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The latest version of every stored model, by id. */
  async latest(): Promise<ProductModelRecord[]> {
    const found = await rows<Row>(
      this.dataSource,
      `SELECT DISTINCT ON ("id") ${COLUMNS} FROM "product_model" ORDER BY "id", "version" DESC`,
      [],
    );
    return found.map(toRecord);
  }

  /** One version, or the latest when `version` is undefined. */
  async find(id: string, version?: number): Promise<ProductModelRecord | undefined> {
    const [row] = await rows<Row>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM "product_model" WHERE "id" = $1 AND ($2::integer IS NULL OR "version" = $2)
       ORDER BY "version" DESC LIMIT 1`,
      [id, version ?? null],
    );
    return row === undefined ? undefined : toRecord(row);
  }

  /** Every version of a model, oldest first. */
  async versions(id: string): Promise<ProductModelRecord[]> {
    const found = await rows<Row>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM "product_model" WHERE "id" = $1 ORDER BY "version"`,
      [id],
    );
    return found.map(toRecord);
  }

  /** The stored model whose latest version names this GTIN. */
  async forGtin(gtin: string): Promise<ProductModelRecord | undefined> {
    const [row] = await rows<Row>(
      this.dataSource,
      `SELECT * FROM (SELECT DISTINCT ON ("id") ${COLUMNS} FROM "product_model" ORDER BY "id", "version" DESC) latest
       WHERE $1 = ANY("gtins") ORDER BY "created_at" DESC LIMIT 1`,
      [gtin],
    );
    return row === undefined ? undefined : toRecord(row);
  }

  /**
   * Appends a version. Serialised across instances (one transaction-level advisory lock), so that two requests
   * can neither take the same version number nor give one GTIN to two models.
   */
  async append(input: NewProductModelVersion): Promise<AppendOutcome> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('product_model'))`);
      const [current] = await rows<{ version: number | null }>(
        manager,
        `SELECT max("version") AS "version" FROM "product_model" WHERE "id" = $1`,
        [input.id],
      );
      const stored = current?.version ?? 0;
      if (input.expect === "new" && (stored > 0 || input.floor > 0)) return { conflict: "exists" as const };
      if (input.expect === "next" && stored === 0 && input.floor === 0) return { conflict: "missing" as const };
      const [taken] = await rows<{ id: string; gtin: string }>(
        manager,
        `SELECT latest."id", g."gtin" FROM
           (SELECT DISTINCT ON ("id") "id", "gtins" FROM "product_model" ORDER BY "id", "version" DESC) latest
           CROSS JOIN LATERAL unnest(latest."gtins") AS g("gtin")
         WHERE latest."id" <> $1 AND g."gtin" = ANY($2::text[]) LIMIT 1`,
        [input.id, [...input.gtins]],
      );
      if (taken !== undefined) return { conflict: "gtin-taken" as const, gtin: taken.gtin, model: taken.id };
      const [row] = await rows<Row>(
        manager,
        `INSERT INTO "product_model" ("id", "version", "body", "gtins", "created_by") VALUES ($1, $2, $3, $4, $5)
         RETURNING ${COLUMNS}`,
        [input.id, Math.max(stored, input.floor) + 1, JSON.stringify(input.body), [...input.gtins], input.createdBy],
      );
      if (row === undefined) throw new Error("INSERT … RETURNING returned no row");
      return { appended: toRecord(row) };
    });
  }
}

function toRecord(row: Row): ProductModelRecord {
  return {
    id: row.id,
    version: row.version,
    body: row.body,
    gtins: row.gtins,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
