import { afterAll } from "@jest/globals";
import { epcisSchemaForTests } from "./conformance.js";
import { emptyDataDir, initialisedDataDirs } from "./data-dirs.js";
import { spawnService, type ServiceProcess } from "./service.js";

/**
 * The services a crash test starts (each on its own DATA_DIR, with the failpoints it names) and their folders:
 * all destroyed and removed after the test file.
 */
export function crashTestServices(env: Record<string, string>): {
  /** An empty DATA_DIR: the service's first start makes everything in it. */
  dataDir(name: string): Promise<string>;
  /** A DATA_DIR as a first start left it (test/support/data-dirs.ts), for crashes that come later. */
  initialisedDataDir(name: string): Promise<string>;
  start(dataDir: string, port: number, failpoints: string): ServiceProcess;
} {
  const running: ServiceProcess[] = [];
  const dirs: Array<{ remove: () => Promise<void> }> = [];
  const initialised = initialisedDataDirs();
  afterAll(async () => {
    await Promise.all(running.map((s) => s.destroy()));
    await Promise.all([...dirs.map((d) => d.remove()), initialised.remove()]);
  });
  return {
    initialisedDataDir: (name) => initialised.copy(name),
    dataDir: (name) => emptyDataDir(name, dirs),
    start(dataDir, port, failpoints) {
      const service = spawnService({
        PORT: String(port),
        DATA_DIR: dataDir,
        EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
        CARBONTRACE_FAILPOINTS: failpoints,
        ...env,
      });
      running.push(service);
      return service;
    },
  };
}
