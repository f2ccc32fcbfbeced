import { readFile } from "node:fs/promises";
import type { ConsoleLogger } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import type { NestExpressApplication } from "@nestjs/platform-express";
import compression from "compression";
import type { Runtime } from "#runtime";
import { AppModule } from "./app.module.js";
import { XML_MEDIA_TYPES } from "./capture/capture.controller.js";
import { HOST_POLICY, HostPolicy, securityHeaders } from "./common/http-hardening.js";
import { ProblemDetailsFilter } from "./common/problem-details.filter.js";
import { answerParserErrors, requestHygiene } from "./common/request-hygiene.js";
import { deferPactBodyErrors } from "./pact/pact-body.js";
import { requestLogging } from "./common/request-logging.js";
import { validationPipe } from "./common/validation.js";
import { Metrics } from "./metrics/metrics.js";
import { setupOpenApi } from "./openapi.js";
import { QueryStreams } from "./queries/query-streams.js";

export const SERVICE_VERSION = "0.1.0";

/** The HTTP application on top of a started runtime; used by main.ts and by the end-to-end tests alike. */
/**
 * Node closes an idle keep-alive connection after 5 s, while clients (undici's fetch: 4 s; browsers, proxies and
 * load balancers: up to 60 s and more) may reuse it just as it closes, and their request fails with "other side
 * closed". The server waits longer than any usual client, so the client is the side that closes; headersTimeout
 * must exceed keepAliveTimeout, else an idle socket is cut by the headers timer first.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
const HEADERS_TIMEOUT_MS = 66_000;

function keepIdleConnectionsOpen(server: { keepAliveTimeout: number; headersTimeout: number }): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
}

export async function createApp(runtime: Runtime, logger: ConsoleLogger): Promise<NestExpressApplication> {
  const { tls } = runtime.config;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(runtime), {
    logger,
    // HTTPS only when configured: no plain listener and no redirect (PACT: tokens never travel in clear text).
    ...(tls === undefined
      ? {}
      : { httpsOptions: { cert: await readFile(tls.certFile), key: await readFile(tls.keyFile) } }),
    bodyParser: false,
    rawBody: true,
    abortOnError: false,
  });
  answerParserErrors(app.getHttpServer());
  keepIdleConnectionsOpen(app.getHttpServer());
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.set(HOST_POLICY, new HostPolicy(runtime.config));
  app.use(securityHeaders(runtime.config));
  // Pages, scripts and JSON go out as brotli or gzip when the client accepts it (a consumer's phone on a slow
  // network, a certifier downloading a bundle); images and other already-compressed types are left as they are.
  app.use(compression());
  app.use(requestLogging(logger));
  app.use(app.get(Metrics).httpMiddleware());
  // The largest JSON body is an EPCIS document; its digest is kept, so the raw bytes are retained too.
  app.useBodyParser("json", {
    limit: runtime.config.capture.maxBytes,
    type: ["application/json", "application/ld+json", "application/*+json"],
  });
  // EPCIS documents in the XML binding (POST /capture) are read as text and mapped to JSON-LD there.
  app.useBodyParser("text", { limit: runtime.config.capture.maxBytes, type: XML_MEDIA_TYPES });
  app.use(deferPactBodyErrors());
  // OAuth2 token requests (PACT `POST /auth/token`) are form-encoded.
  app.useBodyParser("urlencoded", { limit: "16kb", extended: false });
  app.use(requestHygiene());
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  app.useGlobalPipes(validationPipe());
  setupOpenApi(app, SERVICE_VERSION);
  app.get(QueryStreams).attach(app.getHttpServer());
  return app;
}
