import { DOMImplementation, XMLSerializer, type Document, type Element } from "@xmldom/xmldom";
import {
  BIZ_STEPS,
  BUSINESS_TRANSACTION_TYPES,
  COMPONENTS,
  DISPOSITIONS,
  ERROR_REASONS,
  MEASUREMENT_TYPES,
  SENSOR_ALERTS,
  SOURCE_DESTINATION_TYPES,
  type Vocabulary,
} from "./cbv-vocabulary.js";
import { isJsonObject, type JsonObject } from "./json.js";
import { expandCompactIri, expandKey, inScope, namespacesOf, type Namespaces } from "./namespaces.js";
import { IGNORE_FIELDS } from "./document.js";
import { SIGNATURES } from "./xml-document.js";

/**
 * The XML binding of a JSON-LD EPCISDocument or EPCISQueryDocument (the inverse of `documentFromXml`): standard
 * fields in the order GS1's XSD requires, user extensions as elements of their namespaces after them. Bare CBV
 * words (`shipping`) are written as their web URIs, which XML requires and which hash the same. Reading the
 * result back with `documentFromXml` gives the same event hashes.
 */
const DOCUMENT_NAMESPACE = "urn:epcglobal:epcis:xsd:2";
const XMLNS = "http://www.w3.org/2000/xmlns/";
const QUERY_NAMESPACE = "urn:epcglobal:epcis-query:xsd:2";

const BASE_FIELDS = [
  "eventTime",
  "recordTime",
  "eventTimeZoneOffset",
  "eventID",
  "errorDeclaration",
  "certificationInfo",
];
const WHERE_AND_WHY = ["bizStep", "disposition", "readPoint", "bizLocation"];
const TAIL = ["sourceList", "destinationList", "sensorElementList", "persistentDisposition"];

/** Each event type's standard children, in XSD order. */
const FIELD_ORDER: Readonly<Record<string, readonly string[]>> = {
  ObjectEvent: [
    ...BASE_FIELDS,
    "epcList",
    "action",
    ...WHERE_AND_WHY,
    "bizTransactionList",
    "quantityList",
    ...TAIL,
    "ilmd",
  ],
  AggregationEvent: [
    ...BASE_FIELDS,
    "parentID",
    "childEPCs",
    "action",
    ...WHERE_AND_WHY,
    "bizTransactionList",
    "childQuantityList",
    ...TAIL,
  ],
  TransactionEvent: [
    ...BASE_FIELDS,
    "bizTransactionList",
    "parentID",
    "epcList",
    "action",
    ...WHERE_AND_WHY,
    "quantityList",
    ...TAIL,
  ],
  TransformationEvent: [
    ...BASE_FIELDS,
    "inputEPCList",
    "inputQuantityList",
    "outputEPCList",
    "outputQuantityList",
    "transformationID",
    ...WHERE_AND_WHY,
    "bizTransactionList",
    ...TAIL,
    "ilmd",
  ],
  AssociationEvent: [
    ...BASE_FIELDS,
    "parentID",
    "childEPCs",
    "childQuantityList",
    "action",
    ...WHERE_AND_WHY,
    "bizTransactionList",
    ...TAIL,
  ],
};

const EPC_LISTS = new Set(["epcList", "childEPCs", "inputEPCList", "outputEPCList"]);
const QUANTITY_LISTS = new Set(["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"]);
const TYPED_LISTS: Readonly<Record<string, readonly [string, Vocabulary]>> = {
  bizTransactionList: ["bizTransaction", BUSINESS_TRANSACTION_TYPES],
  sourceList: ["source", SOURCE_DESTINATION_TYPES],
  destinationList: ["destination", SOURCE_DESTINATION_TYPES],
};
const SENSOR_VOCABULARY: Readonly<Record<string, Vocabulary>> = {
  type: MEASUREMENT_TYPES,
  exception: SENSOR_ALERTS,
  component: COMPONENTS,
};

/**
 * Document fields that are not user extensions. `sender`, `receiver` and `instanceIdentifier` describe a
 * transmission (the XML binding puts them in an SBDH header); this service never answers with them.
 */
const DOCUMENT_FIELDS: ReadonlySet<string> = new Set([
  "@context",
  "type",
  "schemaVersion",
  "creationDate",
  "epcisBody",
  "id",
  "sender",
  "receiver",
  "instanceIdentifier",
  "epcisHeader",
]);

type Json = unknown;

export function documentToXml(document: JsonObject): string {
  return new XmlWriter(namespacesOf(document)).write(document);
}

class XmlWriter {
  private readonly dom: Document;
  /** Prefixes in scope for keys: the EPCIS context's and the document's own. */
  private readonly namespaces: Namespaces;

  /**
   * @param own the prefixes the document's @context binds: a value such as `example:someSensorProperty` is a compact
   *   IRI in JSON-LD but would be read as a URI of scheme `example` in XML, so such values are written expanded.
   */
  constructor(private readonly own: Namespaces) {
    this.dom = new DOMImplementation().createDocument(null, "");
    this.namespaces = inScope(own);
  }

  private value(value: Json): string {
    return expandCompactIri(scalar(value), this.own);
  }

  write(document: JsonObject): string {
    const isQuery = document.type === "EPCISQueryDocument";
    const root = this.dom.createElementNS(
      isQuery ? QUERY_NAMESPACE : DOCUMENT_NAMESPACE,
      isQuery ? "epcisq:EPCISQueryDocument" : "epcis:EPCISDocument",
    );
    this.dom.appendChild(root);
    root.setAttribute("schemaVersion", "2.0");
    root.setAttribute("creationDate", typeof document.creationDate === "string" ? document.creationDate : "");
    const body = this.child(root, "EPCISBody");
    const epcisBody = isJsonObject(document.epcisBody) ? document.epcisBody : {};
    if (isQuery) {
      const results = isJsonObject(epcisBody.queryResults) ? epcisBody.queryResults : {};
      // QueryResults is a global element of the query schema: qualified, unlike the fields inside it.
      const holder = this.dom.createElementNS(QUERY_NAMESPACE, "epcisq:QueryResults");
      body.appendChild(holder);
      this.text(holder, "queryName", results.queryName ?? "SimpleEventQuery");
      if (results.subscriptionID !== undefined) this.text(holder, "subscriptionID", results.subscriptionID);
      const resultsBody = isJsonObject(results.resultsBody) ? results.resultsBody : {};
      this.eventList(this.child(holder, "resultsBody"), resultsBody.eventList);
      this.extensions(holder, results, new Set(["queryName", "subscriptionID", "resultsBody"]));
    } else {
      this.eventList(body, epcisBody.eventList);
    }
    this.extensions(root, document, DOCUMENT_FIELDS);
    this.declareNamespaces(root);
    return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(this.dom)}\n`;
  }

  private child(parent: Element, name: string): Element {
    const element = this.dom.createElementNS(null, name);
    parent.appendChild(element);
    return element;
  }

  private text(parent: Element, name: string, value: Json): Element {
    const element = this.child(parent, name);
    element.appendChild(this.dom.createTextNode(this.value(value)));
    return element;
  }

  private eventList(parent: Element, events: Json): void {
    const list = this.child(parent, "EventList");
    for (const event of Array.isArray(events) ? events : []) {
      if (isJsonObject(event)) this.event(list, event);
    }
  }

  private event(list: Element, event: JsonObject): void {
    const type = typeof event.type === "string" ? event.type : "ObjectEvent";
    const element = this.child(list, type);
    const order = FIELD_ORDER[type] ?? BASE_FIELDS;
    for (const name of order) {
      if (event[name] !== undefined && event[name] !== null) this.field(element, name, event[name]);
    }
    this.extensions(element, event, new Set(["type", ...order]));
  }

  private field(parent: Element, name: string, value: Json): void {
    if (EPC_LISTS.has(name)) {
      const list = this.child(parent, name);
      for (const epc of asList(value)) this.text(list, "epc", epc);
    } else if (QUANTITY_LISTS.has(name)) {
      const list = this.child(parent, name);
      for (const item of asList(value))
        this.fields(this.child(list, "quantityElement"), item, ["epcClass", "quantity", "uom"]);
    } else if (Object.hasOwn(TYPED_LISTS, name)) {
      const [entryName, vocabulary] = TYPED_LISTS[name] as readonly [string, Vocabulary];
      const list = this.child(parent, name);
      for (const entry of asList(value)) {
        const object = isJsonObject(entry) ? entry : { [entryName]: entry };
        const element = this.text(list, entryName, object[entryName]);
        if (object.type !== undefined) element.setAttribute("type", this.value(vocabularyIri(object.type, vocabulary)));
      }
    } else if (name === "readPoint" || name === "bizLocation") {
      this.fields(this.child(parent, name), value, ["id"]);
    } else if (name === "bizStep" || name === "disposition") {
      this.text(parent, name, vocabularyIri(value, name === "bizStep" ? BIZ_STEPS : DISPOSITIONS));
    } else if (name === "errorDeclaration") {
      this.errorDeclaration(this.child(parent, name), value);
    } else if (name === "persistentDisposition") {
      const object = isJsonObject(value) ? value : {};
      const element = this.child(parent, name);
      for (const key of ["unset", "set"]) {
        for (const item of asList(object[key])) this.text(element, key, vocabularyIri(item, DISPOSITIONS));
      }
      this.extensions(element, object, new Set(["unset", "set"]));
    } else if (name === "sensorElementList") {
      const list = this.child(parent, name);
      for (const item of asList(value)) this.sensorElement(this.child(list, "sensorElement"), item);
    } else if (name === "ilmd") {
      this.fields(this.child(parent, name), value, []);
    } else {
      for (const item of asList(value)) this.text(parent, name, item);
    }
  }

  /** Named standard children first (in that order), then every other key as an extension. */
  private fields(element: Element, value: Json, standard: readonly string[]): void {
    const object = isJsonObject(value) ? value : {};
    for (const name of standard) {
      if (object[name] !== undefined && object[name] !== null) this.text(element, name, object[name]);
    }
    this.extensions(element, object, new Set(standard));
  }

  private errorDeclaration(element: Element, value: Json): void {
    const object = isJsonObject(value) ? value : {};
    if (object.declarationTime !== undefined) this.text(element, "declarationTime", object.declarationTime);
    if (object.reason !== undefined) this.text(element, "reason", vocabularyIri(object.reason, ERROR_REASONS));
    if (object.correctiveEventIDs !== undefined) {
      const list = this.child(element, "correctiveEventIDs");
      for (const id of asList(object.correctiveEventIDs)) this.text(list, "correctiveEventID", id);
    }
    this.extensions(element, object, new Set(["declarationTime", "reason", "correctiveEventIDs"]));
  }

  private sensorElement(element: Element, value: Json): void {
    const object = isJsonObject(value) ? value : {};
    if (isJsonObject(object.sensorMetadata))
      this.attributes(this.child(element, "sensorMetadata"), object.sensorMetadata);
    for (const report of asList(object.sensorReport)) {
      if (isJsonObject(report)) this.attributes(this.child(element, "sensorReport"), report);
    }
    this.extensions(element, object, new Set(["sensorMetadata", "sensorReport"]));
  }

  /** Sensor metadata and reports carry their fields as attributes; nested extensions stay elements. */
  private attributes(element: Element, object: JsonObject): void {
    for (const [key, value] of Object.entries(object)) {
      if (isJsonObject(value) || Array.isArray(value)) {
        this.extension(element, key, value);
        continue;
      }
      const text = Object.hasOwn(SENSOR_VOCABULARY, key)
        ? this.value(vocabularyIri(value, SENSOR_VOCABULARY[key] as Vocabulary))
        : this.value(value);
      const qualified = this.qualified(key);
      if (qualified === undefined) element.setAttribute(key, text);
      else element.setAttributeNS(qualified.namespace, key, text);
    }
  }

  private extensions(element: Element, object: JsonObject, standard: ReadonlySet<string>): void {
    for (const [key, value] of Object.entries(object)) {
      if (!standard.has(key) && !key.startsWith("@")) this.extension(element, key, value);
    }
  }

  /** A user extension: arrays repeat the element, objects nest, `#text` is the element's own text. */
  private extension(parent: Element, key: string, value: Json): void {
    const expanded = expandKey(key, this.namespaces);
    if ((expanded === IGNORE_FIELDS || expanded === SIGNATURES) && Array.isArray(value)) {
      this.listElement(parent, key, expanded === IGNORE_FIELDS, value);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) this.extension(parent, key, item);
      return;
    }
    const qualified = this.qualified(key);
    const element =
      qualified === undefined
        ? this.dom.createElementNS(null, key)
        : this.dom.createElementNS(qualified.namespace, key);
    parent.appendChild(element);
    if (!isJsonObject(value)) {
      element.appendChild(this.dom.createTextNode(this.value(value)));
      return;
    }
    for (const [inner, innerValue] of Object.entries(value)) {
      if (inner === "#text") element.appendChild(this.dom.createTextNode(this.value(innerValue)));
      else this.extension(element, inner, innerValue);
    }
  }

  /**
   * The two document-level lists whose XML form is one element holding the entries: ignoreFields (each field an
   * empty element named after it) and our signatures (each a `ct:entry`).
   */
  private listElement(parent: Element, key: string, namesFields: boolean, entries: readonly Json[]): void {
    const holder = this.dom.createElementNS(this.qualified(key)?.namespace ?? null, key);
    parent.appendChild(holder);
    for (const entry of entries) {
      if (namesFields) {
        const name = scalar(entry);
        holder.appendChild(this.dom.createElementNS(this.qualified(name)?.namespace ?? null, name));
      } else {
        this.extension(holder, `${key.slice(0, key.indexOf(":") + 1)}entry`, entry);
      }
    }
  }

  /** `prefix:local` with the prefix's namespace; a prefix no context binds names the IRI scheme `prefix:`. */
  private qualified(key: string): { namespace: string } | undefined {
    const colon = key.indexOf(":");
    if (colon <= 0) return undefined;
    const prefix = key.slice(0, colon);
    return { namespace: Object.hasOwn(this.namespaces, prefix) ? (this.namespaces[prefix] ?? "") : `${prefix}:` };
  }

  /** Every namespace the body uses, declared once on the root (xmldom would repeat it on each element). */
  private declareNamespaces(root: Element): void {
    const used = new Map<string, string>();
    const visit = (element: Element): void => {
      if (element.prefix !== null && element.namespaceURI !== null) used.set(element.prefix, element.namespaceURI);
      for (const attribute of Array.from(element.attributes)) {
        if (attribute.prefix !== null && attribute.namespaceURI !== null && attribute.prefix !== "xmlns") {
          used.set(attribute.prefix, attribute.namespaceURI);
        }
      }
      for (let node = element.firstChild; node !== null; node = node.nextSibling) {
        if (node.nodeType === node.ELEMENT_NODE) visit(node as Element);
      }
    };
    visit(root);
    used.delete(root.prefix ?? "");
    for (const [prefix, namespace] of used) root.setAttributeNS(XMLNS, `xmlns:${prefix}`, namespace);
  }
}

function asList(value: Json): readonly Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function scalar(value: Json): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return value === null || value === undefined ? "" : JSON.stringify(value);
}

/** A bare CBV word as its web URI (XML carries URIs); anything else as written. */
function vocabularyIri(value: Json, vocabulary: Vocabulary): string {
  const text = scalar(value);
  return vocabulary.terms.has(text) ? `${vocabulary.base}${text}` : text;
}
