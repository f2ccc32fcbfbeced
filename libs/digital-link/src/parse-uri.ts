/**
 * GS1 Digital Link URI → AI elements, following gs1-syntax-engine `gs1_parseDLuri` (dl.c @ 50657dbd):
 * the primary key is found by walking the path backwards in `/AI/value` pairs, everything before it is
 * the stem, numeric query parameters are AIs and other query parameters are ignored.
 */
import { aiOfConvenienceAlpha, type AiEntry, isPrimaryKey, isValidKeyQualifierPath, lookupAi } from "./ai-table.js";
import {
  aiStringOf,
  assertAllowedAsDataAttribute,
  assertElementCount,
  entryOrThrow,
  withZeroSuppressedGtinPadded,
} from "./elements.js";
import { DigitalLinkErrorCode, digitalLinkError } from "./errors.js";
import { type DigitalLink, type DigitalLinkOptions, type ResolvedOptions, resolveOptions } from "./types.js";
import { unescapeUriComponent } from "./uri-escape.js";
import { assertValueContent, assertValueLength, type ResolvedElement } from "./values.js";

export const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
const SCHEMES = ["https://", "HTTPS://", "http://", "HTTP://"];
/** Characters that RFC 3986 allows in a URI but not in a host name. */
export const BAD_DOMAIN_CHARACTER = /[_~?#@!$&'()*+,;=%]/;

function invalidUri(uri: string, problem: string): Error {
  return digitalLinkError(DigitalLinkErrorCode.INVALID_URI, `"${uri}" is not a GS1 Digital Link URI: ${problem}`, {
    uri,
  });
}

interface UriParts {
  /** Scheme and domain, e.g. `https://example.com`. */
  readonly origin: string;
  /** Path segments after the domain; the path always starts with `/`, so the first one is "". */
  readonly segments: readonly string[];
  readonly query: string | null;
}

/** Splits scheme, domain, path and query; the fragment is dropped. Exported for the label helpers. */
export function splitUri(uri: string): UriParts {
  if (!URI_CHARACTERS.test(uri)) throw invalidUri(uri, "it contains characters that are not allowed in a URI");
  const scheme = SCHEMES.find((candidate) => uri.startsWith(candidate));
  if (!scheme) throw invalidUri(uri, "it must start with http:// or https://");
  const afterScheme = uri.slice(scheme.length);
  const slash = afterScheme.indexOf("/");
  const domain = slash < 0 ? afterScheme : afterScheme.slice(0, slash);
  if (BAD_DOMAIN_CHARACTER.test(domain)) throw invalidUri(uri, "the domain contains characters not allowed there");
  if (slash < 1) throw invalidUri(uri, "it has no domain or no path");
  const [beforeFragment = ""] = afterScheme.slice(slash).split("#", 1);
  const queryStart = beforeFragment.indexOf("?");
  const path = queryStart < 0 ? beforeFragment : beforeFragment.slice(0, queryStart);
  return {
    origin: `${scheme}${domain}`,
    segments: path.split("/"),
    query: queryStart < 0 ? null : beforeFragment.slice(queryStart + 1),
  };
}

/** The AI a path segment names: its digits, or the AI of a convenience alpha such as `gtin` when permitted. */
function pathAiOf(segment: string, options: ResolvedOptions): { ai: string; entry: AiEntry } | null {
  const looksAlpha = segment.length >= 3 && segment.length <= 5 && !/^[0-9]/.test(segment);
  const ai = (options.permitConvenienceAlphas && looksAlpha ? aiOfConvenienceAlpha(segment) : null) ?? segment;
  const entry = lookupAi(ai, options);
  return entry ? { ai, entry } : null;
}

/** Index of the segment holding the primary key AI: the rightmost AI whose pairs to the end are all AIs. */
function primaryKeyIndexOf(segments: readonly string[], options: ResolvedOptions): number | null {
  for (let index = segments.length - 2; index >= 1; index -= 2) {
    const named = pathAiOf(segments[index] ?? "", options);
    if (!named) return null;
    if (isPrimaryKey(named.entry)) return index;
  }
  return null;
}

function decodedValue(uri: string, ai: string, raw: string, where: "path" | "query"): string {
  if (raw === "") throw invalidUri(uri, `AI (${ai}) has an empty value`);
  const value = unescapeUriComponent(raw, where);
  if (value === null) throw invalidUri(uri, `AI (${ai}) value contains an encoded NUL character`);
  return value;
}

function pathElementsOf(uri: string, parts: UriParts, keyIndex: number, options: ResolvedOptions): ResolvedElement[] {
  const elements: ResolvedElement[] = [];
  for (let index = keyIndex; index < parts.segments.length; index += 2) {
    const segment = parts.segments[index] ?? "";
    const named = pathAiOf(segment, options);
    if (!named) throw invalidUri(uri, `"${segment}" is not an AI`); // the backward walk already saw it
    const { ai, entry } = named;
    const raw = decodedValue(uri, ai, parts.segments[index + 1] ?? "", "path");
    const element = { ai, value: withZeroSuppressedGtinPadded(entry, raw, options), entry };
    assertValueLength(element);
    elements.push(element);
  }
  return elements;
}

function queryElementsOf(uri: string, query: string, options: ResolvedOptions): ResolvedElement[] {
  const elements: ResolvedElement[] = [];
  for (const parameter of query.split("&")) {
    const equals = parameter.indexOf("=");
    if (equals < 0) continue; // singletons carry no AI
    const ai = parameter.slice(0, equals);
    if (!/^[0-9]*$/.test(ai)) continue; // non-numeric keys (linkType, …) are not AIs
    const entry = entryOrThrow(ai, options);
    const raw = decodedValue(uri, ai, parameter.slice(equals + 1), "query");
    const element = { ai, value: withZeroSuppressedGtinPadded(entry, raw, options), entry };
    assertValueLength(element);
    elements.push(element);
  }
  return elements;
}

function assertNoDuplicates(elements: readonly ResolvedElement[]): void {
  const seen = new Set<string>();
  for (const { ai } of elements) {
    if (seen.has(ai))
      throw digitalLinkError(DigitalLinkErrorCode.DUPLICATE_AI, `(${ai}) appears more than once`, { ai });
    seen.add(ai);
  }
}

/** A query AI that would also form a valid path (e.g. `?10=…` after `/01/…`) must be written in the path. */
function assertNotPathQualifier(pathAis: readonly string[], attribute: ResolvedElement): void {
  for (let position = 1; position <= pathAis.length; position++) {
    const trial = [...pathAis.slice(0, position), attribute.entry.ai, ...pathAis.slice(position)];
    if (isValidKeyQualifierPath(trial))
      throw digitalLinkError(
        DigitalLinkErrorCode.INVALID_DATA_ATTRIBUTE,
        `(${attribute.ai}) is a key qualifier of (${pathAis[0] ?? ""}) and must be in the path, not the query string`,
        { ai: attribute.ai },
      );
  }
}

/**
 * Parses a GS1 Digital Link URI into its stem and AI elements, validating the path's key-qualifier
 * sequence, the query's data attributes and every value against the GS1 Syntax Dictionary.
 *
 * @throws DomainError with a `DIGITAL_LINK.*` code (kind "invalid") describing the first problem found.
 */
export function parseDigitalLink(uri: string, options?: DigitalLinkOptions): DigitalLink {
  const resolved = resolveOptions(options);
  const parts = splitUri(uri);
  const keyIndex = primaryKeyIndexOf(parts.segments, resolved);
  if (keyIndex === null) throw invalidUri(uri, "its path has no GS1 primary key such as /01/<GTIN>");
  const path = pathElementsOf(uri, parts, keyIndex, resolved);
  const query = parts.query === null ? [] : queryElementsOf(uri, parts.query, resolved);
  const elements = [...path, ...query];
  assertElementCount(elements.length);

  const pathAis = path.map(({ entry }) => entry.ai);
  if (!isValidKeyQualifierPath(pathAis))
    throw digitalLinkError(
      DigitalLinkErrorCode.INVALID_KEY_QUALIFIERS,
      `The path AIs (${pathAis.join(")(")}) are not a primary key followed by its qualifiers in GS1 order`,
      { ais: pathAis },
    );
  assertNoDuplicates(elements);
  for (const attribute of query) {
    assertAllowedAsDataAttribute(attribute, resolved);
    assertNotPathQualifier(pathAis, attribute);
  }
  elements.forEach(assertValueContent);

  const stem = `${parts.origin}${parts.segments.slice(0, keyIndex).join("/")}`;
  return { stem, elements: elements.map(({ ai, value }) => ({ ai, value })), aiString: aiStringOf(elements) };
}
