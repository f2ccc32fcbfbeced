import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";
import { eventHashesOfDocument } from "./document.js";
import { documentFromXml } from "./xml-document.js";
import { documentToXml } from "./xml-writer.js";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/** The reference implementation's vectors, copied with their MIT licence: every `.xml` that has a `.hashes`. */
const EXAMPLES = join(REPO_ROOT, "test", "fixtures", "epcis-event-hash", "examples");

function lines(path: string): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "");
}

const XML_VECTORS = readdirSync(EXAMPLES)
  .filter((file) => file.endsWith(".xml") && existsSync(join(EXAMPLES, file.replace(/\.xml$/, ".hashes"))))
  .sort();

describe("documentFromXml: the reference implementation's XML vectors hash like the reference", () => {
  it("finds the XML vectors", () => {
    expect(XML_VECTORS.length).toBeGreaterThanOrEqual(15);
  });

  it.each(XML_VECTORS)("%s", (file) => {
    const base = join(EXAMPLES, file.replace(/\.xml$/, ""));
    const document = documentFromXml(readFileSync(`${base}.xml`, "utf8"));
    const expected = lines(`${base}.hashes`);
    const actual = eventHashesOfDocument(document);
    expect(actual).toEqual(expected);
  });
});

const JSON_VECTORS = readdirSync(EXAMPLES)
  .filter((file) => file.endsWith(".jsonld") && existsSync(join(EXAMPLES, file.replace(/\.jsonld$/, ".hashes"))))
  .sort();

describe("documentToXml: written as XML and read back, every vector keeps its event hashes", () => {
  it.each(XML_VECTORS)("%s (XML → JSON-LD → XML → JSON-LD)", (file) => {
    const document = documentFromXml(readFileSync(join(EXAMPLES, file), "utf8"));
    const again = documentFromXml(documentToXml(document));
    expect(eventHashesOfDocument(again)).toEqual(eventHashesOfDocument(document));
  });

  it.each(JSON_VECTORS)("%s (JSON-LD → XML → JSON-LD)", (file) => {
    const document = JSON.parse(readFileSync(join(EXAMPLES, file), "utf8")) as Record<string, unknown>;
    const xml = documentToXml(document);
    expect(eventHashesOfDocument(documentFromXml(xml))).toEqual(
      lines(join(EXAMPLES, file.replace(/\.jsonld$/, ".hashes"))),
    );
  });
});
