/**
 * Bracketed GS1 element strings such as `(01)09520123456788(10)ABC(17)251231`, as read by
 * gs1-syntax-engine `gs1_parseAIdata`: a literal `(` inside a value is written `\(`.
 */
import { assertElementCount, entryOrThrow } from "./elements.js";
import { DigitalLinkErrorCode, digitalLinkError } from "./errors.js";
import { type AiElement, type ResolvedOptions } from "./types.js";
import { assertValueContent, assertValueLength, type ResolvedElement } from "./values.js";

function malformed(elementString: string, problem: string): Error {
  return digitalLinkError(
    DigitalLinkErrorCode.INVALID_ELEMENT_STRING,
    `"${elementString}" is not a bracketed GS1 element string: ${problem}`,
    { elementString },
  );
}

/** Where the value starting at `start` ends: the next `(` that is not escaped as `\(`, or the end. */
function valueEnd(elementString: string, start: number): number {
  let end = elementString.indexOf("(", start);
  while (end > start && elementString[end - 1] === "\\") end = elementString.indexOf("(", end + 1);
  return end < 0 ? elementString.length : end;
}

export function parseElementString(elementString: string, options: ResolvedOptions): ResolvedElement[] {
  const elements: ResolvedElement[] = [];
  let position = 0;
  while (position < elementString.length) {
    if (elementString[position] !== "(") throw malformed(elementString, `expected "(" at position ${position}`);
    const close = elementString.indexOf(")", position);
    if (close < 0) throw malformed(elementString, `the AI at position ${position} has no closing ")"`);
    const ai = elementString.slice(position + 1, close);
    const entry = entryOrThrow(ai, options);
    if (close + 1 >= elementString.length) throw malformed(elementString, `AI (${ai}) has no value`);
    const end = valueEnd(elementString, close + 1);
    const element = { ai, value: elementString.slice(close + 1, end).replaceAll("\\(", "("), entry };
    assertValueLength(element);
    elements.push(element);
    position = end;
  }
  if (elements.length === 0) throw malformed(elementString, "it is empty");
  assertElementCount(elements.length);
  elements.forEach(assertValueContent);
  assertRepeatsAgree(elements);
  return elements;
}

/** An AI may repeat (data read from several carriers on one item) but only with the same value. */
function assertRepeatsAgree(elements: readonly ResolvedElement[]): void {
  const values = new Map<string, string>();
  for (const { ai, value } of elements) {
    const earlier = values.get(ai);
    if (earlier !== undefined && earlier !== value)
      throw digitalLinkError(
        DigitalLinkErrorCode.DUPLICATE_AI,
        `(${ai}) appears twice with different values "${earlier}" and "${value}"`,
        { ai },
      );
    values.set(ai, value);
  }
}

/** The bracketed, human-readable element string of `elements`, e.g. `(01)09520123456788(10)ABC`. */
export function elementStringOf(elements: readonly AiElement[]): string {
  return elements.map(({ ai, value }) => `(${ai})${value.replaceAll("(", "\\(")}`).join("");
}
