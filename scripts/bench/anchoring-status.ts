import type { BenchService } from "./service.js";

/** GET /anchoring: how many captured events are in each anchoring state. */
export interface AnchoringCounts {
  readonly queued: number;
  readonly built: number;
  readonly sent: number;
  readonly anchored: number;
  readonly final: number;
}

export async function anchoringCounts(service: BenchService): Promise<AnchoringCounts> {
  return (await service.admin.json<{ events: AnchoringCounts }>("GET", "/anchoring")).events;
}

/** Events the API already reports as on the chain (with a proof to hand out). */
export function onChain(counts: AnchoringCounts): number {
  return counts.anchored + counts.final;
}
