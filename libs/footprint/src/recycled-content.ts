import { allocate, emptyLot, indexGraph } from "./lot-graph.js";
import type { FootprintGraph } from "./model.js";

export interface RecycledContent {
  /** kg of declared material inputs that end up in the lot, by origin. */
  readonly recycledKg: number;
  readonly virginKg: number;
  /** recycledKg ÷ (recycledKg + virginKg) in percent; null when no event declared material inputs. */
  readonly recycledPercent: number | null;
}

/**
 * Recycled content of a lot from the mass balance: the material inputs declared by the events behind the lot,
 * each weighted by the share of its event that ends up in the lot (the same allocation as the footprint).
 * Materials are declared where they enter a transformation (the moulder's rPET and virgin PET), so each kilogram
 * is counted once as long as upstream stages do not declare the same material again.
 */
export function recycledContentOf(graph: FootprintGraph): RecycledContent {
  const lotGraph = indexGraph(graph);
  const target = lotGraph.lots.get(graph.target);
  if (target === undefined || !(target.produced > 0)) throw emptyLot(graph.target);
  const { eventWeights } = allocate(lotGraph, target.id);
  let recycledKg = 0;
  let virginKg = 0;
  for (const [hash, weight] of eventWeights) {
    for (const activity of lotGraph.events.get(hash)?.event.activities ?? []) {
      if (activity.kind !== "material") continue;
      if (activity.origin === "recycled") recycledKg += activity.massKg * weight;
      else virginKg += activity.massKg * weight;
    }
  }
  const total = recycledKg + virginKg;
  return { recycledKg, virginKg, recycledPercent: total > 0 ? (recycledKg / total) * 100 : null };
}
