import { setTimeout as sleep } from "node:timers/promises";
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

/** Waits until no captured event waits for anchoring, so the next measurement starts from an idle anchorer. */
export async function waitUntilAllAnchored(service: BenchService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await anchoringCounts(service);
    if (counts.queued + counts.built + counts.sent === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`events still wait for anchoring after ${String(timeoutMs)} ms: ${JSON.stringify(counts)}`);
    }
    await sleep(200);
  }
}
