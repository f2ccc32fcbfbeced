import { lotOf, readExtension, type CarbonTraceExtension } from "#capture";
import { isDomainError } from "#common";
import type { FootprintInputs } from "#database";
import { namespacesOfContext } from "#epcis";
import type { Activity, FootprintEvent, FootprintGraph, FootprintLot } from "#footprint";

/**
 * The footprint engine's view of a lot's provenance graph, from what the database holds: each event's activity
 * data (its `ct:activity`, read the way capture validated it), the role it was accepted under, the country of
 * the participant that recorded it, and its lot movements. "declared" movements only book an external lot's
 * first quantity (already in the lot's `produced`) and are left out.
 */
export function footprintGraphOf(target: string, inputs: FootprintInputs): FootprintGraph {
  const movements = new Map<string, FootprintEvent["movements"][number][]>();
  for (const movement of inputs.movements) {
    if (movement.direction !== "produced" && movement.direction !== "consumed" && movement.direction !== "observed") {
      continue;
    }
    const list = movements.get(movement.eventHash) ?? [];
    list.push({
      lotId: movement.lotId,
      direction: movement.direction,
      amount: Number(movement.quantity),
      ...(movement.massKg === null ? {} : { massKg: Number(movement.massKg) }),
    });
    movements.set(movement.eventHash, list);
  }
  const events = inputs.events.map((event): FootprintEvent => {
    const extension = readExtension(event.body, namespacesOfContext(event.context));
    return {
      eventHash: event.eventHash,
      // As written, with its offset: the year that picks factors is the year where the event happened.
      eventTime: typeof event.body.eventTime === "string" ? event.body.eventTime : event.eventTime.toISOString(),
      role: event.role,
      bizStep: event.bizStep,
      ...(extension.process === undefined ? {} : { process: extension.process }),
      ...(event.country === null ? {} : { region: event.country }),
      activities: activitiesOf(extension, consumedLots(movements.get(event.eventHash))),
      movements: movements.get(event.eventHash) ?? [],
    };
  });
  const lots = inputs.lots.map((lot): FootprintLot => ({
    id: lot.id,
    unit: lot.unit,
    produced: Number(lot.produced),
    external: lot.external,
  }));
  return { target, events, lots };
}

/** Ids of the lots an event consumed. */
function consumedLots(movements: FootprintEvent["movements"] | undefined): ReadonlySet<string> {
  return new Set((movements ?? []).filter((m) => m.direction === "consumed").map((m) => m.lotId));
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
