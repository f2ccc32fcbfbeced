import { constants } from "node:os";
import { progress } from "./progress.js";

/** Stops of what the bench started and still runs (services, a chain node), for a bench stopped by a signal. */
const running = new Set<() => Promise<void>>();
let stopping = false;

/** Whether a signal's stop is under way. */
export function stoppingOnSignal(): boolean {
  return stopping;
}

/** Keeps `stop` until the returned function is called, once the thing has stopped by the usual way. */
export function stopOnSignal(stop: () => Promise<void>): () => void {
  running.add(stop);
  return () => running.delete(stop);
}

/**
 * On SIGINT, SIGTERM or SIGHUP to the bench: stop whatever it started, then `cleanup`, then exit 128 + the
 * signal's number. Its services run in its process group, so Ctrl-C in a terminal reaches them too, but a signal
 * to the bench's process alone (`kill`, a CI timeout) would otherwise leave them serving on their scratch data.
 */
export function stopStartedOnSignal(cleanup: () => Promise<void>): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      stopping = true;
      progress(`${signal}: stopping what this bench started (${String(running.size)})`);
      void Promise.allSettled([...running].map((stop) => stop()))
        .then(cleanup)
        .finally(() => process.exit(128 + constants.signals[signal]));
    });
  }
}
