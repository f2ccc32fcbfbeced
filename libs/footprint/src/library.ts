import canonicalize from "canonicalize";
import { sha256 } from "ethers";
import { DomainError, utf8Bytes } from "#common";
import { BUILT_IN_FACTORS } from "./classification.js";
import type { EmissionFactor, FactorLibrary } from "./model.js";

/**
 * A library with the built-in factors added (those whose id the given factors do not already use), so that
 * what is stored or shown as a library version is what the engine computes with.
 */
export function createFactorLibrary(version: string, factors: readonly EmissionFactor[]): FactorLibrary {
  const ids = new Set(factors.map((factor) => factor.id));
  return { version, factors: [...factors, ...BUILT_IN_FACTORS.filter((factor) => !ids.has(factor.id))] };
}

/** A library looked up by id and by activity key; the built-in factors are always present. */
export interface LibraryIndex {
  readonly byId: ReadonlyMap<string, EmissionFactor>;
  readonly byActivity: ReadonlyMap<string, readonly EmissionFactor[]>;
}

const indexes = new WeakMap<FactorLibrary, LibraryIndex>();

/** The index of a library, built once per library object. A repeated id is an invalid library. */
export function indexOf(library: FactorLibrary): LibraryIndex {
  const cached = indexes.get(library);
  if (cached !== undefined) return cached;
  const byId = new Map<string, EmissionFactor>();
  for (const factor of library.factors) {
    if (byId.has(factor.id)) {
      throw new DomainError("FOOTPRINT.FACTOR_DUPLICATE", "invalid", `Factor id ${factor.id} appears twice`, {
        factorId: factor.id,
        libraryVersion: library.version,
      });
    }
    byId.set(factor.id, factor);
  }
  for (const factor of BUILT_IN_FACTORS) if (!byId.has(factor.id)) byId.set(factor.id, factor);
  const byActivity = new Map<string, EmissionFactor[]>();
  for (const factor of byId.values()) {
    if (factor.activity === undefined) continue;
    const list = byActivity.get(factor.activity) ?? [];
    list.push(factor);
    byActivity.set(factor.activity, list);
  }
  const index = { byId, byActivity };
  indexes.set(library, index);
  return index;
}

/** A factor's content as a version stores it (units and gas as text). */
export type StoredFactorContent = Omit<EmissionFactor, "perUnit" | "gas" | "activity"> & {
  readonly perUnit: string;
  readonly gas: string;
  readonly activity?: string | undefined;
};

/**
 * The SHA-256 (hex) of a library version's content: its factors sorted by id, as RFC 8785 canonical JSON. The
 * database states it for each version and proof bundles carry it, so anyone holding the factors can recompute it.
 */
export function librarySha256(factors: readonly StoredFactorContent[]): string {
  const canonical = [...factors]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((factor) => ({
      id: factor.id,
      name: factor.name,
      category: factor.category,
      value: factor.value,
      unit: factor.unit,
      perUnit: factor.perUnit,
      kgPerUnit: factor.kgPerUnit,
      gas: factor.gas,
      region: factor.region,
      year: factor.year,
      source: factor.source,
      sourceUrl: factor.sourceUrl,
      licence: factor.licence,
      activity: factor.activity ?? null,
    }));
  return sha256(utf8Bytes(canonicalize(canonical) ?? "")).slice(2);
}
