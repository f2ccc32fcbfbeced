import type { LoggerService } from "@nestjs/common";
import type { NextFunction, Request, Response } from "express";

/** One structured line per request: method, path, status, duration. Health probes log at debug. */
export function requestLogging(logger: LoggerService) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.on("finish", () => {
      const fields = {
        method: request.method,
        path: request.originalUrl,
        status: response.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      };
      if (request.path === "/health") logger.debug?.("request", fields, "http");
      else logger.log("request", fields, "http");
    });
    next();
  };
}
