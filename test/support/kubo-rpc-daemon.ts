import { spawn, type ChildProcess } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { jsIpfsCli } from "./jsipfs-install.js";
import { tempDir } from "./temp.js";

export { KUBO_RPC_DAEMON_START_TIMEOUT_MS } from "./jsipfs-install.js";

/**
 * A real daemon speaking the Kubo RPC API, for testing the Kubo adapter without downloading Kubo: js-ipfs
 * (archived upstream), offline, on loopback, with no swarm listeners. It is installed on first use
 * (test/support/jsipfs-install.ts; `npm test` starts that install in the background before the build).
 */
export interface KuboRpcDaemon {
  readonly apiUrl: string;
  stop(): Promise<void>;
}

function run(cliPath: string, args: string[], repo: string): ChildProcess {
  return spawn(process.execPath, [cliPath, ...args], {
    env: { ...process.env, IPFS_PATH: repo, IPFS_MONITORING: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export async function startKuboRpcDaemon(): Promise<KuboRpcDaemon> {
  const cliPath = await jsIpfsCli();
  const repo = await tempDir("jsipfs");
  await new Promise<void>((resolve, reject) => {
    const init = run(cliPath, ["init", "--profile", "test"], repo.path);
    // Its output is read: it explains a failed init, and the child never blocks on a full pipe nobody reads.
    let output = "";
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
    };
    init.stdout?.on("data", collect);
    init.stderr?.on("data", collect);
    init.once("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`jsipfs init exited with ${String(code)}:\n${output}`)),
    );
  });
  const configPath = join(repo.path, "config");
  const config = JSON.parse(await readFile(configPath, "utf8")) as { Addresses: Record<string, unknown> };
  config.Addresses = {
    ...config.Addresses,
    Swarm: [],
    API: "/ip4/127.0.0.1/tcp/0",
    Gateway: "/ip4/127.0.0.1/tcp/0",
    RPC: "/ip4/127.0.0.1/tcp/0",
  };
  await writeFile(configPath, JSON.stringify(config));

  const daemon = run(cliPath, ["daemon", "--offline"], repo.path);
  const apiUrl = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`jsipfs daemon not ready:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /HTTP API listening on \/ip4\/([\d.]+)\/tcp\/(\d+)\/http/.exec(output);
      if (match !== null && output.includes("Daemon is ready")) {
        clearTimeout(timer);
        resolve(`http://${String(match[1])}:${String(match[2])}`);
      }
    };
    daemon.stdout?.on("data", onData);
    daemon.stderr?.on("data", onData);
    daemon.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`jsipfs daemon exited with ${String(code)}:\n${output}`));
    });
  });
  return {
    apiUrl,
    stop: async () => {
      if (daemon.exitCode === null) {
        const exited = new Promise((resolve) => daemon.once("exit", resolve));
        daemon.kill("SIGTERM");
        await exited;
      }
      await repo.remove();
    },
  };
}
