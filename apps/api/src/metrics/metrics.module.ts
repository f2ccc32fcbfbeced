import { Global, Inject, Injectable, Module, type OnModuleInit } from "@nestjs/common";
import { within } from "#common";
import { ChainJobRepository } from "#database";
import { AnchoringModule } from "../anchoring/anchoring.module.js";
import { AnchoringService } from "../anchoring/anchoring.service.js";
import { ENGINE_HEALTH, type EngineHealth } from "../runtime.ports.js";
import { MetricsController } from "./metrics.controller.js";
import { Metrics } from "./metrics.js";

/** A scrape must answer even when the database does not: its figures keep their last value instead. */
const SCRAPE_DEADLINE_MS = 3_000;

/** Reads, at each scrape, the figures that live in the anchorer, the chain-job outbox and the engines. */
@Injectable()
class MetricsReaders implements OnModuleInit {
  constructor(
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(ENGINE_HEALTH) private readonly engines: EngineHealth,
    private readonly anchoring: AnchoringService,
    private readonly chainJobs: ChainJobRepository,
  ) {}

  onModuleInit(): void {
    this.metrics.onScrape(() => this.readAnchoring());
    this.metrics.onScrape(() => this.readRuntime());
    this.metrics.onScrape(() => this.readChainJobs());
  }

  private async readChainJobs(): Promise<void> {
    const backlog = await within(SCRAPE_DEADLINE_MS, this.chainJobs.backlog());
    this.metrics.chainJobsWaiting.set(backlog.live);
    this.metrics.chainJobsOldest.set(backlog.oldest === null ? 0 : (Date.now() - backlog.oldest.getTime()) / 1000);
  }

  private async readAnchoring(): Promise<void> {
    const { metrics } = this;
    const stats = this.anchoring.stats();
    metrics.anchors.set(stats.anchors);
    metrics.anchoredEvents.set(stats.anchoredEvents);
    for (const [cause, count] of Object.entries(stats.failures)) metrics.anchorFailures.set({ cause }, count);
    const backlog = await within(SCRAPE_DEADLINE_MS, this.anchoring.backlog());
    metrics.backlogEvents.set(backlog.events);
    metrics.backlogOldest.set(backlog.oldest === null ? 0 : (Date.now() - backlog.oldest.getTime()) / 1000);
  }

  private async readRuntime(): Promise<void> {
    const { metrics } = this;
    const health = await this.engines.health();
    for (const part of ["database", "chain", "ipfs"] as const) {
      metrics.partUp.set({ part }, health[part].status === "failing" ? 0 : 1);
      metrics.partLatency.set({ part }, health[part].latencyMs / 1000);
    }
    for (const [engine, liveness] of Object.entries(health.engines)) {
      metrics.engineRestarts.set({ engine }, liveness.restarts);
    }
  }
}

@Global()
@Module({
  imports: [AnchoringModule],
  controllers: [MetricsController],
  providers: [{ provide: Metrics, useFactory: () => new Metrics() }, MetricsReaders],
  exports: [Metrics],
})
export class MetricsModule {}
