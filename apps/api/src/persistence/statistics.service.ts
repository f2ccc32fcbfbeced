import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { AdvisoryPassLease, FreshStatistics, type PassLease } from "#database";

const PASS_MS = 5_000;

/**
 * Analyses the lot-graph tables soon after a bulk of writes (see FreshStatistics), instead of waiting up to a
 * minute or more for autovacuum: one instance at a time (the lease), every 5 s, logged when it analyses.
 */
@Injectable()
export class StatisticsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger("database");
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(FreshStatistics) private readonly statistics: Pick<FreshStatistics, "pass">,
    @Inject(AdvisoryPassLease) private readonly lease: PassLease,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.pass(), PASS_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass; its errors (the database down) are logged, never thrown. */
  async pass(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.lease.run("statistics", async () => {
        const analysed = await this.statistics.pass();
        if (analysed.length > 0) this.logger.log("planner statistics refreshed after many writes", { analysed });
      });
    } catch (error) {
      this.logger.warn("planner statistics could not be refreshed; will try again", { error: String(error) });
    } finally {
      this.running = false;
    }
  }
}
