import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { validateXML, type XMLFileInfo } from "xmllint-wasm";
import { DomainError, type Logger } from "#common";

/** The GS1 EPCIS 2.0 XML schemas a folder must hold (with the files they import, all side by side). */
const DOCUMENT_XSD = "EPCglobal-epcis-2_0.xsd";
const QUERY_XSD = "EPCglobal-epcis-query-2_0.xsd";

export type EpcisXmlKind = "EPCISDocument" | "EPCISQueryDocument";

/**
 * XML capture's schema check. GS1's XSDs may not be copied into this repository (GS1 licence), and no package
 * of the registry ships them, so they are configured (`EPCIS_XML_SCHEMA`, a folder of the GS1 EPCIS 2.0 XSDs).
 * Without them XML is still read strictly: it is mapped to JSON-LD and validated against the GS1 JSON Schema,
 * which describes the same model.
 */
export interface EpcisXmlSchema {
  /** What XML capture is validated against, for /health and the README. */
  readonly detail: string;
  /** The XSD problems of a document (empty when valid); undefined without configured XSDs. */
  readonly validate: ((xml: string, kind: EpcisXmlKind) => Promise<readonly string[]>) | undefined;
}

export async function resolveEpcisXmlSchema(folder: string | undefined, log: Logger): Promise<EpcisXmlSchema> {
  const fallback = "XML is mapped to JSON-LD and checked against the JSON Schema";
  if (folder === undefined) {
    return {
      detail: `${fallback} (set EPCIS_XML_SCHEMA to a folder of GS1's EPCIS 2.0 XSDs to check them too)`,
      validate: undefined,
    };
  }
  try {
    const files = await xsdFilesIn(folder);
    log.info("EPCIS XML schemas loaded", { folder, files: files.length });
    return {
      detail: `EPCIS 2.0 XML checked against GS1's XSDs in ${folder}`,
      validate: (xml, kind) => xsdProblems(xml, kind, files),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log.warn("EPCIS_XML_SCHEMA unusable: XML capture is checked against the JSON Schema only", { folder, reason });
    return { detail: `${fallback}: EPCIS_XML_SCHEMA ${folder} unusable (${reason})`, validate: undefined };
  }
}

async function xsdFilesIn(folder: string): Promise<XMLFileInfo[]> {
  const names = (await readdir(folder)).filter((name) => name.endsWith(".xsd"));
  for (const required of [DOCUMENT_XSD, QUERY_XSD]) {
    if (!names.includes(required)) throw new Error(`${required} is missing`);
  }
  return Promise.all(
    names.map(async (fileName) => ({ fileName, contents: await readFile(join(folder, fileName), "utf8") })),
  );
}

/**
 * xmllint (libxml2 compiled to WebAssembly, in a worker) with the document and the schemas in its own in-memory
 * file system: it reads nothing else and reaches no network.
 */
async function xsdProblems(xml: string, kind: EpcisXmlKind, files: readonly XMLFileInfo[]): Promise<readonly string[]> {
  const main = kind === "EPCISQueryDocument" ? QUERY_XSD : DOCUMENT_XSD;
  const schema = files.find((file) => file.fileName === main);
  if (schema === undefined) throw new DomainError("EPCIS.SCHEMA_UNAVAILABLE", "unavailable", `${main} is missing`);
  const result = await validateXML({
    xml: { fileName: "document.xml", contents: xml },
    schema,
    preload: files.filter((file) => file !== schema),
  });
  return result.valid ? [] : result.errors.map((error) => error.message.replace(/^document\.xml:?/, "").trim());
}
