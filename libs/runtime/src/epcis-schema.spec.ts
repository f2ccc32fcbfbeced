import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { silentLogger } from "#common";
import { resolveEpcisSchema } from "./epcis-schema.js";

const dir = mkdtempSync(join(tmpdir(), "carbontrace-schema-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in with the shape the loader checks; the real schema is GS1's and is not in this repository. */
const standIn = { $id: "https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json", type: "object", definitions: {} };

describe("resolveEpcisSchema", () => {
  it("loads a configured file and caches it in DATA_DIR", async () => {
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

  it("says what it tried when nothing is available", async () => {
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
