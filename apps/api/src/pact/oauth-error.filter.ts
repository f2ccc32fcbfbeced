import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from "@nestjs/common";
import type { Request, Response } from "express";
import { logServerError, toDomainError } from "../common/problem-details.filter.js";
import { retryAfterOf } from "../common/problem-details.js";

/** The token endpoint answers errors as RFC 6749 §5.2 says (`{ error, error_description }`), not problem+json. */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger("pact");

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const error = toDomainError(exception, request);
    logServerError(this.logger, error, request, exception);
    if (response.headersSent) return;
    const [status, code] =
      error.code === "OAUTH.INVALID_CLIENT"
        ? [401, "invalid_client"]
        : error.code === "OAUTH.UNSUPPORTED_GRANT_TYPE"
          ? [400, "unsupported_grant_type"]
          : error.kind === "rate-limited"
            ? [429, "slow_down"]
            : error.kind === "internal" || error.kind === "unavailable"
              ? [500, "server_error"]
              : [400, "invalid_request"];
    if (status === 401) response.setHeader("WWW-Authenticate", 'Basic realm="CarbonTrace PACT"');
    const retryAfter = retryAfterOf(error);
    if (retryAfter !== undefined) response.setHeader("Retry-After", retryAfter);
    response
      .status(status)
      .setHeader("Cache-Control", "no-store")
      .type("application/json")
      .send(JSON.stringify({ error: code, error_description: error.message }));
  }
}
