import { join } from "node:path";
import { waitAnchored } from "#scenario";
import { captureBench, measureCaptureThroughput, measureRawInsert, type CaptureBench } from "./capture.js";
import { measureAnchoringLatency, type AnchoringLatency } from "./latency.js";
import { progress } from "./progress.js";
import { startBenchInstance, startBenchService, type BenchService } from "./service.js";
import { captureLotChain, measureVerifyBundle, type VerifyBench } from "./verify-bundle.js";

export interface ServiceFigures {
  readonly capture: CaptureBench | undefined;
  readonly latency: AnchoringLatency | undefined;
  readonly verify: VerifyBench | undefined;
}

/**
 * The measurements that need a running service share one (startup costs 10–20 s), with default settings, in an
 * order that keeps them apart: capture throughput, then the lot chain to verify later; then the anchorer drains
 * (so the raw baseline and the latency run start from an idle service); then the raw insert baseline, the latency
 * run, and bundle verification. With `instances` > 1, capture throughput is measured through that many instances
 * on the first one's database and chain; the other figures through the first alone.
 */
export async function measureOnService(
  workDir: string,
  wanted: { capture: boolean; latency: boolean; verify: boolean },
  instances = 1,
): Promise<ServiceFigures> {
  if (!wanted.capture && !wanted.latency && !wanted.verify) {
    return { capture: undefined, latency: undefined, verify: undefined };
  }
  progress("service: starting the built service with its default settings");
  const service = await startBenchService(join(workDir, "service"));
  const others: BenchService[] = [];
  try {
    for (let n = 2; n <= instances; n++) {
      progress(`service: starting instance ${String(n)} on the same database and chain`);
      others.push(await startBenchInstance(join(workDir, `service-${String(n)}`), service));
    }
    const throughput = wanted.capture ? await measureCaptureThroughput(service, others) : undefined;
    const chain = wanted.verify ? await captureLotChain(service) : undefined;
    progress("service: waiting until everything captured so far is anchored");
    await waitAnchored(service.admin, 60_000);
    const capture =
      throughput === undefined
        ? undefined
        : captureBench(throughput, await measureRawInsert(service.databaseUrl, throughput.participantId));
    const latency = wanted.latency ? await measureAnchoringLatency(service) : undefined;
    const verify = chain === undefined ? undefined : await measureVerifyBundle(service, chain);
    return { capture, latency, verify };
  } finally {
    await Promise.all(others.map((other) => other.stop()));
    await service.stop();
  }
}
