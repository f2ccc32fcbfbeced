import { setTimeout as sleep } from "node:timers/promises";
import type { DataSource, QueryRunner } from "typeorm";
import type { Logger } from "#common";
import type { Anchorer } from "./anchorer.js";

/** Session-level advisory lock: held by exactly one worker across every instance sharing the database. */
const ANCHOR_LOCK = 0x43_54_41_4e; // "CTAN"
/** At most one "anchoring is behind" line per this interval. */
const BEHIND_LOG_INTERVAL_MS = 60_000;

export interface WorkerStatus {
  readonly leader: boolean;
  readonly lastPassAt: Date | undefined;
  readonly lastError: string | undefined;
}

/**
 * Runs the anchorer in a loop, but only while holding the anchoring lock; other instances wait on standby and
 * take over when the holder's connection goes away (the lock dies with its session).
 */
export class AnchorWorker {
  private runner: QueryRunner | undefined;
  private leader = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private lastPassAt: Date | undefined;
  private lastError: string | undefined;
  private lastBehindCheck = 0;

  /** @param behindAfterMs how long the oldest unanchored event may wait before anchoring counts as behind. */
  constructor(
    private readonly dataSource: DataSource,
    readonly anchorer: Anchorer,
    private readonly pollMs: number,
    private readonly log: Logger,
    readonly behindAfterMs: number,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.releaseLock();
  }

  status(): WorkerStatus {
    return { leader: this.leader, lastPassAt: this.lastPassAt, lastError: this.lastError };
  }

  /** Runs one pass now (if leading); for tests and for callers that want anchoring without waiting. */
  async runOnce(): Promise<void> {
    if (await this.lead()) await this.pass();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (await this.lead()) await this.pass();
      } catch (error) {
        const failure = this.anchorer.noteFailure(error);
        this.lastError = `${failure.code}: ${failure.message}`;
        this.log.error("anchoring pass failed", { ...failure });
        await this.releaseLock();
      }
      await this.reportIfBehind();
      await sleep(this.pollMs);
    }
  }

  /**
   * Once a minute, while the oldest event waiting for the chain has waited longer than `behindAfterMs`, an error
   * line says so (with the backlog and the last failure), so that an operator who reads only logs sees it too.
   */
  private async reportIfBehind(now = Date.now()): Promise<void> {
    if (!this.leader || now - this.lastBehindCheck < BEHIND_LOG_INTERVAL_MS) return;
    this.lastBehindCheck = now;
    try {
      const backlog = await this.anchorer.backlog();
      const waitedMs = backlog.oldest === null ? 0 : now - backlog.oldest.getTime();
      if (waitedMs <= this.behindAfterMs) return;
      const { lastFailure } = this.anchorer.stats();
      this.log.error("anchoring is behind", {
        events: backlog.events,
        oldestWaitSeconds: Math.round(waitedMs / 1000),
        ...(lastFailure === undefined ? {} : { lastFailure: `${lastFailure.cause} ${lastFailure.code}` }),
      });
    } catch (error) {
      this.log.warn("could not read the anchoring backlog", { error: String(error) });
    }
  }

  private async pass(): Promise<void> {
    await this.anchorer.tick();
    this.lastPassAt = new Date();
    this.lastError = undefined;
  }

  private async lead(): Promise<boolean> {
    if (this.leader) return true;
    if (this.stopped) return false;
    this.runner ??= this.dataSource.createQueryRunner();
    const [row] = (await this.runner.query("SELECT pg_try_advisory_lock($1) AS locked", [ANCHOR_LOCK])) as Array<{
      locked: boolean;
    }>;
    if (row?.locked !== true) return false;
    this.leader = true;
    this.log.info("anchoring worker is the leader");
    await this.anchorer.reconcile();
    return true;
  }

  private async releaseLock(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    if (runner === undefined) return;
    if (this.leader) await runner.query("SELECT pg_advisory_unlock($1)", [ANCHOR_LOCK]).catch(() => undefined);
    this.leader = false;
    await runner.release().catch(() => undefined);
  }
}
