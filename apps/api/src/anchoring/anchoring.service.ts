import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { Anchorer, AnchorWorker, Failpoints, type AnchorStats, type WorkerStatus } from "#anchoring";
import { DomainError } from "#common";
import { AnchorRepository, type Backlog, type BatchRecord, type BatchStatus } from "#database";
import type { Config } from "#config";
import type { EvidenceStore } from "#evidence";
import type { Ledger } from "#ledger";
import { DataSource } from "typeorm";
import { nestLog } from "../common/logging.js";
import { CONFIG, EVIDENCE_STORE, LEDGER } from "../runtime.ports.js";

/** The anchoring worker of this instance (it anchors only while it holds the cluster-wide lock). */
@Injectable()
export class AnchoringService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly worker: AnchorWorker;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(LEDGER) ledger: Ledger,
    @Inject(EVIDENCE_STORE) evidence: EvidenceStore,
    // The worker's own connection use: the anchoring leader's advisory lock.
    dataSource: DataSource,
    private readonly repository: AnchorRepository,
  ) {
    const log = nestLog(new Logger("anchoring"));
    const anchorer = new Anchorer(
      repository,
      ledger,
      evidence,
      {
        batchSize: config.anchoring.batchSize,
        windowMs: config.anchoring.windowMs,
        maxBatch: config.anchoring.maxBatch,
        confirmations: config.chain.confirmations,
      },
      new Failpoints(config.failpoints),
      log,
    );
    this.worker = new AnchorWorker(dataSource, anchorer, config.anchoring.pollMs, log, config.anchoring.behindAfterMs);
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

  /** Events per anchoring state. */
  counts(): Promise<Record<"queued" | BatchStatus, number>> {
    return this.repository.counts();
  }

  async batch(id: number): Promise<BatchRecord> {
    const batch = await this.repository.batch(id);
    if (batch === undefined) throw new DomainError("ANCHOR.BATCH_NOT_FOUND", "not-found", `No batch ${String(id)}`);
    return batch;
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
