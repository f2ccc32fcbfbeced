import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from "@nestjs/common";
import type { Request, Response } from "express";
import { logServerError, toDomainError } from "../common/problem-details.filter.js";
import { sendPactError } from "./pact-errors.js";

/**
 * PACT routes answer errors in PACT's format (`{ code, message }` as application/json, PACT v3 "Error
 * responses"), not problem+json: PACT clients branch on those codes. Statuses follow our one mapping of error
 * kinds, except where PACT fixes them (NotImplemented is a 400).
 */
@Catch()
export class PactErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger("pact");

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const error = toDomainError(exception, request);
    logServerError(this.logger, error, request, exception);
    if (response.headersSent) return;
    sendPactError(error, response);
  }
}
