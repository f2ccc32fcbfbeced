import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { epcisSchemaForTests } from "./conformance.js";
import { freeServicePort, spawnService, waitHealthy } from "./service.js";
import { tempDir } from "./temp.js";

const execFileAsync = promisify(execFile);

/**
 * An empty DATA_DIR (".data" in a new temporary folder), as a first start finds it; the folder joins `owned`, whose
 * owner removes it.
 */
export async function emptyDataDir(name: string, owned: Array<{ remove: () => Promise<void> }>): Promise<string> {
  const dir = await tempDir(name);
  owned.push(dir);
  return join(dir.path, ".data");
}

export interface InitialisedDataDirs {
  /** A DATA_DIR of its own for one test, as a first `npm start` left it. */
  copy(name: string): Promise<string>;
  /** Removes the copies and the original. */
  remove(): Promise<void>;
}

/**
 * DATA_DIRs as a first `npm start` leaves them (the PostgreSQL cluster made and migrated, the contracts deployed, the
 * keys written, everything stopped cleanly), for tests of what a service does on a later start: the first copy a test
 * file asks for starts one service on a fresh DATA_DIR and stops it; every test then gets a copy of that. A first start
 * costs about 8.5 CPU-seconds here and a later one 4.8 (2026-12-06); initdb, migrations and deployments on a fresh
 * DATA_DIR are what the tests that start from nothing check. `cp -a` keeps the cluster's files owned by user
 * "postgres" when the tests run as root, as PostgreSQL requires.
 */
export function initialisedDataDirs(): InitialisedDataDirs {
  const dirs: Array<{ remove: () => Promise<void> }> = [];
  let original: Promise<string> | undefined;
  const initialise = async (): Promise<string> => {
    const dataDir = await emptyDataDir("initialised", dirs);
    const service = spawnService({
      PORT: String(await freeServicePort()),
      DATA_DIR: dataDir,
      EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
    });
    try {
      await waitHealthy(service, 60_000);
    } catch (error) {
      await service.destroy();
      throw error;
    }
    const code = await service.stop("SIGTERM");
    if (code !== 0) throw new Error(`the service that initialised ${dataDir} exited with ${String(code)}`);
    return dataDir;
  };
  return {
    async copy(name) {
      original ??= initialise();
      const source = await original;
      const target = await emptyDataDir(name, dirs);
      await execFileAsync("cp", ["-a", source, target]);
      return target;
    },
    remove: async () => {
      await Promise.all(dirs.splice(0).map((dir) => dir.remove()));
    },
  };
}
