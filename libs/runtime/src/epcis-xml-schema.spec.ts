import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { captureDocumentFromXml, EpcisSchemaValidator } from "#capture";
import { silentLogger } from "#common";
import { documentToXml, eventHashesOfDocument, readEpcisXml } from "#epcis";
import { resolveEpcisSchema } from "./epcis-schema.js";
import { resolveEpcisXmlSchema, type EpcisXmlSchema } from "./epcis-xml-schema.js";
import { projectRoot } from "./project-root.js";

const dir = mkdtempSync(join(tmpdir(), "carbontrace-xsd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GS1's EPCIS XSDs and examples, when the conformance data sits beside the checkout (GS1's licence: not copied). */
const EPCIS = join(projectRoot(), "..", "shared", "conformance", "epcis");
const XSD = join(EPCIS, "XSD");

/**
 * Where GS1's XSD and GS1's JSON Schema disagree, the JSON-LD form is refused with the reason named (it is what
 * gets stored and signed): the XSD lets an AggregationEvent carry persistentDisposition and a sensorReport go
 * without a type; the JSON Schema does not.
 */
const GS1_SCHEMA_DIFFERENCES: Readonly<Record<string, RegExp>> = {
  "XML/Example-PersistentDisposition.xml": /property name must be valid \(persistentDisposition\)/,
  "XML/WithSensorData/SensorDataExamples.xml": /sensorReport\/0 must have required property 'type'/,
};

/** The files under `folder` (none when the conformance data is not beside the checkout: those tests skip). */
function filesIn(folder: string, extension: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .flatMap((name) => {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) return filesIn(path, extension);
      return name.endsWith(extension) ? [path] : [];
    })
    .sort();
}

describe("resolveEpcisXmlSchema", () => {
  it("without EPCIS_XML_SCHEMA, checks XML through the JSON Schema only, and says how to add the XSDs", async () => {
    const xml = await resolveEpcisXmlSchema(undefined, silentLogger);
    expect(xml.validate).toBeUndefined();
    expect(xml.detail).toContain("set EPCIS_XML_SCHEMA");
  });

  it("says why a folder without GS1's XSDs is not used", async () => {
    writeFileSync(join(dir, "other.xsd"), "<xsd:schema xmlns:xsd='http://www.w3.org/2001/XMLSchema'/>");
    const xml = await resolveEpcisXmlSchema(dir, silentLogger);
    expect(xml.validate).toBeUndefined();
    expect(xml.detail).toContain("EPCglobal-epcis-2_0.xsd is missing");
  });
});

(existsSync(XSD) ? describe : describe.skip)("GS1's EPCIS 2.0 XSDs and examples", () => {
  let xsd: EpcisXmlSchema;
  let validator: EpcisSchemaValidator;

  beforeAll(async () => {
    xsd = await resolveEpcisXmlSchema(XSD, silentLogger);
    const json = await resolveEpcisSchema(undefined, join(dir, "data"), silentLogger);
    if (json.schema === undefined) throw new Error(json.detail);
    validator = new EpcisSchemaValidator(json.schema);
  });

  const documents = filesIn(join(EPCIS, "XML"), ".xml").filter((file) =>
    /<(?:\w+:)?EPCIS(?:Query)?Document\b/.test(readFileSync(file, "utf8")),
  );

  it("finds GS1's XML example documents", () => {
    expect(documents.length).toBeGreaterThanOrEqual(30);
  });

  it.each(documents.map((file) => [relative(EPCIS, file), file]))(
    "%s: valid under the XSD, and its JSON-LD form under the JSON Schema",
    async (_name, file) => {
      const text = readFileSync(file, "utf8");
      const read = captureDocumentFromXml(text);
      if (xsd.validate !== undefined && read.version === "2.0") {
        expect(await xsd.validate(text, read.kind)).toEqual([]);
      }
      const difference = GS1_SCHEMA_DIFFERENCES[relative(EPCIS, file)];
      if (difference === undefined) expect(() => validator.check(read.document)).not.toThrow();
      else expect(() => validator.check(read.document)).toThrow(difference);
    },
    30_000,
  );

  const jsonExamples = filesIn(join(EPCIS, "JSON"), ".jsonld");

  it.each(jsonExamples.map((file) => [relative(EPCIS, file), file]))(
    "%s written as XML: valid under the XSD, and read back with the same event hashes",
    async (_name, file) => {
      const document = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      const xml = documentToXml(document);
      const read = readEpcisXml(xml);
      expect(await xsd.validate?.(xml, read.kind)).toEqual([]);
      expect(eventHashesOfDocument(read.document)).toEqual(eventHashesOfDocument(document));
    },
    30_000,
  );

  it("names what the XSD refuses", async () => {
    const text = readFileSync(documents[0] ?? "", "utf8").replace(/<eventTime>[^<]*<\/eventTime>/, "");
    const problems = await xsd.validate?.(text, "EPCISDocument");
    expect(problems?.join("\n")).toMatch(/eventTime|recordTime|eventTimeZoneOffset/);
  });
});
