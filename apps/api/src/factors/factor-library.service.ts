import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Injectable, Logger, type OnModuleInit } from "@nestjs/common";
import { DomainError } from "#common";
import {
  FactorRepository,
  type FactorSearch,
  type LibraryVersionRecord,
  type NewFactor,
  type StoredFactor,
} from "#database";
import {
  BUILT_IN_FACTORS,
  createFactorLibrary,
  factorFromInput,
  parseFactorsCsv,
  type EmissionFactor,
  type FactorInput,
  type FactorLibrary,
} from "#footprint";
import { projectRoot } from "#runtime";

/** The curated factor set shipped with the service (a copy of the workplace's `shared/data`). */
export const BUNDLED_FACTORS_CSV = join("libs", "footprint", "data", "emission-factors.csv");

/**
 * The emission factor library: seeded from the bundled CSV on first start, extended by administrators, each
 * version immutable (and cached once read, since it can never change).
 */
@Injectable()
export class FactorLibraryService implements OnModuleInit {
  private readonly log = new Logger("factors");
  private readonly cache = new Map<number, Promise<FactorLibrary>>();

  constructor(private readonly factors: FactorRepository) {}

  async onModuleInit(): Promise<void> {
    await this.ensureBundled();
  }

  /**
   * Version 1 is the bundled set plus the built-in method factors. A later release that bundles factors the
   * library lacks adds them as a new version; a bundled row whose id exists with other content is reported,
   * never written over (factors are immutable).
   */
  async ensureBundled(): Promise<void> {
    const text = await readFile(join(projectRoot(), BUNDLED_FACTORS_CSV), "utf8");
    const parsed = parseFactorsCsv(text);
    const bundled = [...BUILT_IN_FACTORS, ...parsed.factors];
    const seeded = await this.factors.addVersion({
      description: `Bundled factor set: ${String(parsed.factors.length)} factors from ${BUNDLED_FACTORS_CSV} and ${String(BUILT_IN_FACTORS.length)} built-in method factors`,
      createdBy: "bundled",
      factors: bundled.map(toNewFactor),
      onlyIfEmpty: true,
    });
    if (seeded !== undefined) {
      this.log.log("emission factor library seeded", {
        version: seeded.version,
        factors: seeded.factorCount,
        skippedRows: parsed.skipped.length,
      });
      return;
    }
    await this.addMissingBundled(bundled);
  }

  async latest(): Promise<LibraryVersionRecord> {
    const latest = await this.factors.latestVersion();
    if (latest === undefined)
      throw new DomainError("FACTOR.LIBRARY_EMPTY", "unavailable", "The factor library is empty");
    return latest;
  }

  async version(version: number): Promise<LibraryVersionRecord> {
    const record = await this.factors.version(version);
    if (record === undefined) {
      throw new DomainError(
        "FACTOR.VERSION_NOT_FOUND",
        "not-found",
        `There is no factor library version ${String(version)}`,
        {
          version,
        },
      );
    }
    return record;
  }

  /** Factors matching a search, in a version that exists (default: the latest), a page at a time. */
  async search(
    query: Omit<FactorSearch, "version"> & { version?: number },
  ): Promise<{ version: number; factors: StoredFactor[]; next: string | null }> {
    const version = query.version ?? (await this.latest()).version;
    await this.version(version);
    const factors = await this.factors.search({ ...query, version });
    return { version, factors, next: factors.length === query.limit ? (factors.at(-1)?.id ?? null) : null };
  }

  versions(): Promise<LibraryVersionRecord[]> {
    return this.factors.versions();
  }

  async versionWithFactors(version: number): Promise<{ record: LibraryVersionRecord; factors: StoredFactor[] }> {
    const record = await this.version(version);
    return { record, factors: await this.factors.factorsOf(version) };
  }

  /** One factor, and the factor that corrects it in a later version, if any. */
  async factor(id: string): Promise<StoredFactor & { supersededBy: string | null }> {
    const factor = await this.factors.factor(id);
    if (factor === undefined) {
      throw new DomainError("FACTOR.NOT_FOUND", "not-found", `There is no emission factor "${id}"`, { id });
    }
    return { ...factor, supersededBy: (await this.factors.supersededBy(id))?.id ?? null };
  }

  /** The library at a version (default: the latest), ready for the engine. */
  async library(version?: number): Promise<FactorLibrary> {
    const resolved = version ?? (await this.latest()).version;
    let library = this.cache.get(resolved);
    if (library === undefined) {
      library = this.load(resolved);
      this.cache.set(resolved, library);
      library.catch(() => this.cache.delete(resolved));
    }
    return library;
  }

  /** Adds administrator-submitted factors as a new library version (all or nothing). */
  async add(
    description: string,
    inputs: ReadonlyArray<FactorInput & { supersedes?: string }>,
  ): Promise<LibraryVersionRecord> {
    const factors = inputs.map((input) => ({
      ...toNewFactor(factorFromInput(input)),
      ...(input.supersedes === undefined ? {} : { supersedes: input.supersedes }),
    }));
    const added = await this.factors.addVersion({ description, createdBy: "admin", factors });
    if (added === undefined) throw new Error("a factor library version was not created");
    this.log.log("emission factor library version added", { version: added.version, added: factors.length });
    return added;
  }

  private async load(version: number): Promise<FactorLibrary> {
    await this.version(version);
    const factors = await this.factors.factorsOf(version);
    return createFactorLibrary(String(version), factors.map(toEmissionFactor));
  }

  private async addMissingBundled(bundled: readonly EmissionFactor[]): Promise<void> {
    const latest = await this.latest();
    const current = new Map((await this.factors.factorsOf(latest.version)).map((factor) => [factor.id, factor]));
    const known = new Set(current.keys());
    for (const factor of bundled) {
      const existing = current.get(factor.id) ?? (await this.factors.factor(factor.id));
      if (existing !== undefined) {
        known.add(factor.id);
        if (!sameFactor(existing, factor)) {
          this.log.warn("a bundled factor differs from the stored one of the same id; the stored one stays", {
            id: factor.id,
          });
        }
      }
    }
    const missing = bundled.filter((factor) => !known.has(factor.id));
    if (missing.length === 0) return;
    const added = await this.factors.addVersion({
      description: `Bundled factors added by a newer release: ${missing.map((factor) => factor.id).join(", ")}`,
      createdBy: "bundled",
      factors: missing.map(toNewFactor),
    });
    this.log.log("bundled emission factors added", { version: added?.version, added: missing.length });
  }
}

function toNewFactor(factor: EmissionFactor): NewFactor {
  return { ...factor, activity: factor.activity };
}

function toEmissionFactor(factor: StoredFactor): EmissionFactor {
  return {
    id: factor.id,
    name: factor.name,
    category: factor.category,
    value: factor.value,
    unit: factor.unit,
    perUnit: factor.perUnit as EmissionFactor["perUnit"],
    kgPerUnit: factor.kgPerUnit,
    gas: factor.gas === "CO2" ? "CO2" : "CO2e",
    region: factor.region,
    year: factor.year,
    source: factor.source,
    sourceUrl: factor.sourceUrl,
    licence: factor.licence,
    activity: factor.activity,
  };
}

function sameFactor(stored: StoredFactor, bundled: EmissionFactor): boolean {
  return (
    stored.value === bundled.value &&
    stored.unit === bundled.unit &&
    stored.kgPerUnit === bundled.kgPerUnit &&
    stored.region === bundled.region &&
    stored.year === bundled.year &&
    stored.activity === bundled.activity
  );
}
