import { readFile } from "node:fs/promises";
import type { ConsoleLogger } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import type { NestExpressApplication } from "@nestjs/platform-express";
import type { Runtime } from "#runtime";
import { AppModule } from "./app.module.js";
import { HOST_POLICY, HostPolicy, securityHeaders } from "./common/http-hardening.js";
import { ProblemDetailsFilter } from "./common/problem-details.filter.js";
import { answerParserErrors, requestHygiene } from "./common/request-hygiene.js";
import { requestLogging } from "./common/request-logging.js";
import { validationPipe } from "./common/validation.js";
import { Metrics } from "./metrics/metrics.js";
import { setupOpenApi } from "./openapi.js";

export const SERVICE_VERSION = "0.1.0";

/** The HTTP application on top of a started runtime; used by main.ts and by the end-to-end tests alike. */
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
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.set(HOST_POLICY, new HostPolicy(runtime.config));
  app.use(securityHeaders(runtime.config));
  app.use(requestLogging(logger));
  app.use(app.get(Metrics).httpMiddleware());
  // The largest JSON body is an EPCIS document; its digest is kept, so the raw bytes are retained too.
  app.useBodyParser("json", {
    limit: runtime.config.capture.maxBytes,
    type: ["application/json", "application/ld+json", "application/*+json"],
  });
  // OAuth2 token requests (PACT `POST /auth/token`) are form-encoded.
  app.useBodyParser("urlencoded", { limit: "16kb", extended: false });
  app.use(requestHygiene());
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  app.useGlobalPipes(validationPipe());
  setupOpenApi(app, SERVICE_VERSION);
  return app;
}
