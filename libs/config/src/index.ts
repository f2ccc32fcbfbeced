export {
  ConfigError,
  describeConfig,
  envSchema,
  loadConfig,
  LOG_LEVELS,
  type Config,
  type LogLevel,
} from "./config.js";
export type { EnvVar } from "./env-schema.js";
