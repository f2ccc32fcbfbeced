import { DOMParser, type Element } from "@xmldom/xmldom";
import { DomainError } from "#common";
import {
  BIZ_STEPS,
  BUSINESS_TRANSACTION_TYPES,
  DISPOSITIONS,
  ERROR_REASONS,
  SOURCE_DESTINATION_TYPES,
  type Vocabulary,
} from "./cbv-vocabulary.js";
import { IGNORE_FIELDS } from "./document.js";
import type { JsonObject } from "./json.js";

/**
 * The EPCIS XML binding (1.2 and 2.0) read into the JSON-LD binding, the form CarbonTrace stores, hashes and
 * signs. The mapping is the standard's (EPCIS 2.0 §9 and its JSON-LD schema): each event element becomes an
 * object with `type` = its element name, list elements become arrays, `bizTransaction`/`source`/`destination`
 * keep their `type` attribute, sensor metadata and reports take their attributes as fields, `quantity` and the
 * sensor values are numbers, and 1.2's `<extension>` / `<baseExtension>` wrappers are flattened. Elements of
 * other namespaces are user extensions: they keep their XML prefix (declared in the `@context`), nest as
 * objects and repeat as arrays. CBV 1.x URNs of the standard fields (`urn:epcglobal:cbv:bizstep:shipping`) become
 * the bare words the JSON-LD binding uses (`shipping`), as GS1's JSON Schema requires; other values are kept as
 * written. The event hash of the JSON-LD equals the one the reference implementation computes from the XML (the
 * vectors prove it), except where the reference's JSON path itself differs from its XML path (docs/event-hash.md).
 */
export const EPCIS_XML_NAMESPACES = {
  "urn:epcglobal:epcis:xsd:2": "2.0",
  "urn:epcglobal:epcis:xsd:1": "1.2",
  "urn:epcglobal:epcis-query:xsd:2": "2.0",
  "urn:epcglobal:epcis-query:xsd:1": "1.2",
} as const satisfies Readonly<Record<string, string>>;

export const EPCIS_CONTEXT_URL = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

const EVENT_TYPES = new Set([
  "ObjectEvent",
  "AggregationEvent",
  "TransactionEvent",
  "TransformationEvent",
  "AssociationEvent",
]);

const XSI = "http://www.w3.org/2001/XMLSchema-instance";

/** Namespaces that never name a user extension (XML itself, XML Schema instance, the EPCIS and SBDH schemas). */
const STRUCTURAL_NAMESPACES = new Set([
  "http://www.w3.org/XML/1998/namespace",
  "http://www.w3.org/2000/xmlns/",
  XSI,
  "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader",
  ...Object.keys(EPCIS_XML_NAMESPACES),
]);

/** CarbonTrace's signatures (libs/capture): in XML, one `<ct:signature>` per event inside `<ct:signatures>`. */
export const SIGNATURES = "{https://carbontrace.org/ns/epcis/}signatures";

const EPC_LISTS = new Set(["epcList", "childEPCs", "inputEPCList", "outputEPCList"]);
const QUANTITY_LISTS = new Set(["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"]);
const TYPED_LISTS: Readonly<Record<string, string>> = {
  bizTransactionList: "bizTransaction",
  sourceList: "source",
  destinationList: "destination",
};
const NUMERIC_SENSOR_FIELDS = new Set(["value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue"]);
const WRAPPERS = new Set(["extension", "baseExtension"]);

/** The CBV URN prefix of each vocabulary (CBV 1.2 §7), read back to the JSON-LD binding's bare words. */
const CBV_URNS: ReadonlyArray<readonly [Vocabulary, string]> = [
  [BIZ_STEPS, "urn:epcglobal:cbv:bizstep:"],
  [DISPOSITIONS, "urn:epcglobal:cbv:disp:"],
  [BUSINESS_TRANSACTION_TYPES, "urn:epcglobal:cbv:btt:"],
  [SOURCE_DESTINATION_TYPES, "urn:epcglobal:cbv:sdt:"],
  [ERROR_REASONS, "urn:epcglobal:cbv:er:"],
];

/** `urn:epcglobal:cbv:bizstep:shipping` or `https://ref.gs1.org/cbv/BizStep-shipping` → `shipping`. */
function bareCbv(value: string, vocabulary: Vocabulary): string {
  const urn = CBV_URNS.find(([candidate]) => candidate === vocabulary)?.[1];
  for (const prefix of [urn, vocabulary.base]) {
    if (prefix !== undefined && value.startsWith(prefix) && vocabulary.terms.has(value.slice(prefix.length))) {
      return value.slice(prefix.length);
    }
  }
  return value;
}

const TYPED_LIST_VOCABULARY: Readonly<Record<string, Vocabulary>> = {
  bizTransactionList: BUSINESS_TRANSACTION_TYPES,
  sourceList: SOURCE_DESTINATION_TYPES,
  destinationList: SOURCE_DESTINATION_TYPES,
};

type Json = unknown;
type MutableJson = Record<string, Json>;

export function invalidXml(message: string, details: Readonly<Record<string, unknown>> = {}): DomainError {
  return new DomainError("EPCIS.INVALID_XML", "invalid", message, details);
}

/** An EPCIS XML document read: its JSON-LD form, and what the XML was. */
export interface EpcisXml {
  readonly document: JsonObject;
  readonly version: "1.2" | "2.0";
  readonly kind: "EPCISDocument" | "EPCISQueryDocument";
}

/**
 * An EPCISDocument or EPCISQueryDocument in the XML binding, as the JSON-LD document of the same events.
 * @throws DomainError `EPCIS.INVALID_XML` for text that is not well-formed XML, carries a DTD, or is not an EPCIS
 *   document; the JSON-LD result is then checked like any JSON capture (schema, events, signatures).
 */
export function documentFromXml(xml: string): JsonObject {
  return readEpcisXml(xml).document;
}

export function readEpcisXml(text: string): EpcisXml {
  const xml = text.startsWith("\uFEFF") ? text.slice(1) : text;
  // EPCIS has no DTD: refusing declarations and external subsets shuts out entity expansion ("billion laughs")
  // and external entities. A bare `<!DOCTYPE name>` (some of GS1's own examples carry one) declares nothing.
  if (/<!ENTITY/i.test(xml) || /<!DOCTYPE(?!\s+[\w.:-]+\s*>)/i.test(xml)) {
    throw invalidXml("EPCIS XML must not carry a DTD (a DOCTYPE with declarations, entities or an external subset)");
  }
  const root = parseXml(xml).documentElement;
  const namespace = root?.namespaceURI ?? null;
  const kind = root?.localName;
  if (
    root === null ||
    namespace === null ||
    !isEpcisNamespace(namespace) ||
    (kind !== "EPCISDocument" && kind !== "EPCISQueryDocument")
  ) {
    throw invalidXml(
      `Not an EPCIS XML document: the root element is {${namespace ?? ""}}${kind ?? "nothing"}, ` +
        "expected EPCISDocument or EPCISQueryDocument in urn:epcglobal:epcis:xsd:2 (or :1, or epcis-query)",
    );
  }
  const version = EPCIS_XML_NAMESPACES[namespace as keyof typeof EPCIS_XML_NAMESPACES];
  return { document: new XmlReader(schemesIn(root)).document(root), version, kind };
}

/**
 * The URI schemes values use (`example:someSensorProperty`, `urn:…`). XML attribute and text values are URIs,
 * never prefixed names, so a JSON-LD prefix with the same name would change their meaning (and their hash).
 */
function schemesIn(root: Element): ReadonlySet<string> {
  const schemes = new Set<string>();
  const note = (value: string): void => {
    const scheme = /^\s*([A-Za-z][A-Za-z0-9+.-]*):/.exec(value)?.[1];
    if (scheme !== undefined) schemes.add(scheme);
  };
  const visit = (element: Element): void => {
    for (const attribute of Array.from(element.attributes)) note(attribute.value);
    for (let node = element.firstChild; node !== null; node = node.nextSibling) {
      if (node.nodeType === node.ELEMENT_NODE) visit(node as Element);
      else if (node.nodeType === node.TEXT_NODE) note(node.nodeValue ?? "");
    }
  };
  visit(root);
  return schemes;
}

function parseXml(xml: string): { readonly documentElement: Element | null } {
  try {
    return new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") throw invalidXml(`Malformed XML: ${message.trim()}`);
      },
    }).parseFromString(xml, "application/xml");
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw invalidXml(`Malformed XML: ${error instanceof Error ? error.message.trim() : String(error)}`);
  }
}

function isEpcisNamespace(namespace: string | null): boolean {
  return namespace !== null && Object.hasOwn(EPCIS_XML_NAMESPACES, namespace);
}

function childElements(element: Element): Element[] {
  const children: Element[] = [];
  for (let node = element.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE) children.push(node as Element);
  }
  return children;
}

function textOf(element: Element): string {
  return (element.textContent ?? "").trim();
}

function numberOf(text: string, where: string): number {
  const value = Number(text);
  if (text === "" || !Number.isFinite(value)) throw invalidXml(`${where} must be a number, not "${text}"`, { where });
  return value;
}

function expandedName(element: { readonly namespaceURI: string | null; readonly localName: string | null }): string {
  return `{${element.namespaceURI ?? ""}}${element.localName ?? ""}`;
}

/** One document's reading: collects the prefixes its user extensions need in the JSON-LD @context. */
class XmlReader {
  /** namespace IRI → prefix used in the JSON keys. */
  private readonly prefixes = new Map<string, string>();

  constructor(private readonly valueSchemes: ReadonlySet<string>) {}

  document(root: Element): JsonObject {
    const isQuery = root.localName === "EPCISQueryDocument";
    const document: MutableJson = {
      type: isQuery ? "EPCISQueryDocument" : "EPCISDocument",
      // The JSON-LD written here is EPCIS 2.0 whichever XML version it came from.
      schemaVersion: "2.0",
      creationDate: root.getAttribute("creationDate") ?? "",
    };
    const body = childElements(root).find((child) => child.localName === "EPCISBody");
    // The reference implementation also reads query results written straight under the root (no EPCISBody).
    const resultsAtRoot = isQuery && body === undefined;
    if (!resultsAtRoot) {
      for (const child of childElements(root)) {
        if (this.isExtension(child)) this.addExtension(document, child);
      }
    }
    if (isQuery) {
      document.epcisBody = {
        queryResults: this.queryResults(body === undefined ? root : this.single(body, "QueryResults")),
      };
    } else {
      document.epcisBody = { eventList: this.eventList(body ?? this.single(root, "EPCISBody")) };
    }
    return { "@context": this.context(), ...document };
  }

  private context(): Json {
    if (this.prefixes.size === 0) return EPCIS_CONTEXT_URL;
    return [EPCIS_CONTEXT_URL, Object.fromEntries([...this.prefixes].map(([iri, prefix]) => [prefix, iri]))];
  }

  private single(parent: Element, name: string): Element {
    const found = childElements(parent).find((child) => child.localName === name);
    if (found === undefined) throw invalidXml(`${parent.localName ?? "element"} has no ${name}`, { missing: name });
    return found;
  }

  private queryResults(results: Element): MutableJson {
    const out: MutableJson = {};
    for (const child of childElements(results)) {
      const name = child.localName ?? "";
      if (name === "resultsBody") out.resultsBody = { eventList: this.eventList(child) };
      else if (name === "queryName" || name === "subscriptionID") out[name] = textOf(child);
      else if (this.isExtension(child)) this.addExtension(out, child);
    }
    return out;
  }

  private eventList(parent: Element): MutableJson[] {
    return this.eventsIn(this.single(parent, "EventList"));
  }

  /** Events in document order; 1.2 puts TransformationEvent inside an `<extension>` of the list. */
  private eventsIn(list: Element): MutableJson[] {
    return childElements(list).flatMap((child) => {
      const name = child.localName ?? "";
      if (WRAPPERS.has(name)) return this.eventsIn(child);
      if (!EVENT_TYPES.has(name)) throw invalidXml(`Unknown event element ${name} in EventList`, { element: name });
      return [this.event(child)];
    });
  }

  private event(element: Element): MutableJson {
    const event: MutableJson = { type: element.localName ?? "" };
    for (const child of childElements(element)) this.addEventField(event, child);
    return event;
  }

  private addEventField(target: MutableJson, child: Element): void {
    if (this.isExtension(child)) {
      this.addExtension(target, child);
      return;
    }
    const name = child.localName ?? "";
    if (WRAPPERS.has(name)) {
      for (const grandchild of childElements(child)) this.addEventField(target, grandchild);
    } else if (EPC_LISTS.has(name)) {
      target[name] = childElements(child).map(textOf);
    } else if (QUANTITY_LISTS.has(name)) {
      target[name] = childElements(child).map((element) => this.quantityElement(element));
    } else if (Object.hasOwn(TYPED_LISTS, name)) {
      const vocabulary = TYPED_LIST_VOCABULARY[name] as Vocabulary;
      target[name] = childElements(child).map((element) =>
        this.typedEntry(element, TYPED_LISTS[name] ?? name, vocabulary),
      );
    } else if (name === "readPoint" || name === "bizLocation") {
      target[name] = this.fieldsOf(child);
    } else if (name === "sensorElementList") {
      target[name] = childElements(child).map((element) => this.sensorElement(element));
    } else if (name === "persistentDisposition") {
      target[name] = this.persistentDisposition(child);
    } else if (name === "errorDeclaration") {
      target[name] = this.errorDeclaration(child);
    } else if (name === "ilmd") {
      target[name] = this.fieldsOf(child);
    } else if (name === "bizStep" || name === "disposition") {
      target[name] = bareCbv(textOf(child), name === "bizStep" ? BIZ_STEPS : DISPOSITIONS);
    } else if (name === "certificationInfo") {
      appendRepeated(target, name, textOf(child));
    } else {
      target[name] = textOf(child);
    }
  }

  private isExtension(element: Element): boolean {
    return element.namespaceURI !== null && !STRUCTURAL_NAMESPACES.has(element.namespaceURI);
  }

  /** An element of the EPCIS schema holding simple fields (`id`, …) and possibly user extensions. */
  private fieldsOf(element: Element): MutableJson {
    const out: MutableJson = {};
    for (const child of childElements(element)) {
      if (this.isExtension(child)) this.addExtension(out, child);
      else if (WRAPPERS.has(child.localName ?? "")) Object.assign(out, this.fieldsOf(child));
      else out[child.localName ?? ""] = textOf(child);
    }
    return out;
  }

  private quantityElement(element: Element): MutableJson {
    const out = this.fieldsOf(element);
    const quantity = childElements(element).find((child) => child.localName === "quantity");
    // `<quantity xsi:nil="true"/>`: the amount is unknown, which JSON-LD says by leaving quantity out.
    if (quantity?.getAttributeNS(XSI, "nil") === "true") delete out.quantity;
    else if (typeof out.quantity === "string") out.quantity = numberOf(out.quantity, "quantity");
    return out;
  }

  private typedEntry(element: Element, valueKey: string, vocabulary: Vocabulary): MutableJson {
    const type = element.getAttribute("type");
    return { ...(type === null ? {} : { type: bareCbv(type, vocabulary) }), [valueKey]: textOf(element) };
  }

  private sensorElement(element: Element): MutableJson {
    const out: MutableJson = {};
    for (const child of childElements(element)) {
      const name = child.localName ?? "";
      if (this.isExtension(child)) this.addExtension(out, child);
      else if (name === "sensorMetadata") out.sensorMetadata = this.attributesOf(child);
      else if (name === "sensorReport") appendRepeated(out, "sensorReport", this.attributesOf(child), true);
      else if (WRAPPERS.has(name)) Object.assign(out, this.fieldsOf(child));
      else throw invalidXml(`Unknown element ${name} in sensorElement`, { element: name });
    }
    return out;
  }

  private attributesOf(element: Element): MutableJson {
    const out: MutableJson = {};
    for (const attribute of Array.from(element.attributes)) {
      const namespace = attribute.namespaceURI;
      if (namespace !== null && STRUCTURAL_NAMESPACES.has(namespace)) continue;
      if (attribute.name === "xmlns" || attribute.prefix === "xmlns") continue;
      const name = attribute.localName ?? attribute.name;
      const key = namespace === null ? name : this.keyFor(namespace, attribute.prefix, name);
      out[key] = sensorValue(name, attribute.value, namespace === null);
    }
    for (const child of childElements(element)) {
      if (this.isExtension(child)) this.addExtension(out, child);
    }
    return out;
  }

  private persistentDisposition(element: Element): MutableJson {
    const out: MutableJson = {};
    for (const child of childElements(element)) {
      const name = child.localName ?? "";
      if (this.isExtension(child)) this.addExtension(out, child);
      else if (name === "set" || name === "unset")
        appendRepeated(out, name, bareCbv(textOf(child), DISPOSITIONS), true);
    }
    return out;
  }

  private errorDeclaration(element: Element): MutableJson {
    const out: MutableJson = {};
    for (const child of childElements(element)) {
      const name = child.localName ?? "";
      if (this.isExtension(child)) this.addExtension(out, child);
      else if (name === "correctiveEventIDs") out.correctiveEventIDs = childElements(child).map(textOf);
      else if (WRAPPERS.has(name)) Object.assign(out, this.fieldsOf(child));
      else if (name === "reason") out.reason = bareCbv(textOf(child), ERROR_REASONS);
      else out[name] = textOf(child);
    }
    return out;
  }

  private addExtension(target: MutableJson, element: Element): void {
    const key = this.keyFor(element.namespaceURI ?? "", element.prefix, element.localName ?? "");
    const expanded = expandedName(element);
    if (expanded === IGNORE_FIELDS) {
      target[key] = childElements(element).map((field) =>
        this.keyFor(field.namespaceURI ?? "", field.prefix, field.localName ?? ""),
      );
    } else if (expanded === SIGNATURES) {
      target[key] = childElements(element).map((signature) => this.extensionValue(signature));
    } else {
      appendRepeated(target, key, this.extensionValue(element));
    }
  }

  /** A user extension: its text, or an object of its attributes and child elements (repeated names → arrays). */
  private extensionValue(element: Element): Json {
    const children = childElements(element);
    const attributes = Array.from(element.attributes).filter(
      (attribute) => attribute.namespaceURI === null || !STRUCTURAL_NAMESPACES.has(attribute.namespaceURI),
    );
    if (children.length === 0 && attributes.length === 0) return textOf(element);
    const out: MutableJson = {};
    for (const attribute of attributes) {
      const name = attribute.localName ?? attribute.name;
      out[attribute.namespaceURI === null ? name : this.keyFor(attribute.namespaceURI, attribute.prefix, name)] =
        attribute.value;
    }
    for (const child of children) {
      if (child.namespaceURI === null) appendRepeated(out, child.localName ?? "", this.extensionValue(child));
      else this.addExtension(out, child);
    }
    if (children.length === 0 && textOf(element) !== "") out["#text"] = textOf(element);
    return out;
  }

  /** The JSON key of a namespaced name: the XML prefix where free, else a numbered one; the IRI joins @context. */
  private keyFor(namespace: string, preferred: string | null, localName: string): string {
    if (namespace === "") return localName;
    let prefix = this.prefixes.get(namespace);
    if (prefix === undefined) {
      const taken = new Set([...this.prefixes.values(), ...this.valueSchemes]);
      const base = preferred !== null && preferred !== "" ? preferred : "ns";
      prefix = base;
      for (let n = 1; taken.has(prefix); n += 1) prefix = `${base}${n}`;
      this.prefixes.set(namespace, prefix);
    }
    return `${prefix}:${localName}`;
  }
}

function sensorValue(name: string, value: string, isStandard: boolean): Json {
  if (!isStandard) return value;
  if (NUMERIC_SENSOR_FIELDS.has(name)) return numberOf(value, `sensor field ${name}`);
  if (name === "booleanValue") {
    if (value === "true" || value === "1") return true;
    if (value === "false" || value === "0") return false;
    throw invalidXml(`booleanValue must be true or false, not "${value}"`);
  }
  return value;
}

/** Adds a value under a key; a second value with the same key turns it into an array (always one if `asList`). */
function appendRepeated(target: MutableJson, key: string, value: Json, asList = false): void {
  const existing = target[key];
  if (existing === undefined) target[key] = asList ? [value] : value;
  else if (Array.isArray(existing)) existing.push(value);
  else target[key] = [existing, value];
}
