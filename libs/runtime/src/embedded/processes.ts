import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Free ports for the embedded engines, none of them `taken` (the service's own HTTP port, still free until it
 * listens) and none twice: the kernel may hand a port just released out again, and the engines start together.
 */
export async function freePortsAvoiding(count: number, taken: readonly number[]): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await findFreePort();
    if (!taken.includes(port) && !ports.includes(port)) ports.push(port);
  }
  return ports;
}

/**
 * Starts an engine on its configured port, or (0) on a free one not in `avoid`. A port we picked may be bound by
 * another process between our probe and the engine's own bind (test workers or other services starting at the
 * same moment): the engine then fails with "Address already in use" and is started again on another free port, a
 * few times at most. A port the operator configured is never swapped for another.
 */
export async function startOnPort<T>(
  configured: number,
  avoid: readonly number[],
  start: (port: number) => Promise<T>,
): Promise<T> {
  if (configured !== 0) return start(configured);
  const tried: number[] = [];
  for (;;) {
    const [port = 0] = await freePortsAvoiding(1, [...avoid, ...tried]);
    tried.push(port);
    try {
      return await start(port);
    } catch (error) {
      if (tried.length >= PORT_ATTEMPTS || !isPortCollision(error)) throw error;
    }
  }
}

const PORT_ATTEMPTS = 5;

/** Whether an engine failed (anywhere in its cause chain) because its port was already bound. */
export function isPortCollision(error: unknown): boolean {
  // Duck-typed, not `instanceof Error`: errors from other realms (vm contexts, workers) count too.
  for (let cause = error, depth = 0; typeof cause === "object" && cause !== null && depth < 10; depth++) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (code === "EADDRINUSE" || (typeof message === "string" && /address already in use/i.test(message))) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** A free TCP port on 127.0.0.1, so that several instances on one machine never collide. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === "object") resolve(address.port);
        else reject(new Error("no port assigned"));
      });
    });
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The executable name of a running process (Linux /proc), or undefined if unknown. */
export async function processName(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/comm`, "utf8")).trim();
  } catch {
    return undefined;
  }
}

/** The argv of a running process (Linux /proc), or [] if unknown. */
export async function commandLine(pid: number): Promise<string[]> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0").filter((arg) => arg !== "");
  } catch {
    return [];
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return !isAlive(pid);
}

/** Sends `signal`, waits, then SIGKILLs a process that would not stop. */
export async function stopProcess(pid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  if (!(await waitForExit(pid, timeoutMs))) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
    await waitForExit(pid, 5_000);
  }
}
