import { DomainError } from "#common";
import { namespacesOf, readEpcisXml, type EpcisXml } from "#epcis";
import { EXTENSION_SCHEMA, ourLocalName, ourPrefixes } from "./vocabulary.js";

type Json = unknown;
interface SchemaNode {
  readonly type?: string;
  readonly items?: SchemaNode;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
}

/**
 * An EPCIS XML document (1.2 or 2.0) as the JSON-LD document POST /capture takes. XML has no arrays, numbers or
 * booleans, so our extension's values are typed after its schema: an element written once where the schema has
 * a list becomes a list of one, `12.5` a number, `true` a boolean. The event hash does not change (the pre-hash
 * writes numbers and lists the same way), so a partner may sign the hash of its XML with any CBV 2.0 tool.
 */
export function captureDocumentFromXml(xml: string): EpcisXml {
  const read = readEpcisXml(xml);
  const prefixes = ourPrefixes(namespacesOf(read.document));
  if (prefixes.size === 0) return read;
  const events = eventListOf(read.document);
  for (const [index, event] of events.entries()) events[index] = typedExtension(event, prefixes, index);
  return read;
}

function eventListOf(document: Readonly<Record<string, unknown>>): Json[] {
  const body = document.epcisBody as { eventList?: Json[]; queryResults?: { resultsBody?: { eventList?: Json[] } } };
  return body.eventList ?? body.queryResults?.resultsBody?.eventList ?? [];
}

function typedExtension(event: Json, prefixes: ReadonlySet<string>, eventIndex: number): Json {
  if (!isObject(event)) return event;
  return Object.fromEntries(
    Object.entries(event).map(([key, value]) => {
      const local = ourLocalName(key, prefixes);
      const schema =
        local === undefined
          ? undefined
          : EXTENSION_SCHEMA.properties[local as keyof typeof EXTENSION_SCHEMA.properties];
      return [
        key,
        schema === undefined
          ? value
          : typed(value, schema as SchemaNode, prefixes, { eventIndex, path: `/${local ?? key}` }),
      ];
    }),
  );
}

interface Where {
  readonly eventIndex: number;
  readonly path: string;
}

function typed(value: Json, schema: SchemaNode, prefixes: ReadonlySet<string>, where: Where): Json {
  switch (schema.type) {
    case "array": {
      const items: readonly Json[] = Array.isArray(value) ? (value as readonly Json[]) : [value];
      return items.map((item, i) =>
        schema.items === undefined
          ? item
          : typed(item, schema.items, prefixes, { ...where, path: `${where.path}/${String(i)}` }),
      );
    }
    case "object":
      return isObject(value) ? typedObject(value, schema, prefixes, where) : value;
    case "number":
      return typeof value === "string" ? numberOf(value, where) : value;
    case "boolean":
      return value === "true" ? true : value === "false" ? false : value;
    default:
      return value;
  }
}

function typedObject(
  value: Readonly<Record<string, Json>>,
  schema: SchemaNode,
  prefixes: ReadonlySet<string>,
  where: Where,
): Json {
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      const local = ourLocalName(key, prefixes) ?? key;
      const property = schema.properties?.[local];
      return [
        key,
        property === undefined ? inner : typed(inner, property, prefixes, { ...where, path: `${where.path}/${local}` }),
      ];
    }),
  );
}

function numberOf(text: string, where: Where): number | string {
  const value = Number(text.trim());
  if (text.trim() !== "" && Number.isFinite(value)) return value;
  throw new DomainError(
    "CAPTURE.EXTENSION_INVALID",
    "invalid",
    `Event ${String(where.eventIndex)}: the CarbonTrace extension is invalid: ${where.path} must be number, not "${text}"`,
    { eventIndex: where.eventIndex, errors: [{ path: where.path, problem: "must be number" }] },
  );
}

function isObject(value: Json): value is Readonly<Record<string, Json>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
