import type { DataSource, EntityManager } from "typeorm";
import { DomainError } from "#common";
import { librarySha256 } from "#footprint";
import { EmissionFactorEntity } from "./entities/emission-factor.entity.js";
import { FactorLibraryVersionEntity } from "./entities/factor-library-version.entity.js";

/** An emission factor as stored (the footprint engine's `EmissionFactor`). */
export interface FactorRecord {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly value: number;
  readonly unit: string;
  readonly perUnit: string;
  readonly kgPerUnit: number;
  readonly gas: string;
  readonly region: string;
  readonly year: number;
  readonly source: string;
  readonly sourceUrl: string;
  readonly licence: string;
  readonly activity: string | undefined;
}

export interface StoredFactor extends FactorRecord {
  readonly addedIn: number;
  readonly supersedes: string | undefined;
}

export interface NewFactor extends FactorRecord {
  readonly supersedes?: string;
}

export interface LibraryVersionRecord {
  readonly version: number;
  readonly description: string;
  readonly createdBy: string;
  readonly factorCount: number;
  readonly contentSha256: string;
  readonly createdAt: Date;
}

export interface FactorSearch {
  readonly version: number;
  readonly category?: string;
  readonly region?: string;
  readonly year?: number;
  readonly activity?: string;
  /** Words that must all occur in the name, id or source (case-insensitive). */
  readonly q?: string;
  readonly limit: number;
  /** The last id of the previous page. */
  readonly after?: string;
}

/**
 * The versioned emission factor library. Factors are only ever inserted (a trigger refuses UPDATE and DELETE);
 * a new version adds factors and may supersede older ones, and every version stays readable as it was.
 */
export class FactorRepository {
  constructor(private readonly dataSource: DataSource) {}

  async latestVersion(): Promise<LibraryVersionRecord | undefined> {
    const row = await this.dataSource
      .getRepository(FactorLibraryVersionEntity)
      .findOne({ where: {}, order: { version: "DESC" } });
    return row === null ? undefined : toVersion(row);
  }

  async version(version: number): Promise<LibraryVersionRecord | undefined> {
    const row = await this.dataSource.getRepository(FactorLibraryVersionEntity).findOneBy({ version });
    return row === null ? undefined : toVersion(row);
  }

  async versions(): Promise<LibraryVersionRecord[]> {
    const rows = await this.dataSource.getRepository(FactorLibraryVersionEntity).find({ order: { version: "ASC" } });
    return rows.map(toVersion);
  }

  /** Every factor of a library version. */
  async factorsOf(version: number, manager: EntityManager = this.dataSource.manager): Promise<StoredFactor[]> {
    const rows = await this.inVersion(manager, version).orderBy("f.id").getMany();
    return rows.map(toFactor);
  }

  async search(query: FactorSearch): Promise<StoredFactor[]> {
    const builder = this.inVersion(this.dataSource.manager, query.version);
    if (query.category !== undefined) builder.andWhere("f.category = :category", { category: query.category });
    if (query.region !== undefined) builder.andWhere("upper(f.region) = upper(:region)", { region: query.region });
    if (query.year !== undefined) builder.andWhere("f.year = :year", { year: query.year });
    if (query.activity !== undefined) builder.andWhere("f.activity = :activity", { activity: query.activity });
    for (const [index, word] of (query.q ?? "").split(/\s+/).filter(Boolean).entries()) {
      builder.andWhere(`concat_ws(' ', f.id, f.name, f.source) ILIKE :word${String(index)}`, {
        [`word${String(index)}`]: `%${escapeLike(word)}%`,
      });
    }
    if (query.after !== undefined) builder.andWhere("f.id > :after", { after: query.after });
    const rows = await builder.orderBy("f.id").limit(query.limit).getMany();
    return rows.map(toFactor);
  }

  /** A factor by id, with the version that added it; undefined if no version has it. */
  async factor(id: string): Promise<StoredFactor | undefined> {
    const row = await this.dataSource.getRepository(EmissionFactorEntity).findOneBy({ id });
    return row === null ? undefined : toFactor(row);
  }

  /** The latest version that holds the factor, i.e. whether a newer version superseded it. */
  async supersededBy(id: string): Promise<StoredFactor | undefined> {
    const row = await this.dataSource.getRepository(EmissionFactorEntity).findOneBy({ supersedes: id });
    return row === null ? undefined : toFactor(row);
  }

  /**
   * Creates the next library version from the latest one plus `factors` (each may supersede one factor of the
   * latest version). Serialised by a table lock, so concurrent additions get consecutive versions. With
   * `onlyIfEmpty`, does nothing (returns undefined) when a version exists: the seed of a fresh installation.
   */
  async addVersion(input: {
    readonly description: string;
    readonly createdBy: string;
    readonly factors: readonly NewFactor[];
    readonly onlyIfEmpty?: boolean;
  }): Promise<LibraryVersionRecord | undefined> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`LOCK TABLE "factor_library_version" IN SHARE ROW EXCLUSIVE MODE`);
      const [latest] = await manager.query<Array<{ version: number | null }>>(
        `SELECT max("version") AS version FROM "factor_library_version"`,
      );
      const previous = latest?.version ?? 0;
      if (input.onlyIfEmpty === true && previous > 0) return undefined;
      const current = previous === 0 ? [] : await this.factorsOf(previous, manager);
      const next = nextLibrary(current, input.factors);
      const version = previous + 1;
      const entity = manager.create(FactorLibraryVersionEntity, {
        version,
        description: input.description,
        createdBy: input.createdBy,
        factorCount: next.length,
        contentSha256: librarySha256(next),
      });
      await manager.save(entity);
      for (let start = 0; start < input.factors.length; start += 500) {
        const chunk = input.factors.slice(start, start + 500).map((factor) => toEntity(factor, version));
        await manager.createQueryBuilder().insert().into(EmissionFactorEntity).values(chunk).execute();
      }
      const saved = await manager.findOneByOrFail(FactorLibraryVersionEntity, { version });
      return toVersion(saved);
    });
  }

  private inVersion(manager: EntityManager, version: number) {
    return manager
      .getRepository(EmissionFactorEntity)
      .createQueryBuilder("f")
      .where("f.added_in <= :version", { version })
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM "emission_factor" s WHERE s."supersedes" = f."id" AND s."added_in" <= :version)`,
      );
  }
}

/** The library after adding `additions` to `current`: checks ids are new and superseded factors exist. */
function nextLibrary(current: readonly StoredFactor[], additions: readonly NewFactor[]): FactorRecord[] {
  const byId = new Map<string, FactorRecord>(current.map((factor) => [factor.id, factor]));
  const seen = new Set<string>();
  for (const factor of additions) {
    if (byId.has(factor.id) || seen.has(factor.id)) {
      throw new DomainError("FACTOR.DUPLICATE_ID", "conflict", `A factor with id "${factor.id}" already exists`, {
        id: factor.id,
      });
    }
    seen.add(factor.id);
    if (factor.supersedes !== undefined && !byId.delete(factor.supersedes)) {
      throw new DomainError(
        "FACTOR.SUPERSEDES_UNKNOWN",
        "invalid",
        `Factor "${factor.id}" supersedes "${factor.supersedes}", which is not in the latest library version`,
        { id: factor.id, supersedes: factor.supersedes },
      );
    }
  }
  for (const factor of additions) byId.set(factor.id, factor);
  return [...byId.values()];
}

function toEntity(factor: NewFactor, version: number): Partial<EmissionFactorEntity> {
  return {
    id: factor.id,
    name: factor.name,
    category: factor.category,
    value: String(factor.value),
    unit: factor.unit,
    perUnit: factor.perUnit,
    kgPerUnit: String(factor.kgPerUnit),
    gas: factor.gas,
    region: factor.region,
    year: factor.year,
    source: factor.source,
    sourceUrl: factor.sourceUrl,
    licence: factor.licence,
    activity: factor.activity ?? null,
    addedIn: version,
    supersedes: factor.supersedes ?? null,
  };
}

function toFactor(row: EmissionFactorEntity): StoredFactor {
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    value: Number(row.value),
    unit: row.unit,
    perUnit: row.perUnit,
    kgPerUnit: Number(row.kgPerUnit),
    gas: row.gas,
    region: row.region,
    year: row.year,
    source: row.source,
    sourceUrl: row.sourceUrl,
    licence: row.licence,
    activity: row.activity ?? undefined,
    addedIn: row.addedIn,
    supersedes: row.supersedes ?? undefined,
  };
}

function toVersion(row: FactorLibraryVersionEntity): LibraryVersionRecord {
  return {
    version: row.version,
    description: row.description,
    createdBy: row.createdBy,
    factorCount: row.factorCount,
    contentSha256: row.contentSha256,
    createdAt: row.createdAt,
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
