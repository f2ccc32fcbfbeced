import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DomainError, type Logger } from "#common";
import { projectRoot } from "./project-root.js";

/** Where GS1 publishes the EPCIS 2.0 JSON Schema (its own `$id`). */
export const EPCIS_SCHEMA_URL = "https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json";

export interface EpcisSchemaSource {
  readonly schema: Record<string, unknown> | undefined;
  /** Where it came from, or why there is none. */
  readonly detail: string;
}

/**
 * The official GS1 EPCIS 2.0 JSON Schema. GS1 publishes it under its own terms, so it is not part of this
 * repository; the service loads it at start, in this order:
 * 1. `EPCIS_JSON_SCHEMA` (a file or an http(s) URL), if set;
 * 2. a copy cached in DATA_DIR/cache by an earlier start;
 * 3. the GS1 conformance data checked out next to the project (`../shared/conformance/epcis/`), if present;
 * 4. GS1's published URL.
 * Whatever loads is cached in DATA_DIR. Without it, capture answers 503 and /health says why.
 */
export async function resolveEpcisSchema(
  configured: string | undefined,
  dataDir: string,
  log: Logger,
): Promise<EpcisSchemaSource> {
  const cache = join(dataDir, "cache", "epcis-json-schema.json");
  const candidates: Array<[string, () => Promise<string>]> = [];
  if (configured !== undefined) candidates.push([configured, () => load(configured)]);
  candidates.push([`cache ${cache}`, () => readFile(cache, "utf8")]);
  if (configured === undefined) {
    const sibling = siblingConformanceCopy();
    if (sibling !== undefined) candidates.push([sibling, () => readFile(sibling, "utf8")]);
    candidates.push([EPCIS_SCHEMA_URL, () => load(EPCIS_SCHEMA_URL)]);
  }
  const failures: string[] = [];
  for (const [source, read] of candidates) {
    try {
      const schema = parseSchema(await read());
      if (!source.startsWith("cache ")) await cacheCopy(cache, schema);
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

/** `../shared/conformance/epcis/EPCIS-JSON-Schema.json` beside the project checkout (the GS1 conformance data). */
function siblingConformanceCopy(): string | undefined {
  const copy = join(projectRoot(), "..", "shared", "conformance", "epcis", "EPCIS-JSON-Schema.json");
  return existsSync(copy) ? copy : undefined;
}
