import { eventHashesOfDocument, eventsOfDocument, namespacesOf } from "#epcis";
import { signDeclaration } from "./declaration.js";
import { signEventHash, type SigningDomain, type TypedDataSigner } from "./event-signature.js";

const CT_NAMESPACE = "https://carbontrace.org/ns/epcis/";

/**
 * Signs every event of an EPCIS document and returns a copy carrying the signatures at document level
 * (`ct:signatures`), the form POST /capture expects. Events are not modified, so their hashes stay the same.
 * An event carrying an `errorDeclaration` is signed as a declaration (over its hash and the declaration), so the
 * signature of an event can never be replayed as its retraction. Signatures the document already has for other
 * events are kept.
 */
export async function signDocument(
  document: Readonly<Record<string, unknown>>,
  signer: TypedDataSigner,
  domain: SigningDomain,
): Promise<Record<string, unknown>> {
  const prefix = ensurePrefix(document);
  const hashes = eventHashesOfDocument(prefix.document);
  const events = eventsOfDocument(prefix.document);
  const key = `${prefix.name}:signatures`;
  const existing = Array.isArray(prefix.document[key]) ? (prefix.document[key] as unknown[]) : [];
  const signed = new Set(hashes);
  const kept = existing.filter((entry) => {
    const hash = (entry as Record<string, unknown> | null)?.[`${prefix.name}:eventHash`];
    return typeof hash !== "string" || !signed.has(hash);
  });
  const signatures = [];
  const done = new Set<string>();
  for (const [index, eventHash] of hashes.entries()) {
    if (done.has(eventHash)) continue;
    done.add(eventHash);
    const declaration = errorDeclarationOf(events[index]);
    signatures.push({
      [`${prefix.name}:eventHash`]: eventHash,
      [`${prefix.name}:signature`]:
        declaration === undefined
          ? await signEventHash(signer, domain, eventHash)
          : await signDeclaration(signer, domain, eventHash, declaration),
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

function errorDeclarationOf(event: unknown): Readonly<Record<string, unknown>> | undefined {
  if (typeof event !== "object" || event === null) return undefined;
  const declaration = (event as { errorDeclaration?: unknown }).errorDeclaration;
  return typeof declaration === "object" && declaration !== null && !Array.isArray(declaration)
    ? (declaration as Record<string, unknown>)
    : undefined;
}
