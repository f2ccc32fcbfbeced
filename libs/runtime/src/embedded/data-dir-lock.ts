import { mkdir, open, readFile, unlink } from "node:fs/promises";
import { basename, join } from "node:path";
import { DomainError } from "#common";
import { commandLine, isAlive } from "./processes.js";

/**
 * Makes sure only one service instance uses a DATA_DIR: its embedded database and chain are single-owner.
 * A lock left by a process that died is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, "carbontrace.pid");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const file = await open(path, "wx", 0o644);
      await file.writeFile(`${process.pid}\n`);
      await file.close();
      return async () => {
        await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
    if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder) && (await runsNode(holder))) {
      throw new DomainError(
        "RUNTIME.DATA_DIR_IN_USE",
        "conflict",
        `DATA_DIR ${dataDir} is in use by another CarbonTrace process (pid ${holder}); stop it or choose another DATA_DIR`,
        { dataDir, pid: holder },
      );
    }
    await unlink(path).catch(() => undefined);
  }
  throw new DomainError("RUNTIME.DATA_DIR_LOCK_FAILED", "internal", `Could not lock DATA_DIR ${dataDir}`);
}

/** Node renames its main thread ("MainThread"), so the executable in argv is what identifies it. */
async function runsNode(pid: number): Promise<boolean> {
  const [executable] = await commandLine(pid);
  return executable !== undefined && /^node(js)?(\d+)?$/.test(basename(executable));
}
