import { ConsoleLogger, type Logger as NestLogger, type LogLevel as NestLogLevel } from "@nestjs/common";
import type { Logger } from "#common";
import type { Config, LogLevel } from "#config";

const NEST_LEVELS: Record<LogLevel, NestLogLevel[]> = {
  debug: ["fatal", "error", "warn", "log", "debug", "verbose"],
  info: ["fatal", "error", "warn", "log"],
  warn: ["fatal", "error", "warn"],
  error: ["fatal", "error"],
};

/** Keys whose values never reach a log line, at any depth. */
const REDACTED = ["password", "privateKey", "apiKey", "authorization", "secret", "token"];

/** Nest's logger in JSON-lines (or text) mode; every line carries level, pid, timestamp, context. */
export function createNestLogger(config: Config["log"]): ConsoleLogger {
  return new ConsoleLogger({
    json: config.format === "json",
    colors: config.format === "text",
    logLevels: NEST_LEVELS[config.level],
    structuredParams: true,
    flattenParams: true,
    redact: REDACTED,
  });
}

/** Adapts Nest's logger to the logging port the libs write to. */
export function libLogger(nest: ConsoleLogger, context: string): Logger {
  const fieldsOf = (fields?: Readonly<Record<string, unknown>>): unknown[] => (fields === undefined ? [] : [fields]);
  return {
    debug: (message, fields) => nest.debug(message, ...fieldsOf(fields), context),
    info: (message, fields) => nest.log(message, ...fieldsOf(fields), context),
    warn: (message, fields) => nest.warn(message, ...fieldsOf(fields), context),
    error: (message, fields) => nest.error(message, ...fieldsOf(fields), context),
    child: (child) => libLogger(nest, `${context}.${child}`),
  };
}

/** Adapts one of Nest's context loggers (`new Logger("context")`) to the logging port the libs write to. */
export function nestLog(logger: NestLogger): Logger {
  const self: Logger = {
    debug: (message, fields) => logger.debug(message, fields),
    info: (message, fields) => logger.log(message, fields),
    warn: (message, fields) => logger.warn(message, fields),
    error: (message, fields) => logger.error(message, fields),
    child: () => self,
  };
  return self;
}
