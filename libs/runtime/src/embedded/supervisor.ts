import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "#common";

/** One run of an engine process: resolves `exited` when it ends, for whatever reason. */
export interface EngineProcess {
  readonly exited: Promise<void>;
  stop(): Promise<void>;
}

/** What /health says about an embedded engine. */
export interface EngineLiveness {
  readonly running: boolean;
  /** Times it was started again after dying, since the service started. */
  readonly restarts: number;
  readonly lastRestartAt: string | null;
}

/** How long to wait before starting an engine again that died, doubling per failed attempt up to the maximum. */
const RESTART_DELAY_MS = 1_000;
const RESTART_DELAY_MAX_MS = 30_000;

/**
 * Keeps an embedded engine running: when its process dies while the service runs, it is started again (same port,
 * same data) with back-off, and callers meanwhile get the part's "unavailable" answer. Stopping is final.
 */
export class Supervisor<P extends EngineProcess> {
  private readonly state = { stopping: false };
  private running = true;
  private restarts = 0;
  private lastRestartAt: Date | undefined;

  constructor(
    private current: P,
    private readonly start: () => Promise<P>,
    private readonly name: string,
    private readonly log: Logger,
    private readonly onRestart: () => void = () => undefined,
  ) {
    this.watch(current, 0);
  }

  liveness(): EngineLiveness {
    return { running: this.running, restarts: this.restarts, lastRestartAt: this.lastRestartAt?.toISOString() ?? null };
  }

  /** Read through a function: the flag changes while the watcher waits, which narrowing cannot see. */
  private stopping(): boolean {
    return this.state.stopping;
  }

  async stop(): Promise<void> {
    this.state.stopping = true;
    await this.current.stop();
    this.running = false;
  }

  private watch(process: P, attempt: number): void {
    void process.exited.then(async () => {
      if (this.stopping()) return;
      this.running = false;
      const delayMs = Math.min(RESTART_DELAY_MS * 2 ** attempt, RESTART_DELAY_MAX_MS);
      this.log.error(`embedded ${this.name} stopped unexpectedly; starting it again`, { delayMs });
      await sleep(delayMs);
      if (this.stopping()) return;
      try {
        this.current = await this.start();
        if (this.stopping()) {
          await this.current.stop();
          return;
        }
      } catch (error) {
        this.log.error(`embedded ${this.name} did not start again`, { error: String(error) });
        this.watch(process, attempt + 1);
        return;
      }
      this.running = true;
      this.restarts += 1;
      this.lastRestartAt = new Date();
      this.onRestart();
      this.log.info(`embedded ${this.name} is back`);
      this.watch(this.current, 0);
    });
  }
}
