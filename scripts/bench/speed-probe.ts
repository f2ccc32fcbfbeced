import { createHash } from "node:crypto";
import { percentile } from "./progress.js";

const DIGESTS = 400_000;
const RUNS = 3;
/** What the probe times, as the progress line and the report name it. */
export const SPEED_PROBE = "400,000 chained SHA-256 digests (median of 3)";

/**
 * How fast the host is at this moment, in ms (median of 3): 400,000 chained SHA-256 digests of 32 bytes on one
 * thread, nothing of CarbonTrace in it. On the 2-core machine of the README's figures the same loop took 479–978 ms
 * within two minutes with nothing else running (2026-12-05), and capture throughput moved with it: a run's
 * figures are read next to the probe taken just before the service measurements.
 */
export function speedProbeMs(): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let digest = Buffer.alloc(32);
    const started = performance.now();
    for (let i = 0; i < DIGESTS; i++) digest = createHash("sha256").update(digest).digest();
    times.push(performance.now() - started);
  }
  return Math.round(
    percentile(
      times.sort((a, b) => a - b),
      50,
    ),
  );
}
