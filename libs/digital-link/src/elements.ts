import { type AiEntry, lookupAi } from "./ai-table.js";
import { DigitalLinkErrorCode, digitalLinkError } from "./errors.js";
import { type ResolvedOptions } from "./types.js";
import { type ResolvedElement } from "./values.js";

/** Upstream's bound on the number of AIs in one message (`MAX_AIS`). */
export const MAX_ELEMENTS = 64;

export function entryOrThrow(ai: string, options: ResolvedOptions): AiEntry {
  const entry = lookupAi(ai, options);
  if (!entry)
    throw digitalLinkError(DigitalLinkErrorCode.UNKNOWN_AI, `(${ai}) is not a known GS1 Application Identifier`, {
      ai,
    });
  return entry;
}

/** GTIN-8/12/13 given for AI (01) become GTIN-14 by left-padding with zeros, when the caller permits it. */
export function withZeroSuppressedGtinPadded(entry: AiEntry, value: string, options: ResolvedOptions): string {
  const suppressed = value.length === 8 || value.length === 12 || value.length === 13;
  return options.permitZeroSuppressedGtin && entry.ai === "01" && suppressed ? value.padStart(14, "0") : value;
}

/** The element string with `^` as FNC1: one leading `^`, and one after every AI that is not predefined-length. */
export function aiStringOf(elements: readonly ResolvedElement[]): string {
  let out = "";
  let fnc1Required = true;
  for (const { ai, value, entry } of elements) {
    out += `${fnc1Required ? "^" : ""}${ai}${value}`;
    fnc1Required = entry.fnc1;
  }
  return out;
}

export function assertAllowedAsDataAttribute({ ai, entry }: ResolvedElement, options: ResolvedOptions): void {
  const forbidden =
    entry.dataAttribute === "forbidden" ||
    (entry.dataAttribute === "unknown-ai" && options.rejectUnknownAiAsDataAttribute);
  if (forbidden)
    throw digitalLinkError(
      DigitalLinkErrorCode.INVALID_DATA_ATTRIBUTE,
      `(${ai}) is not allowed as a Digital Link data attribute in the query string`,
      { ai },
    );
}

export function assertElementCount(count: number): void {
  if (count > MAX_ELEMENTS)
    throw digitalLinkError(DigitalLinkErrorCode.INVALID_VALUE, `More than ${MAX_ELEMENTS} AIs in one message`, {
      count,
    });
}
