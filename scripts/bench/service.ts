import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CarbonTraceClient } from "#client";
import { projectRoot } from "#runtime";

/** The built service (`npm start`'s entry point) in its own process, on a scratch DATA_DIR, for measurements. */
export interface BenchService {
  readonly url: string;
  readonly adminKey: string;
  readonly admin: CarbonTraceClient;
  stop(): Promise<void>;
}

export async function startBenchService(dataDir: string, env: Record<string, string> = {}): Promise<BenchService> {
  const child: ChildProcess = spawn(process.execPath, [join(projectRoot(), "dist", "apps", "api", "src", "main.js")], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      PORT: "0",
      DATA_DIR: dataDir,
      LOG_FORMAT: "json",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split("\n").slice(0, -1)) {
        try {
          const entry = JSON.parse(line) as { message?: string; url?: string };
          if (entry.message === "CarbonTrace is serving" && entry.url !== undefined) resolve(entry.url);
        } catch {
          // not a log line
        }
      }
      buffer = buffer.slice(buffer.lastIndexOf("\n") + 1);
    });
    void exited.then((code) => reject(new Error(`the service exited with ${String(code)} before serving`)));
  });
  const adminKey = (await readFile(join(dataDir, "keys", "admin-api-key"), "utf8")).trim();
  return {
    url,
    adminKey,
    admin: new CarbonTraceClient({ baseUrl: url, apiKey: adminKey }),
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
