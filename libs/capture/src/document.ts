import { DomainError } from "#common";
import { namespacesOf, type Namespaces } from "#epcis";
import { ourLocalName, ourPrefixes } from "./vocabulary.js";

export type EpcisEvent = Readonly<Record<string, unknown>>;

/** An EPCISDocument or EPCISQueryDocument taken apart: its events, their namespaces, and our signatures. */
export interface ParsedDocument {
  readonly kind: "EPCISDocument" | "EPCISQueryDocument";
  readonly context: unknown;
  readonly namespaces: Namespaces;
  readonly events: readonly EpcisEvent[];
  /** Event hash → EIP-712 signature, from the document's `ct:signatures`. */
  readonly signatures: ReadonlyMap<string, string>;
}

/** Expects a document that passed the GS1 JSON Schema. */
export function parseDocument(document: unknown): ParsedDocument {
  if (typeof document !== "object" || document === null) throw notADocument();
  const doc = document as Record<string, unknown>;
  const kind = doc.type;
  if (kind !== "EPCISDocument" && kind !== "EPCISQueryDocument") throw notADocument();
  const body = (doc.epcisBody ?? {}) as Record<string, unknown>;
  const list =
    kind === "EPCISDocument"
      ? body.eventList
      : ((body.queryResults as Record<string, unknown> | undefined)?.resultsBody as Record<string, unknown> | undefined)
          ?.eventList;
  const events = Array.isArray(list) ? (list.filter((e) => typeof e === "object" && e !== null) as EpcisEvent[]) : [];
  const namespaces = namespacesOf(document);
  return { kind, context: doc["@context"], namespaces, events, signatures: signaturesOf(doc, namespaces) };
}

/**
 * `ct:signatures`: `[{ "ct:eventHash": "ni:///sha-256;…?ver=CBV2.0", "ct:signature": "0x…" }, …]` at document
 * level, so that events stay exactly as the partner wrote them (a signature cannot be inside what it signs).
 */
function signaturesOf(doc: Record<string, unknown>, namespaces: Namespaces): Map<string, string> {
  const prefixes = ourPrefixes(namespaces);
  const signatures = new Map<string, string>();
  for (const [key, value] of Object.entries(doc)) {
    if (ourLocalName(key, prefixes) !== "signatures") continue;
    if (!Array.isArray(value)) throw malformedSignatures("must be an array");
    for (const entry of value) {
      if (typeof entry !== "object" || entry === null) throw malformedSignatures("entries must be objects");
      let eventHash: unknown;
      let signature: unknown;
      for (const [field, inner] of Object.entries(entry as Record<string, unknown>)) {
        const local = ourLocalName(field, prefixes);
        if (local === "eventHash") eventHash = inner;
        else if (local === "signature") signature = inner;
      }
      if (typeof eventHash !== "string" || typeof signature !== "string") {
        throw malformedSignatures("each entry needs ct:eventHash and ct:signature strings");
      }
      signatures.set(eventHash, signature);
    }
  }
  return signatures;
}

function notADocument(): DomainError {
  return new DomainError(
    "CAPTURE.NOT_A_DOCUMENT",
    "invalid",
    "The body must be an EPCISDocument or an EPCISQueryDocument",
  );
}

function malformedSignatures(why: string): DomainError {
  return new DomainError("CAPTURE.SIGNATURES_MALFORMED", "invalid", `ct:signatures ${why}`);
}
