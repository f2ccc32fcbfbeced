import { withWebVocabulary } from "./cbv-vocabulary.js";
import { canonicalDigitalLink } from "./digital-link.js";
import { epcToDigitalLink } from "./epc-to-digital-link.js";
import { canonicalNumber } from "./number-format.js";

/** A value as the pre-hash string carries it: CBV web URIs, canonical numbers, canonical Digital Link URIs. */
export function canonicalValue(text: string): string {
  const vocabulary = withWebVocabulary(text);
  const numeric = canonicalNumber(vocabulary) ?? vocabulary;
  return digitalLinkOf(numeric) ?? numeric;
}

function digitalLinkOf(text: string): string | undefined {
  if (text.startsWith("urn:epc:")) return epcToDigitalLink(text);
  return /^https?:\/\//.test(text) ? canonicalDigitalLink(text) : undefined;
}
