import type { StoredEvent } from "#database";

export const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
const CT = "https://carbontrace.org/ns/epcis/";

/**
 * The prefixes of every event's original @context, merged into one. Two captures may bind one prefix to
 * different namespaces; then the later event's keys with that prefix are written as full IRIs instead.
 */
export function mergeContexts(events: readonly StoredEvent[]): {
  context: unknown[];
  bodies: Array<Record<string, unknown>>;
} {
  const prefixes: Record<string, string> = { ct: CT };
  const bodies = events.map((event) => {
    const own = prefixesOf(event.context);
    const clashing = new Set<string>();
    for (const [prefix, iri] of Object.entries(own)) {
      const known = prefixes[prefix];
      if (known === undefined) prefixes[prefix] = iri;
      else if (known !== iri) clashing.add(prefix);
    }
    return clashing.size === 0 ? event.body : expandPrefixes(event.body, own, clashing);
  });
  return { context: [EPCIS_CONTEXT, prefixes], bodies };
}

/** A single event as served: its own @context, its eventID, and the recordTime the service gave it. */
export function eventDocument(event: StoredEvent): Record<string, unknown> {
  return { "@context": contextList(event.context), ...withRecordTime(event.body, event) };
}

/** A stored @context as a list (the EPCIS context when the document had none). */
export function contextList(context: unknown): unknown[] {
  if (Array.isArray(context)) return context as unknown[];
  return context === undefined || context === null ? [EPCIS_CONTEXT] : [context];
}

export function withRecordTime(body: Readonly<Record<string, unknown>>, event: StoredEvent): Record<string, unknown> {
  return { ...body, eventID: event.eventId, recordTime: event.recordTime.toISOString() };
}

export function provenanceOf(event: StoredEvent): Record<string, unknown> {
  return {
    "ct:eventID": event.eventId,
    "ct:eventHash": event.eventHash,
    "ct:signer": event.signer,
    "ct:signature": event.signature,
    "ct:custodial": event.custodial,
    "ct:role": event.role,
    ...(event.errorDeclaration === null ? {} : { "ct:retracted": true }),
  };
}

function prefixesOf(context: unknown): Record<string, string> {
  const entries = Array.isArray(context) ? context : [context];
  const prefixes: Record<string, string> = {};
  for (const entry of entries) {
    if (typeof entry !== "object" || entry === null) continue;
    for (const [prefix, iri] of Object.entries(entry as Record<string, unknown>)) {
      if (typeof iri === "string" && !prefix.startsWith("@")) prefixes[prefix] = iri;
    }
  }
  return prefixes;
}

function expandPrefixes(
  value: unknown,
  own: Record<string, string>,
  clashing: ReadonlySet<string>,
): Record<string, unknown> {
  const expand = (inner: unknown): unknown => {
    if (Array.isArray(inner)) return inner.map(expand);
    if (typeof inner !== "object" || inner === null) return inner;
    return Object.fromEntries(
      Object.entries(inner as Record<string, unknown>).map(([key, v]) => {
        const colon = key.indexOf(":");
        const prefix = colon > 0 ? key.slice(0, colon) : "";
        const iri = own[prefix];
        return [clashing.has(prefix) && iri !== undefined ? `${iri}${key.slice(colon + 1)}` : key, expand(v)];
      }),
    );
  };
  return expand(value) as Record<string, unknown>;
}
