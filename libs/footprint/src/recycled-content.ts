import { allocate, emptyLot, indexGraph } from "./lot-graph.js";
import type { FootprintGraph } from "./model.js";

export interface RecycledContent {
  /** kg of declared material inputs that end up in the lot: recycled material traced to an input lot. */
  readonly recycledKg: number;
  /** Recycled by the partner's word only: no lot shows where it came from, so no claim counts it. */
  readonly untracedRecycledKg: number;
  readonly virginKg: number;
  /** recycledKg ÷ all three in percent; null when no event declared material inputs. */
  readonly recycledPercent: number | null;
}

/**
 * Recycled content of a lot from the mass balance: the material inputs declared by the events behind the lot,
 * each weighted by the share of its event that ends up in the lot (the same allocation as the footprint).
 * Materials are declared where they enter a transformation (the moulder's rPET and virgin PET), so each kilogram
 * is counted once as long as upstream stages do not declare the same material again. Only recycled material
 * traced to a lot counts as recycled content; untraced "recycled" material counts as material of unknown origin.
 */
export function recycledContentOf(graph: FootprintGraph): RecycledContent {
  const lotGraph = indexGraph(graph);
  const target = lotGraph.lots.get(graph.target);
  if (target === undefined || !(target.produced > 0)) throw emptyLot(graph.target);
  const { eventWeights } = allocate(lotGraph, target.id);
  let recycledKg = 0;
  let untracedRecycledKg = 0;
  let virginKg = 0;
  for (const [hash, weight] of eventWeights) {
    for (const activity of lotGraph.events.get(hash)?.event.activities ?? []) {
      if (activity.kind !== "material") continue;
      const kg = activity.massKg * weight;
      if (activity.origin === "virgin") virginKg += kg;
      else if (activity.traced === true) recycledKg += kg;
      else untracedRecycledKg += kg;
    }
  }
  const total = recycledKg + untracedRecycledKg + virginKg;
  return {
    recycledKg,
    untracedRecycledKg,
    virginKg,
    recycledPercent: total > 0 ? (recycledKg / total) * 100 : null,
  };
}
