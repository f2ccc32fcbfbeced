import { join } from "node:path";
import { afterAll } from "@jest/globals";
import { epcisSchemaForTests } from "./conformance.js";
import { spawnService, type ServiceProcess } from "./service.js";
import { tempDir } from "./temp.js";

/**
 * The services a crash test starts (each on its own DATA_DIR, with the failpoints it names) and their folders:
 * all destroyed and removed after the test file.
 */
export function crashTestServices(env: Record<string, string>): {
  dataDir(name: string): Promise<string>;
  start(dataDir: string, port: number, failpoints: string): ServiceProcess;
} {
  const running: ServiceProcess[] = [];
  const dirs: Array<{ remove: () => Promise<void> }> = [];
  afterAll(async () => {
    await Promise.all(running.map((s) => s.destroy()));
    await Promise.all(dirs.map((d) => d.remove()));
  });
  return {
    async dataDir(name) {
      const dir = await tempDir(name);
      dirs.push(dir);
      return join(dir.path, ".data");
    },
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
