import {
  BIZ_STEPS,
  BUSINESS_TRANSACTION_TYPES,
  COMPONENTS,
  DISPOSITIONS,
  ERROR_REASONS,
  isWebVocabularyIri,
  MEASUREMENT_TYPES,
  SENSOR_ALERTS,
  SOURCE_DESTINATION_TYPES,
  type Vocabulary,
} from "./cbv-vocabulary.js";
import { isJsonObject, type JsonObject } from "./json.js";
import { expandCompactIri, type Namespaces } from "./namespaces.js";

const TYPED_LISTS: ReadonlyArray<readonly [string, Vocabulary]> = [
  ["bizTransactionList", BUSINESS_TRANSACTION_TYPES],
  ["sourceList", SOURCE_DESTINATION_TYPES],
  ["destinationList", SOURCE_DESTINATION_TYPES],
];

const SENSOR_REPORT_FIELDS: ReadonlyArray<readonly [string, Vocabulary]> = [
  ["type", MEASUREMENT_TYPES],
  ["exception", SENSOR_ALERTS],
  ["component", COMPONENTS],
];

/**
 * Replaces bare CBV strings (`"shipping"`) by their web vocabulary IRI, the way the reference implementation
 * does it: JSON-LD-expand the vocabulary-typed properties, then replace EVERY string value of the event that
 * is the unique `-value` or `/value` suffix of one of the expanded CBV / GS1 vocabulary IRIs. That heuristic
 * also rewrites e.g. a user extension whose value equals the event's bizStep; it is kept for hash equality.
 * The reference collects the IRIs over the whole document; here they come from the event alone, so an event
 * hashes the same whichever document carries it.
 */
export function expandBareVocabulary(event: JsonObject, namespaces: Namespaces): JsonObject {
  const iris = [...webVocabularyIrisOf(event, namespaces)];
  return iris.length === 0 ? event : (replaceBareStrings(event, iris) as JsonObject);
}

function webVocabularyIrisOf(event: JsonObject, namespaces: Namespaces): Set<string> {
  const iris = new Set<string>();
  const expand = (value: unknown, vocabulary: Vocabulary): void => {
    for (const text of stringsIn(value)) iris.add(expandTerm(text, vocabulary, namespaces));
  };
  expand(event.bizStep, BIZ_STEPS);
  expand(event.disposition, DISPOSITIONS);
  for (const persistent of objectsIn(event.persistentDisposition)) {
    expand(persistent.set, DISPOSITIONS);
    expand(persistent.unset, DISPOSITIONS);
  }
  for (const [list, vocabulary] of TYPED_LISTS) {
    for (const entry of objectsIn(event[list])) expand(entry.type, vocabulary);
  }
  for (const element of objectsIn(event.sensorElementList)) {
    for (const report of objectsIn(element.sensorReport)) {
      for (const [field, vocabulary] of SENSOR_REPORT_FIELDS) expand(report[field], vocabulary);
    }
  }
  for (const declaration of objectsIn(event.errorDeclaration)) expand(declaration.reason, ERROR_REASONS);
  for (const text of stringsIn(event)) iris.add(text);
  return new Set([...iris].filter(isWebVocabularyIri));
}

function expandTerm(value: string, vocabulary: Vocabulary, namespaces: Namespaces): string {
  return vocabulary.terms.has(value) ? vocabulary.base + value : expandCompactIri(value, namespaces);
}

function replaceBareStrings(value: unknown, iris: readonly string[]): unknown {
  if (typeof value === "string") return uniqueExpansion(value, iris) ?? value;
  if (Array.isArray(value)) return value.map((item: unknown) => replaceBareStrings(item, iris));
  if (isJsonObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceBareStrings(item, iris)]));
  }
  return value;
}

function uniqueExpansion(value: string, iris: readonly string[]): string | undefined {
  const matches = iris.filter((iri) => iri.endsWith(`-${value}`) || iri.endsWith(`/${value}`));
  return matches.length === 1 ? matches[0] : undefined;
}

/** Every string in the value, at any depth (object keys excepted). */
function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap((item: unknown) => stringsIn(item));
  if (isJsonObject(value)) return Object.values(value).flatMap((item) => stringsIn(item));
  return [];
}

function objectsIn(value: unknown): JsonObject[] {
  if (Array.isArray(value)) return value.filter((item: unknown) => isJsonObject(item));
  return isJsonObject(value) ? [value] : [];
}
