/**
 * AI elements → GS1 Digital Link URI, following gs1-syntax-engine `gs1_generateDLuri` (dl.c @ 50657dbd):
 * the first AI that can be a primary key goes first in the path, followed by the longest qualifier path the
 * data satisfies; every other AI becomes a query data attribute, predefined-length AIs first, each in the
 * order given, repeats dropped.
 */
import { isPrimaryKey, keyQualifierPathsOf } from "./ai-table.js";
import { parseElementString } from "./element-string.js";
import { assertAllowedAsDataAttribute } from "./elements.js";
import { DigitalLinkErrorCode, digitalLinkError } from "./errors.js";
import { BAD_DOMAIN_CHARACTER, URI_CHARACTERS } from "./parse-uri.js";
import { type DigitalLinkOptions, type ResolvedOptions, resolveOptions } from "./types.js";
import { escapeUriComponent } from "./uri-escape.js";
import { type ResolvedElement } from "./values.js";

/** GS1's canonical resolver, used when no stem is given. */
export const CANONICAL_STEM = "https://id.gs1.org";

const STEM = /^(?:https?|HTTPS?):\/\/([^/]+)(?:\/[^?#]*)?$/;

function isValidStem(stem: string): boolean {
  const match = STEM.exec(stem);
  return match !== null && URI_CHARACTERS.test(stem) && !BAD_DOMAIN_CHARACTER.test(match[1] ?? "");
}

/** A stem is `http(s)://host[/path]` without query or fragment; one trailing slash is dropped. */
export function normalizedStem(stem: string | null): string {
  if (stem === null) return CANONICAL_STEM;
  if (!isValidStem(stem))
    throw digitalLinkError(
      DigitalLinkErrorCode.INVALID_URI,
      `"${stem}" is not a Digital Link stem: it must be http(s)://host with an optional path and no query`,
      { stem },
    );
  return stem.endsWith("/") ? stem.slice(0, -1) : stem;
}

function pathElementsOf(elements: readonly ResolvedElement[]): ResolvedElement[] {
  const primaryKey = elements.find(({ entry }) => isPrimaryKey(entry));
  if (!primaryKey)
    throw digitalLinkError(
      DigitalLinkErrorCode.NO_PRIMARY_KEY,
      "The element string has no GS1 primary key (such as GTIN (01) or SSCC (00)) to build a Digital Link on",
      { ais: elements.map(({ ai }) => ai) },
    );
  const present = (ai: string) => elements.find((element) => element.entry.ai === ai);
  let best: readonly string[] = [primaryKey.entry.ai];
  for (const path of keyQualifierPathsOf(primaryKey.entry.ai)) {
    if (path.length > best.length && path.every((ai) => present(ai))) best = path;
  }
  return best.map((ai) => present(ai)).filter((element) => element !== undefined);
}

function queryElementsOf(elements: readonly ResolvedElement[], pathAis: ReadonlySet<string>): ResolvedElement[] {
  const emitted = new Set(pathAis);
  const query: ResolvedElement[] = [];
  for (const predefinedLength of [true, false]) {
    for (const element of elements) {
      if (element.entry.fnc1 === predefinedLength || emitted.has(element.ai)) continue;
      emitted.add(element.ai);
      query.push(element);
    }
  }
  return query;
}

export function buildFromElements(
  stem: string | null,
  elements: readonly ResolvedElement[],
  options: ResolvedOptions,
): string {
  const base = normalizedStem(stem);
  const path = pathElementsOf(elements);
  const query = queryElementsOf(elements, new Set(path.map(({ ai }) => ai)));
  query.forEach((element) => {
    assertAllowedAsDataAttribute(element, options);
  });
  const pathText = path.map(({ ai, value }) => `/${ai}/${escapeUriComponent(value, "path")}`).join("");
  const queryText = query.map(({ ai, value }) => `${ai}=${escapeUriComponent(value, "query")}`).join("&");
  return `${base}${pathText}${queryText === "" ? "" : `?${queryText}`}`;
}

/**
 * Builds a GS1 Digital Link URI from a bracketed element string such as `(01)09520123456788(10)ABC123`.
 *
 * @param stem `http(s)://host[/prefix]`, or null for GS1's canonical `https://id.gs1.org`
 * @throws DomainError with a `DIGITAL_LINK.*` code when the data is invalid or cannot form a Digital Link
 */
export function buildDigitalLink(stem: string | null, elementString: string, options?: DigitalLinkOptions): string {
  const resolved = resolveOptions(options);
  return buildFromElements(stem, parseElementString(elementString, resolved), resolved);
}
