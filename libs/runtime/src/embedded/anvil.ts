import { spawn, type ChildProcess } from "node:child_process";
import { access, mkdir, open, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { gunzipSync } from "node:zlib";
import { DomainError, type Logger } from "#common";
import { readChainId } from "#ledger";
import { Supervisor, type EngineLiveness, type EngineProcess } from "./supervisor.js";
import { commandLine, isAlive, processName, startOnPort, stopProcess } from "./processes.js";

export const EMBEDDED_CHAIN_ID = 31337n;

export interface EmbeddedChain {
  readonly rpcUrl: string;
  readonly port: number;
  /**
   * Writes the chain's state to DATA_DIR/chain/state.json now (atomically), if a block was mined since the last
   * write; given a transaction's hash, once that transaction is mined (anvil answers a send before it mines it).
   * The service calls it after every transaction it sends, so a root it reports as anchored survives a kill -9 of
   * anvil or of the whole process group.
   */
  persist(txHash?: string): Promise<void>;
  liveness(): EngineLiveness;
  /** Writes the state, stops anvil, then resolves. */
  stop(): Promise<void>;
}

export interface AnvilOptions {
  /** DATA_DIR/chain: holds state.json and anvil.pid. */
  readonly dir: string;
  /** 0 picks a free port (another one if it is taken before anvil binds it). */
  readonly port: number;
  /** Ports a picked one must not be (the service's own PORT, still unbound while the engines start). */
  readonly avoidPorts?: readonly number[];
  readonly log: Logger;
}

/** The anvil binary shipped in the npm package for this platform. */
export function anvilBinary(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@foundry-rs/anvil-linux-amd64/package.json")), "bin", "anvil");
}

/**
 * Starts a local anvil whose chain survives restarts: state is loaded from DATA_DIR/chain/state.json and written
 * there by this process (not by anvil, whose own dump is neither atomic nor timed to our transactions): after
 * every transaction the service sends, every couple of seconds if someone else mined a block, and before a
 * graceful stop. Callers still reconcile with the chain instead of trusting their own records.
 */
export async function startAnvil(options: AnvilOptions): Promise<EmbeddedChain> {
  const { dir, log } = options;
  await mkdir(dir, { recursive: true });
  const pidFile = join(dir, "anvil.pid");
  await stopOrphanedAnvil(dir, pidFile, log);
  const [first, port] = await startOnPort(options.port, options.avoidPorts ?? [], async (candidate) => {
    return [await spawnAnvil(dir, candidate, pidFile, log), candidate] as const;
  });
  const rpcUrl = `http://127.0.0.1:${port}`;
  const writer = new StateWriter(rpcUrl, join(dir, "state.json"), log);
  // Supervised: an anvil that dies while the service runs is started again on the same port and state file
  // (anchoring meanwhile reports CHAIN.UNAVAILABLE and retries; roots the chain lost are anchored again).
  const supervisor = new Supervisor(
    first,
    () => spawnAnvil(dir, port, pidFile, log),
    "anvil",
    log,
    () => writer.restarted(),
  );
  await writer.persist();
  const timer = setInterval(() => void writer.persist(), STATE_POLL_MS);
  timer.unref();
  log.info("embedded anvil ready", { rpcUrl, state: join(dir, "state.json") });

  return {
    rpcUrl,
    port,
    persist: (txHash) => writer.persist(txHash),
    liveness: () => supervisor.liveness(),
    stop: async () => {
      clearInterval(timer);
      await writer.persist();
      await supervisor.stop();
      await unlink(pidFile).catch(() => undefined);
      log.info("embedded anvil stopped, state written");
    },
  };
}

/** How often to look for blocks mined by others (partners' transactions, tests) and write them too. */
const STATE_POLL_MS = 2_000;
/** How long a write after a send waits for its transaction to be mined (automine: a few ms) before writing anyway. */
const MINED_WAIT_MS = 2_000;

/**
 * Writes anvil's state (`anvil_dumpState`, gzipped JSON) to the state file as plain JSON, the form
 * `--load-state` reads: to a temporary file, fsynced, then renamed, so a kill at any moment leaves either the old
 * or the new state, never a torn file that anvil would refuse at the next start. One write at a time; a write
 * asked for during another one runs after it, so no block is left out.
 */
class StateWriter {
  private written = -1n;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly rpcUrl: string,
    private readonly file: string,
    private readonly log: Logger,
  ) {}

  /** After a restart the loaded state is what the file holds: write again once the chain moves. */
  restarted(): void {
    this.written = -1n;
  }

  persist(txHash?: string): Promise<void> {
    const next = this.running.then(async () => {
      if (txHash !== undefined) await this.waitMined(txHash);
      await this.writeIfMoved();
    });
    this.running = next.catch(() => undefined);
    return next.catch((error: unknown) => {
      this.log.warn("could not write the embedded chain's state; will try again", { error: String(error) });
    });
  }

  /**
   * Anvil answers `eth_sendRawTransaction` before its block is mined; a write right then would leave that block out
   * (about one send in a hundred), and a kill -9 before the next write would lose a transaction reported as sent.
   */
  private async waitMined(txHash: string): Promise<void> {
    const deadline = Date.now() + MINED_WAIT_MS;
    while ((await rpc<unknown>(this.rpcUrl, "eth_getTransactionReceipt", [txHash])) === null) {
      // Not mined in time (a nonce gap keeps it in the pool): the state as it is now; the poll writes the rest.
      if (Date.now() >= deadline) return;
      await sleep(2);
    }
  }

  private async writeIfMoved(): Promise<void> {
    const block = BigInt(await rpc<string>(this.rpcUrl, "eth_blockNumber"));
    if (block === this.written) return;
    const dump = await rpc<string>(this.rpcUrl, "anvil_dumpState");
    const json = gunzipSync(Buffer.from(dump.slice(2), "hex"));
    const temporary = `${this.file}.tmp`;
    const handle = await open(temporary, "w");
    try {
      await handle.writeFile(json);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.file);
    this.written = block;
  }
}

async function rpc<T>(rpcUrl: string, method: string, params: readonly unknown[] = []): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json()) as { result?: T; error?: { message?: string } };
  if (body.result === undefined) throw new Error(`${method}: ${body.error?.message ?? `HTTP ${response.status}`}`);
  return body.result;
}

/**
 * One anvil process, in its own process group: Ctrl-C in a terminal signals the whole foreground group, and the
 * chain must write its state and stop only after the service has stopped using it.
 */
async function spawnAnvil(dir: string, port: number, pidFile: string, log: Logger): Promise<EngineProcess> {
  const stateFile = join(dir, "state.json");
  const saved = await access(stateFile).then(
    () => true,
    () => false,
  );
  const args = [
    ["--host", "127.0.0.1"],
    ["--port", String(port)],
    ["--chain-id", EMBEDDED_CHAIN_ID.toString()],
    saved ? ["--load-state", stateFile] : [],
  ].flat();
  const child = spawn(anvilBinary(), args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
  const output: string[] = [];
  const remember = (chunk: Buffer): void => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.trim() === "") continue;
      output.push(line);
      if (output.length > 20) output.shift();
      log.debug(line);
    }
  };
  child.stdout.on("data", remember);
  child.stderr.on("data", remember);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const rpcUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(rpcUrl, child);
  } catch (error) {
    child.kill("SIGKILL");
    throw new DomainError(
      "RUNTIME.ANVIL_START_FAILED",
      "unavailable",
      `Embedded anvil did not start: ${output.slice(-5).join(" | ") || String(error)}`,
      { dir, port },
      { cause: error },
    );
  }
  if (child.pid !== undefined) await writeFile(pidFile, `${child.pid}\n`);
  return {
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        await stopProcess(child.pid, "SIGTERM", 15_000);
        await exited;
      }
    },
  };
}

async function waitUntilServing(rpcUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`anvil exited with code ${String(child.exitCode)}`);
    try {
      await readChainId(rpcUrl);
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error("anvil did not answer within 30 s");
}

/**
 * An anvil left running by a service that was killed: write its state (it may hold blocks mined after our last
 * write), then stop it.
 */
async function stopOrphanedAnvil(dir: string, pidFile: string, log: Logger): Promise<void> {
  const pid = Number.parseInt(await readFile(pidFile, "utf8").catch(() => ""), 10);
  if (!Number.isInteger(pid) || !isAlive(pid) || (await processName(pid)) !== "anvil") return;
  log.warn("stopping an anvil left running by an earlier process", { pid });
  const args = await commandLine(pid);
  const port = args[args.indexOf("--port") + 1];
  if (args.includes("--port") && port !== undefined) {
    await new StateWriter(`http://127.0.0.1:${port}`, join(dir, "state.json"), log).persist();
  }
  await stopProcess(pid, "SIGTERM", 15_000);
}
