import { DOMParser, XMLSerializer, type Element } from "@xmldom/xmldom";
import { documentFromXml, namespacesOf } from "#epcis";
import type { SigningDomain, TypedDataSigner } from "./event-signature.js";
import { signDocument } from "./sign-document.js";

const CT_NAMESPACE = "https://carbontrace.org/ns/epcis/";

/**
 * `signDocument` for the XML binding: signs every event's hash (computed from the JSON-LD form of the XML, which
 * hashes like the XML itself) and writes the signatures after EPCISBody, where the GS1 XSD allows elements of
 * other namespaces: `<ct:signatures><ct:entry><ct:eventHash>…</ct:eventHash><ct:signature>0x…</ct:signature>
 * </ct:entry>…</ct:signatures>`. The events are not touched; signatures already there for other events are kept.
 */
export async function signXmlDocument(xml: string, signer: TypedDataSigner, domain: SigningDomain): Promise<string> {
  const document = documentFromXml(xml);
  const signed = await signDocument(document, signer, domain);
  const prefix = Object.entries(namespacesOf(signed)).find(([, iri]) => iri === CT_NAMESPACE)?.[0] ?? "ct";
  const entries = (signed[`${prefix}:signatures`] ?? []) as ReadonlyArray<Readonly<Record<string, unknown>>>;
  return withSignatures(
    xml,
    entries.map((entry) => ({
      eventHash: String(entry[`${prefix}:eventHash`]),
      signature: String(entry[`${prefix}:signature`]),
    })),
  );
}

function withSignatures(xml: string, entries: ReadonlyArray<{ eventHash: string; signature: string }>): string {
  const dom = new DOMParser().parseFromString(xml, "application/xml");
  const root = dom.documentElement as Element;
  for (const old of Array.from(root.childNodes)) {
    const element = old as Element;
    if (element.namespaceURI === CT_NAMESPACE && element.localName === "signatures") root.removeChild(old);
  }
  const prefix = root.lookupPrefix(CT_NAMESPACE) ?? "ct";
  const named = (local: string): Element => dom.createElementNS(CT_NAMESPACE, `${prefix}:${local}`);
  // The serializer declares the namespace on ct:signatures when the document does not (once: children inherit it).
  const signatures = named("signatures");
  for (const { eventHash, signature } of entries) {
    const entry = named("entry");
    for (const [local, text] of [
      ["eventHash", eventHash],
      ["signature", signature],
    ] as const) {
      const field = named(local);
      field.appendChild(dom.createTextNode(text));
      entry.appendChild(field);
    }
    signatures.appendChild(entry);
  }
  root.appendChild(signatures);
  return new XMLSerializer().serializeToString(dom);
}
