import "reflect-metadata";
import { ConfigError, describeConfig, loadConfig, type Config } from "#config";
import { startRuntime, type Runtime } from "#runtime";
import { createNestLogger, libLogger } from "./common/logging.js";
import { createApp } from "./server.js";

/**
 * `npm start`: validate the environment, start the runtime (embedded or external PostgreSQL, chain, IPFS),
 * serve HTTP, and on SIGINT/SIGTERM stop in order — HTTP first, then IPFS, chain (anvil writes its state),
 * database — before exiting.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const nestLogger = createNestLogger(config.log);
  const log = libLogger(nestLogger, "carbontrace");
  log.info("starting", { config: describeConfig(config) });

  let runtime: Runtime | undefined;
  let shuttingDown = false;
  const shutdown = async (reason: string, code: number): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info("shutting down", { reason });
    const force = setTimeout(() => {
      log.error("shutdown took longer than 30 s; exiting");
      process.exit(1);
    }, 30_000);
    force.unref();
    try {
      await app?.close();
      await runtime?.stop();
    } finally {
      log.info("stopped");
      process.exit(code);
    }
  };
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => void shutdown(signal, 0));
  }

  try {
    const started = Date.now();
    runtime = await startRuntime(config, log);
    if (shuttingDown) return;
    app = await createApp(runtime, nestLogger);
    await app.listen(config.port, config.host);
    const address = app.getHttpServer().address();
    const port = typeof address === "object" && address !== null ? address.port : config.port;
    log.info("CarbonTrace is serving", {
      url: `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`,
      docs: `/docs`,
      health: `/health`,
      startupMs: Date.now() - started,
    });
  } catch (error) {
    log.error("failed to start", {
      code: (error as { code?: unknown }).code,
      error: error instanceof Error ? error.message : String(error),
    });
    await shutdown("start failed", 1);
  }
}

void main();
