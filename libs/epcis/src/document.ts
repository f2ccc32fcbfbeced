import { invalidDocument } from "./errors.js";
import { hashUriOf } from "./event-hash.js";
import { isJsonObject, type JsonObject } from "./json.js";
import { expandKey, inScope, type Namespaces, namespacesOf } from "./namespaces.js";
import { preHashWith } from "./pre-hash.js";

/**
 * The reference implementation's convention for fields a repository adds to stored events (its own hash, a
 * capture id): the document, or the query results, lists them under this key and they do not count.
 */
export const IGNORE_FIELDS = "{https://repository-x.example.com/}ignoreFields";

interface LocatedEvents {
  readonly events: readonly unknown[];
  /** The object that may carry the ignoreFields list. */
  readonly holder: JsonObject;
}

/** The pre-hash strings of every event in an EPCISDocument or EPCISQueryDocument, in document order. */
export function preHashesOfDocument(document: unknown): string[] {
  if (!isJsonObject(document)) throw invalidDocument("An EPCIS document must be a JSON object");
  const namespaces = namespacesOf(document);
  const { events, holder } = eventsOf(document);
  const ignoredFields = ignoredFieldsOf(holder, inScope(namespaces));
  return events.map((event) => preHashWith(event, { namespaces, ignoredFields }));
}

/**
 * The hashes of every event in an EPCISDocument or EPCISQueryDocument, in document order.
 * @throws DomainError `EPCIS.INVALID_DOCUMENT` when no event list is found, else like `preHashOf`.
 */
export function eventHashesOfDocument(document: unknown): string[] {
  return preHashesOfDocument(document).map((preHash) => hashUriOf(preHash));
}

/** The events of an EPCISDocument or EPCISQueryDocument, in document order (as `eventHashesOfDocument` hashes them). */
export function eventsOfDocument(document: unknown): readonly unknown[] {
  if (!isJsonObject(document)) throw invalidDocument("An EPCIS document must be a JSON object");
  return eventsOf(document).events;
}

function eventsOf(document: JsonObject): LocatedEvents {
  const body = document.epcisBody;
  if (isJsonObject(body)) {
    if (Array.isArray(body.eventList)) return { events: body.eventList as readonly unknown[], holder: document };
    const results = body.queryResults;
    if (isJsonObject(results) && isJsonObject(results.resultsBody)) {
      const events = results.resultsBody.eventList;
      return { events: Array.isArray(events) ? (events as readonly unknown[]) : [], holder: results };
    }
    if (isJsonObject(body.event)) return { events: [body.event], holder: document };
  }
  throw invalidDocument(
    "No events: expected epcisBody.eventList, epcisBody.queryResults.resultsBody.eventList or epcisBody.event",
  );
}

function ignoredFieldsOf(holder: JsonObject, namespaces: Namespaces): ReadonlySet<string> {
  const listed = Object.entries(holder).find(([key]) => expandKey(key, namespaces) === IGNORE_FIELDS)?.[1];
  const names = Array.isArray(listed) ? listed.filter((name): name is string => typeof name === "string") : [];
  return new Set(names.map((name) => expandKey(name, namespaces)));
}
