import { isJsonObject, type JsonObject } from "./json.js";
import { expandCompactIri, expandKey, type Namespaces } from "./namespaces.js";
import { formatNumber } from "./number-format.js";

/**
 * An event as the hash sees it: the XML data model, whatever the JSON looked like. A JSON array becomes repeated
 * fields, `…List` arrays become one list field whose entries are named without "List" (`epcList` → `epc`,
 * `quantityList` → `quantityElement`), keys and compact IRI values are expanded with the namespaces.
 */
export interface Field {
  readonly kind: "field";
  readonly name: string;
  /** The raw text; "" for a field that only has children. */
  readonly value: string;
  readonly children: readonly PreHashNode[];
}

/** An entry of bizTransactionList, sourceList or destinationList: its `type` and its identifier stay together. */
export interface TypedEntry {
  readonly kind: "typed-entry";
  readonly parts: readonly Field[];
  readonly extensions: readonly PreHashNode[];
}

export type PreHashNode = Field | TypedEntry;

export interface TreeOptions {
  readonly namespaces: Namespaces;
  /** Expanded top-level names left out of the hash (the document's ignoreFields). */
  readonly ignored?: ReadonlySet<string>;
}

/** Never part of the event's content: comments, and JSON-LD contexts (their prefixes are read beforehand). */
const SKIPPED_KEYS = new Set(["#text", "comment", "rdfs:comment", "@context"]);

const TYPED_LISTS = new Set(["bizTransactionList", "sourceList", "destinationList"]);

/** JSON names whose XML counterpart is different. */
const RENAMED: Readonly<Record<string, string>> = {
  inputEPC: "epc",
  outputEPC: "epc",
  inputQuantity: "quantityElement",
  outputQuantity: "quantityElement",
  childQuantity: "quantityElement",
};

export function fieldsOf(object: JsonObject, options: TreeOptions): PreHashNode[] {
  const { namespaces, ignored } = options;
  const fields: PreHashNode[] = [];
  const lists = new Map<string, PreHashNode[]>();
  for (const [key, value] of Object.entries(object)) {
    const name = expandKey(key, namespaces);
    if (SKIPPED_KEYS.has(key) || ignored?.has(name) === true) continue;
    const items = present(Array.isArray(value) ? (value as readonly unknown[]).flat(Infinity) : [value]);
    if (name === "childEPCs") {
      appendTo(
        lists,
        name,
        items.map((item) => leaf("epc", item, namespaces)),
      );
    } else if (name.endsWith("List") && !name.startsWith("{")) {
      const entryName = name.slice(0, -"List".length);
      const entries = items.map((item) =>
        TYPED_LISTS.has(name) ? typedEntry(entryName, item, namespaces) : field(entryName, item, namespaces),
      );
      appendTo(lists, name, entries);
    } else {
      fields.push(...items.map((item) => field(name, item, namespaces)));
    }
  }
  for (const [name, entries] of lists) {
    if (entries.length > 0) fields.push({ kind: "field", name, value: "", children: entries });
  }
  return fields;
}

function present(items: readonly unknown[]): unknown[] {
  return items.filter((item) => item !== null && item !== undefined);
}

function appendTo(lists: Map<string, PreHashNode[]>, name: string, entries: readonly PreHashNode[]): void {
  lists.set(name, [...(lists.get(name) ?? []), ...entries]);
}

function field(name: string, value: unknown, namespaces: Namespaces): Field {
  if (!isJsonObject(value)) return leaf(name, value, namespaces);
  const children = fieldsOf(value, { namespaces });
  // JSON converted from XML keeps an element's own text beside its attributes under "#text".
  const text = "#text" in value ? textOf(value["#text"], namespaces) : "";
  return { kind: "field", name: renamed(name, children.length > 0), value: text, children };
}

function leaf(name: string, value: unknown, namespaces: Namespaces): Field {
  return { kind: "field", name: renamed(name, false), value: textOf(value, namespaces), children: [] };
}

/** A quantity with children is a quantityList entry; a bare quantity is the amount inside one. */
function renamed(name: string, hasChildren: boolean): string {
  if (name === "quantity" && hasChildren) return "quantityElement";
  return Object.hasOwn(RENAMED, name) ? (RENAMED[name] ?? name) : name;
}

/**
 * Booleans are written as in XML (`true`), which the CBV requires for JSON/XML hash equality; the Python
 * reference writes JSON booleans as `True`.
 */
function textOf(value: unknown, namespaces: Namespaces): string {
  if (typeof value === "string") return expandCompactIri(value, namespaces);
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "boolean") return String(value);
  return "";
}

/**
 * `type` first, then the identifier, whatever the JSON order (the reference keeps the JSON order, and the
 * vectors all write `type` first). Further properties follow as extensions; the reference drops them.
 */
function typedEntry(name: string, value: unknown, namespaces: Namespaces): TypedEntry {
  if (!isJsonObject(value)) return { kind: "typed-entry", parts: [leaf(name, value, namespaces)], extensions: [] };
  const fields = fieldsOf(value, { namespaces });
  const type = fields.filter((node) => isFieldNamed(node, "type"));
  const identifier = fields.filter((node) => isFieldNamed(node, name));
  const extensions = fields.filter((node) => !isFieldNamed(node, "type") && !isFieldNamed(node, name));
  return { kind: "typed-entry", parts: [...type, ...identifier], extensions };
}

export function isFieldNamed(node: PreHashNode, name: string): node is Field {
  return node.kind === "field" && node.name === name;
}
