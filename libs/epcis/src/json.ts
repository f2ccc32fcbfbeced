export type JsonObject = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Python's (and the reference implementation's) string order: by code point, not by UTF-16 unit. */
export function compareCodePoints(left: string, right: string): number {
  const shorter = Math.min(left.length, right.length);
  for (let index = 0; index < shorter; index++) {
    const a = left.charCodeAt(index);
    const b = right.charCodeAt(index);
    if (a === b) continue;
    // Below the surrogates a UTF-16 unit is its code point; the pre-hash compares mostly ASCII, so this is the path.
    if (a < 0xd800 && b < 0xd800) return a - b;
    return compareWholeCodePoints(left, right);
  }
  return left.length - right.length;
}

/** The definition, code point by code point: for the rare pair whose first difference involves a surrogate. */
function compareWholeCodePoints(left: string, right: string): number {
  for (let index = 0; index < left.length && index < right.length;) {
    const a = left.codePointAt(index) ?? 0;
    const b = right.codePointAt(index) ?? 0;
    if (a !== b) return a - b;
    index += a > 0xffff ? 2 : 1;
  }
  return left.length - right.length;
}
