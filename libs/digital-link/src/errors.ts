import { DomainError, type ErrorDetails } from "#common";

/** Stable codes for everything this library rejects; all are of kind "invalid" (the caller sent bad data). */
export const DigitalLinkErrorCode = {
  /** Not a GS1 Digital Link URI: bad characters, scheme, domain, empty path element, or no primary key. */
  INVALID_URI: "DIGITAL_LINK.INVALID_URI",
  /** Bracketed element string such as `(01)…(10)…` is malformed. */
  INVALID_ELEMENT_STRING: "DIGITAL_LINK.INVALID_ELEMENT_STRING",
  /** A numeric AI that the GS1 Syntax Dictionary does not define (and unknown AIs are not permitted). */
  UNKNOWN_AI: "DIGITAL_LINK.UNKNOWN_AI",
  /** An AI value has the wrong length, characters or content (date, percent-encoding, …). */
  INVALID_VALUE: "DIGITAL_LINK.INVALID_VALUE",
  /** A GS1 key's check digit (mod 10) or check character pair (GMN) is wrong. */
  CHECK_DIGIT: "DIGITAL_LINK.CHECK_DIGIT",
  /** The path AIs are not a primary key followed by its qualifiers in the order GS1 allows. */
  INVALID_KEY_QUALIFIERS: "DIGITAL_LINK.INVALID_KEY_QUALIFIERS",
  /** An AI in the query string is not allowed there (not a data attribute, or it belongs in the path). */
  INVALID_DATA_ATTRIBUTE: "DIGITAL_LINK.INVALID_DATA_ATTRIBUTE",
  /** The same AI appears twice in a URI, or twice with different values in an element string. */
  DUPLICATE_AI: "DIGITAL_LINK.DUPLICATE_AI",
  /** The element string holds no AI that can be a Digital Link primary key. */
  NO_PRIMARY_KEY: "DIGITAL_LINK.NO_PRIMARY_KEY",
} as const;

export type DigitalLinkErrorCode = (typeof DigitalLinkErrorCode)[keyof typeof DigitalLinkErrorCode];

export function digitalLinkError(code: DigitalLinkErrorCode, message: string, details: ErrorDetails = {}): DomainError {
  return new DomainError(code, "invalid", message, details);
}
