/**
 * The product/lot model (docs/pact.md): CarbonTrace publishes one footprint per lot, because the lot is what the
 * events, the proof bundle and the label describe. Its `productIds` name the product (`urn:gtin:…`, so that a
 * product query finds every lot's footprint) and, where the GTIN's GS1 Company Prefix is known, the lot itself as
 * a GS1 EPC class URN (`urn:epc:class:lgtin:…`, TDS 2.x), which finds exactly one Active footprint. The prefix length
 * cannot be read from a GTIN: it comes from the brand owner's registered prefixes.
 */
export function lotProductIds(gtin: string, lotNumber: string, companyPrefix: string | undefined): string[] {
  const ids = [`urn:gtin:${gtin}`];
  if (companyPrefix !== undefined && gtin.length === 14 && gtin.slice(1).startsWith(companyPrefix)) {
    const itemReference = `${gtin[0] ?? ""}${gtin.slice(1 + companyPrefix.length, 13)}`;
    ids.push(`urn:epc:class:lgtin:${companyPrefix}.${itemReference}.${escapeEpcComponent(lotNumber)}`);
  }
  return ids;
}

/** TDS 2.x: in an EPC URI component, characters other than these are written %XX (GS1 AI charset 82 is ASCII). */
const EPC_URI_SAFE = /[A-Za-z0-9\-_.!'()*+,;:=]/;

function escapeEpcComponent(text: string): string {
  // Lot numbers are GS1 AI charset 82 (ASCII): one code unit is one character.
  return Array.from(text, (char) => char)
    .map((char) =>
      EPC_URI_SAFE.test(char) ? char : `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
    )
    .join("");
}
