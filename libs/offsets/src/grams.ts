/**
 * Exact kilogram → gram conversion. A JavaScript number is read as the decimal it prints as (the shortest
 * string that round-trips, "1.48" for 1.48), not as its binary value (1.47999999999999998223643160599749535322189331054687…),
 * so 1.48 kg is exactly 1480 g and no tolerance is needed when comparing amounts.
 */
export type Rounding = "up" | "down";

/** `kg` (finite, ≥ 0) in whole grams, rounded in the given direction when finer than a gram. */
export function kgToGrams(kg: number, rounding: Rounding): bigint {
  const { digits, scale } = decimalOf(kg);
  // grams = digits × 10^(3 − scale)
  const shift = 3 - scale;
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  return divide(digits, 10n ** BigInt(-shift), rounding);
}

/** Grams as kilograms (exact for any amount below 2^53 g, about nine billion tonnes). */
export function gramsToKg(grams: bigint): number {
  return Number(grams) / 1000;
}

/** a / b for non-negative a and positive b, rounded in the given direction. */
export function divide(a: bigint, b: bigint, rounding: Rounding): bigint {
  const quotient = a / b;
  return rounding === "up" && quotient * b !== a ? quotient + 1n : quotient;
}

/** Hundredths as a decimal string: 148n → "1.48". */
export function hundredths(value: bigint): string {
  const whole = value / 100n;
  const cents = (value % 100n).toString().padStart(2, "0");
  return `${whole}.${cents}`;
}

/** value = digits / 10^scale, read from the number's shortest decimal form ("1.5e-7", "123.45"). */
function decimalOf(value: number): { digits: bigint; scale: number } {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (match?.[1] === undefined) throw new RangeError(`${value} is not a finite non-negative number`);
  const fraction = match[2] ?? "";
  const exponent = Number(match[3] ?? "0");
  return { digits: BigInt(match[1] + fraction), scale: fraction.length - exponent };
}
