import type { Server } from "node:http";
import type { INestApplication } from "@nestjs/common";
import { ConsoleLogger } from "@nestjs/common";
import { silentLogger } from "#common";
import { loadConfig } from "#config";
import { startRuntime, type Runtime } from "#runtime";
import { createApp } from "../../apps/api/src/server.js";

export interface TestApp {
  readonly app: INestApplication;
  /** The HTTP server to hand to supertest. */
  readonly server: Server;
  readonly runtime: Runtime;
  stop(): Promise<void>;
}

/** The real HTTP app on a real runtime, configured through environment variables like `npm start`. */
export async function startTestApp(env: Record<string, string>): Promise<TestApp> {
  const config = loadConfig({ LOG_LEVEL: "error", ...env });
  const runtime = await startRuntime(config, silentLogger);
  const logger = new ConsoleLogger({ logLevels: ["fatal"] });
  const app = await createApp(runtime, logger);
  await app.init();
  return {
    app,
    server: app.getHttpServer(),
    runtime,
    stop: async () => {
      await app.close();
      await runtime.stop();
    },
  };
}
