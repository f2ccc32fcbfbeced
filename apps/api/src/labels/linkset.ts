import type { JourneyView } from "./journey.service.js";

/**
 * The GS1 Digital Link linkset of a lot (RFC 9264 `application/linkset+json`, link types from the GS1 Web
 * vocabulary), what a resolver answers to `?linkType=all`.
 */
export function linksetOf(view: JourneyView, pageUrl: string): { linkset: Array<Record<string, unknown>> } {
  const page = pageUrl.split("?")[0] ?? pageUrl;
  const title = view.product?.name.en ?? `GTIN ${view.gtin} lot ${view.lot}`;
  const pageLink = { href: page, title, type: "text/html", hreflang: ["en", "zh"] };
  return {
    linkset: [
      {
        anchor: view.uri,
        "https://gs1.org/voc/defaultLink": [pageLink],
        "https://gs1.org/voc/pip": [pageLink],
        "https://gs1.org/voc/sustainabilityInfo": [
          { href: page, title: "Carbon footprint, reductions and offsets (JSON)", type: "application/json" },
        ],
        "https://gs1.org/voc/traceability": [
          { href: view.links.bundle, title: "Proof bundle (CarbonTraceProofBundle)", type: "application/json" },
        ],
        "https://gs1.org/voc/certificationInfo": view.attestations.map((a) => ({
          href: view.links.bundle,
          title: `Attestation ${a.verdict} by ${a.certifier}`,
          type: "application/json",
        })),
      },
    ],
  };
}
