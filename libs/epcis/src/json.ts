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
    return compareCodePointsFrom(left, right, index);
  }
  return left.length - right.length;
}

/** The first difference is at or just after a surrogate: from the code point holding it, as the definition goes. */
function compareCodePointsFrom(left: string, right: string, index: number): number {
  // Both strings are equal before `index`; a high surrogate just before it may start the differing code point.
  const previous = index > 0 ? left.charCodeAt(index - 1) : 0;
  let at = previous >= 0xd800 && previous <= 0xdbff ? index - 1 : index;
  while (at < left.length && at < right.length) {
    const a = left.codePointAt(at) ?? 0;
    const b = right.codePointAt(at) ?? 0;
    if (a !== b) return a - b;
    at += a > 0xffff ? 2 : 1;
  }
  return left.length - right.length;
}
