import "reflect-metadata";
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { NestExpressApplication } from "@nestjs/platform-express";
import type { Logger } from "#common";
import { ConfigError, describeConfig, loadConfig, type Config } from "#config";
import type { DocumentHashing } from "#proof";
import { startRuntime, type Runtime } from "#runtime";
import { createNestLogger, libLogger } from "./common/logging.js";
import { DOCUMENT_HASHING } from "./runtime.ports.js";
import { createApp } from "./server.js";

const EX_CONFIG = 78;
const SHUTDOWN_LIMIT_MS = 30_000;
/** In-flight requests get this long to finish once a stop begins; then their connections are closed. */
const DRAIN_LIMIT_MS = 10_000;

/** What is running, so that a signal at any moment stops exactly that, in order. */
class Service {
  private runtime?: Runtime;
  private app?: NestExpressApplication;
  private stopping?: Promise<void>;

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  async start(nestLogger: ReturnType<typeof createNestLogger>): Promise<void> {
    const started = Date.now();
    this.runtime = await startRuntime(this.config, this.log);
    if (this.isStopping) return;
    this.app = await createApp(this.runtime, nestLogger);
    const server: HttpServer = this.app.getHttpServer();
    // Once a stop begins, every response closes its connection: keep-alive clients cannot hold the stop open.
    server.prependListener("request", (_request: IncomingMessage, response: ServerResponse) => {
      if (this.isStopping) response.shouldKeepAlive = false;
    });
    await this.app.listen(this.config.port, this.config.host);
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : this.config.port;
    const host = this.config.host === "0.0.0.0" ? "localhost" : this.config.host;
    this.log.info("CarbonTrace is serving", {
      url: `${this.config.tls === undefined ? "http" : "https"}://${host}:${String(port)}`,
      docs: "/docs",
      health: "/health",
      startupMs: Date.now() - started,
      // 0 would mean the worker script was not found beside the code (the bundle lacks it): capture still works,
      // at a fraction of its speed.
      hashingThreads: this.app.get<DocumentHashing>(DOCUMENT_HASHING).threads,
    });
  }

  /**
   * HTTP first (no new connections; idle keep-alive connections closed now, in-flight requests given 10 s), then
   * IPFS, chain (its state written first), database; then exit.
   */
  stop(reason: string, code: number): Promise<void> {
    this.stopping ??= (async () => {
      this.log.info("shutting down", { reason });
      setTimeout(() => {
        this.log.error("shutdown took longer than 30 s; exiting");
        process.exit(1);
      }, SHUTDOWN_LIMIT_MS).unref();
      try {
        const server: HttpServer | undefined = this.app?.getHttpServer();
        server?.closeIdleConnections();
        const force = setTimeout(() => server?.closeAllConnections(), DRAIN_LIMIT_MS);
        force.unref();
        await this.app?.close();
        clearTimeout(force);
        await this.runtime?.stop();
      } finally {
        this.log.info("stopped");
        process.exit(code);
      }
    })();
    return this.stopping;
  }
}

/**
 * Whatever reads the log (a pipe to a collector, `| tee`, the process that started the service) may go away first.
 * A write to the closed pipe then fails with EPIPE, which would end the process on the spot and leave the embedded
 * database and chain running; the service goes on serving and stops in order, its log lines lost.
 */
function keepRunningWithoutLogReader(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
  }
}

/**
 * `npm start`: validate the environment, start the runtime (embedded or external PostgreSQL, chain, IPFS),
 * serve HTTP, and stop in order on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  keepRunningWithoutLogReader();
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(EX_CONFIG);
    }
    throw error;
  }

  const nestLogger = createNestLogger(config.log);
  const log = libLogger(nestLogger, "carbontrace");
  log.info("starting", { config: describeConfig(config) });
  const service = new Service(config, log);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => void service.stop(signal, 0));
  }
  try {
    await service.start(nestLogger);
  } catch (error) {
    log.error("failed to start", {
      code: (error as { code?: unknown }).code,
      error: error instanceof Error ? error.message : String(error),
    });
    await service.stop("start failed", 1);
  }
}

void main();
