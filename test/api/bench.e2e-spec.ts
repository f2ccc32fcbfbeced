import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { alive, recordedChildPids, ROOT } from "../support/service.js";
import { tempDir } from "../support/temp.js";
import { waitFor } from "../support/waits.js";

/** PIDs the service under `dataDir` recorded: its own, its PostgreSQL's and its anvil's. */
async function recordedPids(dataDir: string): Promise<number[]> {
  const own = Number.parseInt(await readFile(join(dataDir, "carbontrace.pid"), "utf8"), 10);
  return [own, ...(await recordedChildPids(dataDir))];
}

const dirs: Array<{ remove: () => Promise<void> }> = [];
const leftovers: number[] = [];
afterAll(async () => {
  for (const pid of leftovers.filter(alive)) process.kill(pid, "SIGKILL");
  await Promise.all(dirs.map((dir) => dir.remove()));
});

describe("npm run bench", () => {
  it("stopped by a signal to its own process, stops the service it started, then exits 128 + the signal", async () => {
    const tmp = await tempDir("bench-signal");
    dirs.push(tmp);
    const bench = spawn(process.execPath, [join(ROOT, "dist", "scripts", "bench.js"), "--only", "capture"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TMPDIR: tmp.path },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let progress = "";
    bench.stderr.on("data", (chunk: Buffer) => (progress += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => bench.once("exit", (code) => resolve(code)));

    // Stopped while its clients post documents, which then fail; the service's DATA_DIR is in the bench's folder.
    await waitFor(
      "the bench to post its warm-up documents",
      () => Promise.resolve(/capture: \d+ warm-up documents/.test(progress) || undefined),
      60_000,
    );
    const [work] = await readdir(tmp.path);
    const dataDir = join(tmp.path, work ?? "", "service");
    const pids = await recordedPids(dataDir);
    leftovers.push(...pids);
    expect(pids).toHaveLength(3);

    process.kill(bench.pid ?? 0, "SIGTERM");
    expect(await exited).toBe(143);
    expect(progress).toContain("SIGTERM: stopping what this bench started (1)");
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(join(tmp.path, work ?? ""))).toBe(false);
  }, 120_000);
});
