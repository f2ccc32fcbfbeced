import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from "@nestjs/common";
import { CHAIN_JOB_DEFAULTS, ChainJobRunner, Failpoints } from "#anchoring";
import type { Config } from "#config";
import { ChainJobRepository } from "#database";
import { resend, sentState, type Ledger } from "#ledger";
import { nestLog } from "../common/logging.js";
import { CONFIG, LEDGER } from "../runtime.ports.js";

/** How often each instance looks for due chain jobs (jobs a request started are run at once, not polled). */
const POLL_MS = 5_000;

/** Runs the due chain jobs in the background, one pass at a time; a pass's errors are logged, never thrown. */
@Injectable()
export class ChainJobWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger("chain-jobs");
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(ChainJobRunner) private readonly runner: ChainJobRunner,
    private readonly repository: ChainJobRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.pass(), POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.repository.close();
  }

  /** One pass now (after the one running, if any). */
  pass(): Promise<unknown> {
    this.running = this.running
      .then(() => this.runner.pass())
      .catch((error: unknown) => {
        this.logger.warn("chain jobs could not run; will try again", { error: String(error) });
      });
    return this.running;
  }
}

/**
 * The chain-job outbox: every transaction the service sends besides anchors (retirements, attestations, role
 * grants and revocations). Features register how to send their kind of job on the runner.
 */
@Global()
@Module({
  providers: [
    {
      provide: ChainJobRunner,
      useFactory: (config: Config, ledger: Ledger, repository: ChainJobRepository) =>
        new ChainJobRunner(
          repository,
          {
            state: (sent) => sentState(ledger.chain.provider, sent),
            resend: (sent) => resend(ledger.chain.signer, sent),
          },
          nestLog(new Logger("chain-jobs")),
          CHAIN_JOB_DEFAULTS,
          new Failpoints(config.failpoints),
        ),
      inject: [CONFIG, LEDGER, ChainJobRepository],
    },
    ChainJobWorker,
  ],
  exports: [ChainJobRunner],
})
export class ChainJobsModule {}
