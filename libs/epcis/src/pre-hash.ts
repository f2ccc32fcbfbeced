import { expandBareVocabulary } from "./bare-vocabulary.js";
import { canonicalValue } from "./canonical-value.js";
import { EVENT_FIELD_ORDER, EVENT_TYPES, type OrderedField, UNHASHED_FIELDS } from "./canonical-order.js";
import { invalidEvent } from "./errors.js";
import { type Field, fieldsOf, type PreHashNode } from "./event-tree.js";
import { compareCodePoints, isJsonObject } from "./json.js";
import { inScope, type Namespaces, namespacesOfContext } from "./namespaces.js";
import { normaliseTimestamp } from "./timestamp.js";

export interface PreHashOptions {
  /** Prefixes declared by the document's @context. */
  readonly namespaces?: Namespaces | undefined;
  /** Expanded names of top-level fields to leave out (the document's ignoreFields). */
  readonly ignoredFields?: ReadonlySet<string> | undefined;
  /**
   * Expand only the prefixes the document declares, as the Python reference implementation does, instead of also
   * those the EPCIS context declares (`gs1:`, `cbv:`, …), as CBV 2.0 requires. Only to explain a difference.
   */
  readonly declaredPrefixesOnly?: boolean;
}

/**
 * The pre-hash string: `eventType=…`, the fields of the canonical order, then every remaining field (user
 * extensions, ilmd, the typed lists, anything unknown) sorted as strings. Values are canonicalised on the way.
 */
export function preHashWith(event: unknown, options: PreHashOptions = {}): string {
  if (!isJsonObject(event)) throw invalidEvent("An EPCIS event must be a JSON object");
  const type = event.type;
  if (typeof type !== "string" || !EVENT_TYPES.has(type)) {
    throw invalidEvent(`Unknown EPCIS event type ${typeof type === "string" ? `"${type}"` : `(${typeof type})`}`, {
      type,
    });
  }
  const namespaces =
    options.declaredPrefixesOnly === true
      ? { ...options.namespaces, ...namespacesOfContext(event["@context"]) }
      : inScope(options.namespaces, namespacesOfContext(event["@context"]));
  const fields = fieldsOf(expandBareVocabulary(event, namespaces), { namespaces, ignored: options.ignoredFields });
  const ordered = renderInOrder(fields, EVENT_FIELD_ORDER);
  const remaining = ordered.leftover.filter((node) => node.kind !== "field" || !UNHASHED_FIELDS.has(node.name));
  return `eventType=${type}${ordered.text}${renderUnordered(remaining)}`;
}

interface Rendered {
  readonly text: string;
  /** What the order did not cover; the caller renders it later among the remaining fields. */
  readonly leftover: readonly PreHashNode[];
}

function renderInOrder(nodes: readonly PreHashNode[], order: readonly OrderedField[]): Rendered {
  const extensions = nestedExtensionsOf(nodes);
  // Fields by name, in document order: each name of the order takes its fields once, the rest stays over.
  const byName = new Map<string, Field[]>();
  const leftover: PreHashNode[] = [];
  for (const node of nodes) {
    if (extensions.includes(node)) continue;
    if (node.kind !== "field") leftover.push(node);
    else if (byName.has(node.name)) byName.get(node.name)?.push(node);
    else byName.set(node.name, [node]);
  }
  let text = "";
  for (const { name, children } of order) {
    const named = byName.get(name) ?? [];
    byName.delete(name);
    const texts: string[] = [];
    for (const node of named) {
      const rendered = renderField(node, children);
      if (rendered.text !== "") texts.push(rendered.text);
      if (rendered.leftover.length > 0) leftover.push({ ...node, children: rendered.leftover });
    }
    text += sortedJoin(texts);
  }
  // What is left is rendered sorted (renderUnordered), so its order here does not matter.
  for (const named of byName.values()) for (const node of named) leftover.push(node);
  return { text: text + renderUnordered(extensions), leftover };
}

/**
 * User extensions inside readPoint, bizLocation, sensorElement, sensorMetadata, sensorReport… follow their
 * parent's standard fields. Like the reference, they are recognised by a `{…/}` name, only beside at least one
 * other field, and never at the top level (the level with an eventTime or action field).
 */
function nestedExtensionsOf(nodes: readonly PreHashNode[]): readonly PreHashNode[] {
  const names = nodes.flatMap((node) => (node.kind === "field" ? [node.name] : []));
  if (nodes.length <= 1 || names.some((name) => name.includes("eventTime") || name.includes("action"))) return [];
  return nodes.filter((node) => node.kind === "field" && node.name.includes("{") && node.name.includes("/}"));
}

function renderField(node: Field, order: readonly OrderedField[] | undefined): Rendered {
  const nested = order === undefined ? { text: "", leftover: node.children } : renderInOrder(node.children, order);
  const value = node.value === "" ? "" : orderedValueOf(node.name, node.value.trim());
  const assignment = value === "" ? "" : `=${value}`;
  return {
    text: assignment === "" && nested.text === "" ? "" : node.name + assignment + nested.text,
    leftover: nested.leftover,
  };
}

/** Only the ordered time fields (eventTime, time, startTime, endTime) are read as timestamps. */
function orderedValueOf(name: string, text: string): string {
  const lower = name.toLowerCase();
  return lower.includes("time") && !lower.includes("offset") ? normaliseTimestamp(text) : canonicalValue(text);
}

function renderUnordered(nodes: readonly PreHashNode[]): string {
  return sortedJoin(nodes.map((node) => renderNode(node)));
}

function renderNode(node: PreHashNode): string {
  if (node.kind === "typed-entry") {
    return node.parts.map((part) => renderNode(part)).join("") + renderUnordered(node.extensions);
  }
  const value = node.value.trim();
  return node.name + (value === "" ? "" : `=${canonicalValue(value)}`) + renderUnordered(node.children);
}

function sortedJoin(texts: readonly string[]): string {
  return [...texts].sort(compareCodePoints).join("");
}
