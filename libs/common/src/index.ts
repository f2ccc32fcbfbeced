export { DomainError, isDomainError, type ErrorDetails, type ErrorKind } from "./domain-error.js";
export { consoleLogger, silentLogger, type Logger } from "./logger.js";
export { isUuid } from "./uuid.js";
export { within } from "./deadline.js";
export { memoized } from "./memo.js";
export { utf8Bytes } from "./utf8.js";
