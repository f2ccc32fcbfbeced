import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { Anchorer, AnchorWorker, Failpoints, type AnchorStats, type WorkerStatus } from "#anchoring";
import type { Logger as LibLogger } from "#common";
import { AnchorRepository, type Backlog } from "#database";
import type { Runtime } from "#runtime";
import { RUNTIME } from "../runtime.tokens.js";

/** The anchoring worker of this instance (it anchors only while it holds the cluster-wide lock). */
@Injectable()
export class AnchoringService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly worker: AnchorWorker;

  constructor(
    @Inject(RUNTIME) runtime: Runtime,
    readonly repository: AnchorRepository,
  ) {
    const log = nestLog(new Logger("anchoring"));
    const { config } = runtime;
    const anchorer = new Anchorer(
      repository,
      runtime.ledger,
      runtime.evidence,
      {
        batchSize: config.anchoring.batchSize,
        windowMs: config.anchoring.windowMs,
        maxBatch: config.anchoring.maxBatch,
        confirmations: config.chain.confirmations,
      },
      new Failpoints(config.failpoints),
      log,
    );
    this.worker = new AnchorWorker(
      runtime.dataSource,
      anchorer,
      config.anchoring.pollMs,
      log,
      config.anchoring.behindAfterMs,
    );
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }

  status(): WorkerStatus {
    return this.worker.status();
  }

  stats(): AnchorStats {
    return this.worker.anchorer.stats();
  }

  backlog(): Promise<Backlog> {
    return this.worker.anchorer.backlog();
  }

  /** How long the oldest unanchored event may wait before anchoring counts as behind. */
  get behindAfterMs(): number {
    return this.worker.behindAfterMs;
  }

  /** One pass now, without waiting for the poll interval. */
  runOnce(): Promise<void> {
    return this.worker.runOnce();
  }
}

function nestLog(logger: Logger): LibLogger {
  const self: LibLogger = {
    debug: (message, fields) => logger.debug(message, fields),
    info: (message, fields) => logger.log(message, fields),
    warn: (message, fields) => logger.warn(message, fields),
    error: (message, fields) => logger.error(message, fields),
    child: () => self,
  };
  return self;
}
