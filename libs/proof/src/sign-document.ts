import { eventHashesOfDocument, namespacesOf } from "#epcis";
import { signEventHash, type SigningDomain, type TypedDataSigner } from "./event-signature.js";

const CT_NAMESPACE = "https://carbontrace.org/ns/epcis/";

/**
 * Signs every event of an EPCIS document and returns a copy carrying the signatures at document level
 * (`ct:signatures`), the form POST /capture expects. Events are not modified, so their hashes stay the same.
 * Signatures the document already has for other events are kept.
 */
export async function signDocument(
  document: Readonly<Record<string, unknown>>,
  signer: TypedDataSigner,
  domain: SigningDomain,
): Promise<Record<string, unknown>> {
  const prefix = ensurePrefix(document);
  const hashes = eventHashesOfDocument(prefix.document);
  const key = `${prefix.name}:signatures`;
  const existing = Array.isArray(prefix.document[key]) ? (prefix.document[key] as unknown[]) : [];
  const signed = new Set(hashes);
  const kept = existing.filter((entry) => {
    const hash = (entry as Record<string, unknown> | null)?.[`${prefix.name}:eventHash`];
    return typeof hash !== "string" || !signed.has(hash);
  });
  const signatures = [];
  for (const eventHash of new Set(hashes)) {
    signatures.push({
      [`${prefix.name}:eventHash`]: eventHash,
      [`${prefix.name}:signature`]: await signEventHash(signer, domain, eventHash),
    });
  }
  return { ...prefix.document, [key]: [...kept, ...signatures] };
}

/** The prefix the document binds to our namespace, adding `ct` to its @context if it binds none. */
function ensurePrefix(document: Readonly<Record<string, unknown>>): {
  name: string;
  document: Record<string, unknown>;
} {
  const bound = Object.entries(namespacesOf(document)).find(([, iri]) => iri === CT_NAMESPACE)?.[0];
  if (bound !== undefined) return { name: bound, document: { ...document } };
  const context = document["@context"];
  const list: unknown[] = Array.isArray(context) ? (context as unknown[]) : context === undefined ? [] : [context];
  return { name: "ct", document: { ...document, "@context": [...list, { ct: CT_NAMESPACE }] } };
}
