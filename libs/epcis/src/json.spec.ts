import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { compareCodePoints } from "./json.js";

/** The definition: the strings as sequences of code points (lone surrogates as themselves), compared in order. */
function byDefinition(left: string, right: string): number {
  const a = Array.from(left, (character) => character.codePointAt(0) ?? 0);
  const b = Array.from(right, (character) => character.codePointAt(0) ?? 0);
  for (let index = 0; index < a.length && index < b.length; index++) {
    if (a[index] !== b[index]) return (a[index] ?? 0) - (b[index] ?? 0);
  }
  return a.length - b.length;
}

/** Any UTF-16 unit, surrogates (paired or lone) included, weighted towards the ranges around them. */
const unit = fc.oneof(
  fc.constantFrom("a", "b", "\uD7FF", "\uE000", "\uFFFF", "\uD83D", "\uDE00", "\uDBFF", "\uDC00"),
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom("😀", "𝄞", "𠀀"),
);
const text = fc.string({ unit, maxLength: 8 });

describe("compareCodePoints", () => {
  it("orders by code point as the definition does, for any strings of UTF-16 units", () => {
    fc.assert(
      fc.property(text, text, text, (prefix, left, right) => {
        const expected = Math.sign(byDefinition(prefix + left, prefix + right));
        expect(Math.sign(compareCodePoints(prefix + left, prefix + right))).toBe(expected);
      }),
      { numRuns: 20_000 },
    );
  });

  it("puts a character above the surrogates before an astral one (UTF-16 order has it after)", () => {
    expect(compareCodePoints("\uFF5E", "😀")).toBeLessThan(0);
    expect(compareCodePoints("x😀", "x\uFF5E")).toBeGreaterThan(0);
    expect(compareCodePoints("abc", "abd")).toBeLessThan(0);
    expect(compareCodePoints("ab", "abc")).toBeLessThan(0);
    expect(compareCodePoints("same", "same")).toBe(0);
  });
});
