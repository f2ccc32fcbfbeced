/** Orders strings by code point, independent of locale (sorts must be the same in every runtime). */
export function compareCodePoints(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
