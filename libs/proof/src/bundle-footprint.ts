import { getAddress } from "ethers";
import {
  combinedMovement,
  lotMovementsOf,
  lotOf,
  readExtension,
  toText,
  type CarbonTraceExtension,
  type LotMovement,
} from "#capture";
import { isDomainError, type DomainError } from "#common";
import { namespacesOf } from "#epcis";
import {
  compareWithBaseline,
  computeLotFootprint,
  createFactorLibrary,
  type Activity,
  type FootprintEvent,
  type FootprintGraph,
  type FootprintLot,
  type FootprintResult,
} from "#footprint";
import { assessClaim, kgToGrams } from "#offsets";
import type {
  BundleClaim,
  BundleCore,
  BundleEvent,
  BundleFootprint,
  BundleParticipant,
  BundleRetirement,
  ProofBundle,
} from "./bundle.js";

/** What the claim is computed from: a version 3 bundle's events, lots, participants, library and baseline. */
export type ClaimSource = Pick<BundleCore, "lot" | "events" | "participants"> & { readonly footprint: BundleFootprint };

export interface ClaimOutcome {
  /** Null when the lot makes no claim: its footprint is zero, or cannot be computed (`problem`). */
  readonly claim: BundleClaim | null;
  readonly footprint: FootprintResult | null;
  readonly problem: DomainError | null;
}

/**
 * The claim a lot makes, computed from what a bundle holds and nothing else: the footprint of its events (those
 * not retracted) priced with its factor library, the baseline it declares, and the retirements given (the
 * service passes the ones it recorded; the verifier only those the ledger confirmed). The service and the verifier
 * run this same function, so a claim the bundle's own data does not support cannot pass.
 */
export function claimOfBundle(
  bundle: ClaimSource,
  retracted: ReadonlySet<string>,
  retirements: readonly Pick<BundleRetirement, "quantityKg">[],
): ClaimOutcome {
  let result: FootprintResult;
  let baselineKg: number | null;
  let claim: ReturnType<typeof assessClaim>;
  try {
    const library = createFactorLibrary(bundle.footprint.library.version, bundle.footprint.library.factors);
    result = computeLotFootprint(footprintGraphOfBundle(bundle, retracted), library);
    if (!(result.totalKg > 0)) return { claim: null, footprint: result, problem: null };
    const baseline = bundle.footprint.baseline;
    baselineKg =
      baseline === null
        ? null
        : compareWithBaseline(result, baseline, library).baselinePerUnitKg * result.declaredUnit.amount;
    const retiredKg = retirements.reduce((sum, retirement) => sum + Number(retirement.quantityKg), 0);
    claim = assessClaim({ footprintKg: result.totalKg, units: result.declaredUnit.amount, baselineKg, retiredKg });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { claim: null, footprint: null, problem: error };
  }
  const units = result.declaredUnit.amount;
  return {
    claim: {
      status: claim.status,
      units,
      footprintGrams: kgToGrams(result.totalKg, "up").toString(),
      baselineGrams: baselineKg === null ? null : kgToGrams(baselineKg, "down").toString(),
      retiredGrams: kgToGrams(claim.lot.retiredKg, "down").toString(),
    },
    footprint: result,
    problem: null,
  };
}

/**
 * What the lot graph is built from: signed events as a bundle carries them, and the country of each signer.
 * Narrower than a bundle, so that anything holding captured events (the bench, a partner's own tooling) builds
 * the graph the same way instead of keeping a copy of this function.
 */
export interface FootprintGraphSource {
  readonly lot: { readonly id: string };
  readonly events: readonly Pick<BundleEvent, "eventHash" | "event" | "signer" | "role" | "recordTime">[];
  readonly participants: readonly Pick<BundleParticipant, "address" | "country">[];
}

/**
 * The footprint engine's lot graph, rebuilt from a bundle's signed events: each event's activity data and lot
 * movements as capture reads them, the role it was recorded under, and its signer's country. Lots follow from
 * the movements the way the service books them: made by an event, or external (first seen as an input or in
 * custody, with the quantity that event states).
 */
export function footprintGraphOfBundle(bundle: FootprintGraphSource, retracted: ReadonlySet<string>): FootprintGraph {
  const countries = new Map(bundle.participants.map((p) => [getAddress(p.address), p.country ?? undefined]));
  const lots = new Map<string, { unit: string; produced: number; external: boolean }>();
  const events: FootprintEvent[] = [];
  for (const item of bundle.events) {
    if (retracted.has(item.eventHash)) continue;
    const read = readEvent(item.event);
    if (read === undefined) continue;
    const movements = mergedMovements(read.movements);
    for (const movement of movements) book(lots, movement);
    const consumed = new Set(movements.filter((m) => m.direction === "consumed").map((m) => m.lot.id));
    const region = countries.get(getAddress(item.signer));
    const { event } = item;
    events.push({
      eventHash: item.eventHash,
      eventTime: typeof event.eventTime === "string" ? event.eventTime : item.recordTime,
      role: item.role,
      bizStep: typeof event.bizStep === "string" ? event.bizStep : null,
      ...(read.extension.process === undefined ? {} : { process: read.extension.process }),
      ...(region === undefined ? {} : { region }),
      activities: activitiesOf(read.extension, consumed),
      movements: movements.map((movement) => ({
        lotId: movement.lot.id,
        direction: movement.direction,
        amount: Number(toText(movement.amount)),
        ...(movement.massKg === undefined ? {} : { massKg: Number(toText(movement.massKg)) }),
      })),
    });
  }
  const footprintLots: FootprintLot[] = [...lots].map(([id, lot]) => ({ id, ...lot }));
  return { target: bundle.lot.id, events, lots: footprintLots };
}

function readEvent(
  event: Readonly<Record<string, unknown>>,
): { extension: CarbonTraceExtension; movements: LotMovement[] } | undefined {
  try {
    const extension = readExtension(event, namespacesOf({ "@context": event["@context"] }));
    return { extension, movements: lotMovementsOf(event, extension) };
  } catch (error) {
    // An event that cannot be read fails its own checks; it adds nothing to the footprint.
    if (isDomainError(error)) return undefined;
    throw error;
  }
}

/** One movement per lot and direction, as the service records them. */
function mergedMovements(movements: readonly LotMovement[]): LotMovement[] {
  const merged = new Map<string, LotMovement>();
  for (const movement of movements) {
    const key = `${movement.direction} ${movement.lot.id}`;
    const previous = merged.get(key);
    merged.set(key, previous === undefined ? movement : combinedMovement(previous, movement));
  }
  return [...merged.values()];
}

function book(lots: Map<string, { unit: string; produced: number; external: boolean }>, movement: LotMovement): void {
  const amount = Number(toText(movement.amount));
  const lot = lots.get(movement.lot.id);
  if (movement.direction === "produced") {
    if (lot === undefined) lots.set(movement.lot.id, { unit: movement.unit, produced: amount, external: false });
    else lot.produced += amount;
  } else if (lot === undefined) {
    lots.set(movement.lot.id, { unit: movement.unit, produced: amount, external: true });
  }
}

/**
 * The extension's activity lists as the engine's activities, in a fixed order (the index names each one). A
 * material is traced when its `epcClass` names a lot the event consumed: that lot's footprint comes in through
 * the graph.
 */
export function activitiesOf(extension: CarbonTraceExtension, consumed: ReadonlySet<string>): Activity[] {
  const { electricity, fuels, transport, materials } = extension.activity;
  return [
    ...electricity.map((use): Activity => ({
      kind: "electricity",
      kWh: use.kWh,
      gridRegion: use.gridRegion,
      ...(use.renewable === undefined ? {} : { renewable: use.renewable }),
      basis: use.basis,
      ...(use.factorId === undefined ? {} : { factorId: use.factorId }),
    })),
    ...fuels.map((use): Activity => ({
      kind: "fuel",
      fuelType: use.fuelType,
      amount: use.amount,
      unit: use.unit,
      basis: use.basis,
      ...(use.factorId === undefined ? {} : { factorId: use.factorId }),
    })),
    ...transport.map((leg): Activity => ({
      kind: "transport",
      mode: leg.mode,
      ...(leg.vehicle === undefined ? {} : { vehicle: leg.vehicle }),
      distanceKm: leg.distanceKm,
      massKg: leg.massKg,
      ...(leg.region === undefined ? {} : { region: leg.region }),
      basis: leg.basis,
      ...(leg.factorId === undefined ? {} : { factorId: leg.factorId }),
    })),
    ...materials.map((input): Activity => ({
      kind: "material",
      material: input.material,
      origin: input.origin,
      massKg: input.massKg,
      basis: input.basis,
      ...(input.factorId === undefined ? {} : { factorId: input.factorId }),
      traced: input.epcClass !== undefined && consumed.has(lotIdOf(input.epcClass) ?? ""),
    })),
  ];
}

/** The lot a material's `epcClass` names; undefined for a class that is no lot or can never be one. */
function lotIdOf(epcClass: string): string | undefined {
  try {
    return lotOf(epcClass)?.id;
  } catch (error) {
    if (isDomainError(error)) return undefined;
    throw error;
  }
}

/** Whether a bundle carries what its claim is computed from (version 3). */
export function hasClaimSource(bundle: ProofBundle): bundle is ProofBundle & ClaimSource {
  return bundle.footprint !== undefined;
}
