import { setTimeout as sleep } from "node:timers/promises";
import type { DataSource, QueryRunner } from "typeorm";
import type { Logger } from "#common";
import type { Anchorer } from "./anchorer.js";

/** Session-level advisory lock: held by exactly one worker across every instance sharing the database. */
const ANCHOR_LOCK = 0x43_54_41_4e; // "CTAN"

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

  constructor(
    private readonly dataSource: DataSource,
    private readonly anchorer: Anchorer,
    private readonly pollMs: number,
    private readonly log: Logger,
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
        this.lastError = error instanceof Error ? error.message : String(error);
        this.log.error("anchoring pass failed", { error: this.lastError });
        await this.releaseLock();
      }
      await sleep(this.pollMs);
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
