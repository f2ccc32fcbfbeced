import { DomainError, memoized } from "#common";
import { lotId } from "#digital-link";
import { canonicalDigitalLink, epcToDigitalLink } from "#epcis";

/**
 * One spelling per identifier: EPC URNs and GS1 Digital Link URIs of the same thing become the same canonical
 * Digital Link URI, so that a lot written as `urn:epc:class:lgtin:…` and as `https://id.gs1.org/01/…/10/…`
 * is one lot and one query key. Identifiers of other schemes are kept as written.
 */
export function canonicalIdentifier(uri: string): string {
  return canonicalIdentifierOf(uri);
}

/** A capture spells each lot several times (movements, custody, references); parsing GS1 syntax dominates. */
const IDENTIFIER_CACHE = 4_096;

const canonicalIdentifierOf = memoized(
  (uri) => epcToDigitalLink(uri) ?? canonicalDigitalLink(uri) ?? uri,
  IDENTIFIER_CACHE,
);

export interface LotIdentifier {
  /** Canonical Digital Link URI: https://id.gs1.org/01/{gtin}/10/{lot}, the lot escaped as GS1 does (`lotId`). */
  readonly id: string;
  readonly gtin: string;
  readonly lotNumber: string;
}

const LOT_URI = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/10\/([^/?#]+)$/;

/**
 * The lot an EPC class denotes (LGTIN, or a Digital Link with GTIN and lot), if it denotes one: one identity
 * whatever the spelling. Throws (DIGITAL_LINK.*, CAPTURE.LOT_INVALID) for a lot that can never resolve: a GTIN
 * with a wrong check digit, a lot number outside the GS1 character set.
 */
export function lotOf(epcClass: string): LotIdentifier | undefined {
  return lotOfClass(epcClass);
}

const lotOfClass = memoized((epcClass): LotIdentifier | undefined => {
  const match = LOT_URI.exec(canonicalIdentifier(epcClass));
  if (match === null) return undefined;
  const gtin = match[1] ?? "";
  let lotNumber: string;
  try {
    lotNumber = decodeURIComponent(match[2] ?? "");
  } catch (error) {
    throw new DomainError(
      "CAPTURE.LOT_INVALID",
      "invalid",
      `"${epcClass}" has a malformed lot number`,
      { epcClass },
      {
        cause: error,
      },
    );
  }
  return Object.freeze({ id: lotId(gtin, lotNumber), gtin, lotNumber });
}, IDENTIFIER_CACHE);

/** The GTIN-level class of an EPC class with or without lot (`https://id.gs1.org/01/{gtin}`). */
export function productClassOf(epcClass: string): string | undefined {
  const match = /^https:\/\/id\.gs1\.org\/01\/(\d{14})/.exec(canonicalIdentifier(epcClass));
  return match === null ? undefined : `https://id.gs1.org/01/${match[1] ?? ""}`;
}
