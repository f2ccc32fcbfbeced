import { readExtension } from "#capture";
import type { FootprintInputs } from "#database";
import { namespacesOfContext } from "#epcis";
import type { FootprintEvent, FootprintGraph, FootprintLot } from "#footprint";
import { activitiesOf } from "#proof";

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
