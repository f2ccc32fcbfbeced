import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DomainError, type Logger } from "#common";
import { readChainId } from "#ledger";
import { findFreePort, isAlive, processName, stopProcess } from "./processes.js";

export const EMBEDDED_CHAIN_ID = 31337n;

export interface EmbeddedChain {
  readonly rpcUrl: string;
  readonly port: number;
  /** Stops anvil gracefully so that it writes its state file, then resolves. */
  stop(): Promise<void>;
}

export interface AnvilOptions {
  /** DATA_DIR/chain: holds state.json and anvil.pid. */
  readonly dir: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly log: Logger;
}

/** The anvil binary shipped in the npm package for this platform. */
export function anvilBinary(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@foundry-rs/anvil-linux-amd64/package.json")), "bin", "anvil");
}

/**
 * Starts a local anvil whose chain survives restarts: state is loaded from and written to
 * DATA_DIR/chain/state.json, on graceful exit and every couple of seconds. A hard kill can still lose the last
 * seconds; callers reconcile with the chain instead of trusting their own records.
 */
export async function startAnvil(options: AnvilOptions): Promise<EmbeddedChain> {
  const { dir, log } = options;
  await mkdir(dir, { recursive: true });
  const pidFile = join(dir, "anvil.pid");
  await stopOrphanedAnvil(pidFile, log);

  const port = options.port === 0 ? await findFreePort() : options.port;
  const args = [
    ["--host", "127.0.0.1"],
    ["--port", String(port)],
    ["--chain-id", EMBEDDED_CHAIN_ID.toString()],
    ["--state", join(dir, "state.json")],
    ["--state-interval", "2"],
  ].flat();
  const child = spawn(anvilBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
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
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

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
  log.info("embedded anvil ready", { rpcUrl, state: join(dir, "state.json") });

  return {
    rpcUrl,
    port,
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) {
        await stopProcess(child.pid, "SIGTERM", 15_000);
        await exited;
      }
      await unlink(pidFile).catch(() => undefined);
      log.info("embedded anvil stopped, state written");
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

/** An anvil left running by a service that was killed would hold the state file: stop it (it saves state). */
async function stopOrphanedAnvil(pidFile: string, log: Logger): Promise<void> {
  const pid = Number.parseInt(await readFile(pidFile, "utf8").catch(() => ""), 10);
  if (!Number.isInteger(pid) || !isAlive(pid) || (await processName(pid)) !== "anvil") return;
  log.warn("stopping an anvil left running by an earlier process", { pid });
  await stopProcess(pid, "SIGTERM", 15_000);
}
