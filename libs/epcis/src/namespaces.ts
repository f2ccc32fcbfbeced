import { isJsonObject } from "./json.js";

/** JSON-LD prefix → namespace IRI map taken from a document's @context (string entries ignored). */
export type Namespaces = Readonly<Record<string, string>>;

/**
 * The prefixes the EPCIS 2.0 JSON-LD context itself declares. Every EPCIS document has that context in scope,
 * so `gs1:Temperature` means `https://gs1.org/voc/Temperature` even when the document does not repeat the prefix
 * (the Python reference only knows prefixes repeated in the document; CBV 2.0 says CURIEs SHALL be expanded).
 */
export const EPCIS_CONTEXT_PREFIXES: Namespaces = {
  epcis: "https://ref.gs1.org/epcis/",
  cbv: "https://ref.gs1.org/cbv/",
  cbvmda: "urn:epcglobal:cbv:mda:",
  gs1: "https://gs1.org/voc/",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  owl: "http://www.w3.org/2002/07/owl#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
  dcterms: "http://purl.org/dc/terms/",
};

/**
 * The prefixes a document's @context declares (`{ "example": "https://ns.example.com/epcis/" }` entries, or
 * term definitions with an `@id`); context URLs and `@`-keywords are ignored.
 */
export function namespacesOf(document: unknown): Namespaces {
  return isJsonObject(document) ? namespacesOfContext(document["@context"]) : {};
}

export function namespacesOfContext(context: unknown): Namespaces {
  const entries = (Array.isArray(context) ? (context as readonly unknown[]) : [context]).filter(isJsonObject);
  return Object.fromEntries(
    entries.flatMap((entry) =>
      Object.entries(entry).flatMap(([prefix, definition]) => {
        const iri = iriOfDefinition(definition);
        return prefix.startsWith("@") || iri === undefined ? [] : [[prefix, iri] as const];
      }),
    ),
  );
}

function iriOfDefinition(definition: unknown): string | undefined {
  const iri = isJsonObject(definition) ? definition["@id"] : definition;
  return typeof iri === "string" && !iri.startsWith("@") ? iri : undefined;
}

export function namespaceOf(namespaces: Namespaces, prefix: string): string | undefined {
  return Object.hasOwn(namespaces, prefix) ? namespaces[prefix] : undefined;
}

/** `example:myField` → `{https://ns.example.com/epcis/}myField`; keys without a known prefix stay as they are. */
export function expandKey(key: string, namespaces: Namespaces): string {
  const colon = key.indexOf(":");
  const iri = colon < 0 ? undefined : namespaceOf(namespaces, key.slice(0, colon));
  return iri === undefined ? key : `{${iri}}${key.slice(colon + 1)}`;
}

/** `cbv:Comp-latitude` → `https://ref.gs1.org/cbv/Comp-latitude`; anything else stays as it is. */
export function expandCompactIri(value: string, namespaces: Namespaces): string {
  const colon = value.indexOf(":");
  const iri = colon < 0 ? undefined : namespaceOf(namespaces, value.slice(0, colon));
  return iri === undefined ? value : iri + value.slice(colon + 1);
}

/** The namespaces in scope for an event: the EPCIS context's prefixes, overridden by the document's. */
export function inScope(...layers: ReadonlyArray<Namespaces | undefined>): Namespaces {
  return layers.reduce<Namespaces>((scope, layer) => ({ ...scope, ...layer }), EPCIS_CONTEXT_PREFIXES);
}
