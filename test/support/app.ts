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
  /** The administrator's API key. */
  readonly adminKey: string;
  /** Base URL when started with `listen: true`. */
  readonly url: string;
  stop(): Promise<void>;
}

/** The real HTTP app on a real runtime, configured through environment variables like `npm start`. */
export async function startTestApp(env: Record<string, string>, options: { listen?: boolean } = {}): Promise<TestApp> {
  const config = loadConfig({ LOG_LEVEL: "error", ...env });
  const runtime = await startRuntime(config, silentLogger);
  const logger = new ConsoleLogger({ logLevels: ["fatal"] });
  const app = await createApp(runtime, logger);
  let url = "";
  if (options.listen === true) {
    await app.listen(0, "127.0.0.1");
    const address = app.getHttpServer().address();
    url = `http://127.0.0.1:${typeof address === "object" && address !== null ? String(address.port) : "0"}`;
  } else {
    await app.init();
  }
  return {
    app,
    server: app.getHttpServer(),
    runtime,
    adminKey: runtime.secrets.adminApiKey,
    url,
    stop: async () => {
      await app.close();
      await runtime.stop();
    },
  };
}
