/** The product's own Digital Link shape: one batch of one trade item, `/01/<GTIN-14>/10/<lot>`. */
import { lookupAi } from "./ai-table.js";
import { buildFromElements, CANONICAL_STEM } from "./build-uri.js";
import { DigitalLinkErrorCode, digitalLinkError } from "./errors.js";
import { resolveOptions } from "./types.js";
import { assertValueContent, assertValueLength, type ResolvedElement } from "./values.js";

export interface LabelKey {
  /** Always 14 digits: GTIN-8/12/13 are left-padded with zeros. */
  readonly gtin: string;
  readonly lot: string;
}

const STRICT = resolveOptions();
const GTIN_LENGTHS = [8, 12, 13, 14];

function elementOf(ai: string, value: string): ResolvedElement {
  const entry = lookupAi(ai, STRICT);
  if (!entry) throw new Error(`AI (${ai}) is missing from the syntax dictionary`);
  const element = { ai, value, entry };
  assertValueLength(element);
  assertValueContent(element);
  return element;
}

function gtinElementOf(gtin: string): ResolvedElement {
  if (!/^[0-9]+$/.test(gtin) || !GTIN_LENGTHS.includes(gtin.length))
    throw digitalLinkError(DigitalLinkErrorCode.INVALID_VALUE, `GTIN "${gtin}" must be 8, 12, 13 or 14 digits`, {
      ai: "01",
      value: gtin,
    });
  return elementOf("01", gtin.padStart(14, "0"));
}

/**
 * Validates the decoded parameters of a resolver route `/01/{gtin}/10/{lot}` (as Express or Nest hand
 * them over, already percent-decoded): the GTIN's length and check digit, and the lot's GS1 character set
 * and length (1–20).
 *
 * @throws DomainError `DIGITAL_LINK.CHECK_DIGIT` or `DIGITAL_LINK.INVALID_VALUE` (details.ai "01" or "10")
 */
export function parseLabelPath(gtin: string, lot: string): LabelKey {
  return { gtin: gtinElementOf(gtin).value, lot: elementOf("10", lot).value };
}

/** A resolver route's GTIN alone (`/01/{gtin}`): its length and check digit, padded to 14 digits. */
export function parseGtinPath(gtin: string): string {
  return gtinElementOf(gtin).value;
}

/**
 * A serial (AI 21) qualifying a lot link (`/01/{gtin}/10/{lot}/21/{serial}`): GS1 character set 82, 1–20
 * characters. The lot's page answers for every item of the lot.
 */
export function parseSerialPath(serial: string): string {
  return elementOf("21", serial).value;
}

/** The product-level Digital Link URI, `https://host/01/<GTIN-14>`. */
export function productUri(baseUrl: string, gtin: string): string {
  return buildFromElements(baseUrl, [elementOf("01", parseGtinPath(gtin))], STRICT);
}

/**
 * The Digital Link URI printed on a label, `https://host/01/<GTIN-14>/10/<lot>`, with the lot
 * percent-encoded as the GS1 Digital Link grammar requires.
 *
 * @param baseUrl `http(s)://host[/prefix]` of our resolver
 * @throws DomainError `DIGITAL_LINK.INVALID_URI`, `DIGITAL_LINK.CHECK_DIGIT` or `DIGITAL_LINK.INVALID_VALUE`
 */
export function labelUri(baseUrl: string, gtin: string, lot: string): string {
  const key = parseLabelPath(gtin, lot);
  return buildFromElements(baseUrl, [elementOf("01", key.gtin), elementOf("10", key.lot)], STRICT);
}

/**
 * A lot's identity everywhere in CarbonTrace (capture, routes, URLs, bundles, the verifier): its GS1 Digital Link
 * on id.gs1.org, `https://id.gs1.org/01/{GTIN-14}/10/{lot}`, the lot percent-encoded as GS1 escapes path values.
 * Refuses what can never resolve: a wrong check digit, a lot outside GS1 character set 82 or over 20 characters.
 */
export function lotId(gtin: string, lot: string): string {
  return labelUri(CANONICAL_STEM, gtin, lot);
}
