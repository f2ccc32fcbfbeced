/**
 * The logging port libs write to. The API adapts Nest's logger to it; scripts and tests use `consoleLogger`.
 * `context` is a short component name ("postgres", "anvil", "ipfs"); `fields` are structured values.
 */
export interface Logger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
  child(context: string): Logger;
}

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A JSON-lines logger on stderr (console.error, so it also works in a browser), for scripts and tests. */
export function consoleLogger(context = "carbontrace", minLevel: Level = "info"): Logger {
  const write = (level: Level, message: string, fields?: Readonly<Record<string, unknown>>): void => {
    if (ORDER[level] < ORDER[minLevel]) return;
    console.error(JSON.stringify({ time: new Date().toISOString(), level, context, message, ...fields }));
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (child) => consoleLogger(`${context}.${child}`, minLevel),
  };
}

/** A logger that drops everything (tests that assert on behaviour, not on logs). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
