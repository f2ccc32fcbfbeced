import { DomainError } from "#common";

/**
 * Exact decimal arithmetic for quantities: EPCIS quantities are decimals, and mass balance compares sums of
 * them, so binary floating point (0.1 + 0.2) must not decide whether a capture is accepted.
 * A value is digits × 10^-scale.
 */
export interface Decimal {
  readonly digits: bigint;
  readonly scale: number;
}

const PATTERN = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

export function decimal(value: number | string): Decimal {
  const text = typeof value === "number" ? numberText(value) : value.trim();
  if (!PATTERN.test(text)) {
    throw new DomainError("CAPTURE.QUANTITY_INVALID", "invalid", `"${text}" is not a decimal number`);
  }
  const [mantissa = "", exponentText] = text.toLowerCase().split("e");
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const [whole = "", fraction = ""] = mantissa.split(".");
  const digits = BigInt(`${whole}${fraction}`);
  const scale = fraction.length - exponent;
  return scale >= 0 ? normalise({ digits, scale }) : { digits: digits * 10n ** BigInt(-scale), scale: 0 };
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) {
    throw new DomainError("CAPTURE.QUANTITY_INVALID", "invalid", `${String(value)} is not a finite quantity`);
  }
  return String(value);
}

function normalise(value: Decimal): Decimal {
  let { digits, scale } = value;
  while (scale > 0 && digits % 10n === 0n) {
    digits /= 10n;
    scale--;
  }
  return { digits, scale };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.digits * 10n ** BigInt(scale - a.scale), b.digits * 10n ** BigInt(scale - b.scale), scale];
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return normalise({ digits: x + y, scale });
}

export function negate(a: Decimal): Decimal {
  return { digits: -a.digits, scale: a.scale };
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return normalise({ digits: a.digits * b.digits, scale: a.scale + b.scale });
}

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isPositive(a: Decimal): boolean {
  return a.digits > 0n;
}

export const ZERO: Decimal = { digits: 0n, scale: 0 };

export function sum(values: readonly Decimal[]): Decimal {
  return values.reduce(add, ZERO);
}

/** Plain decimal text (no exponent), as PostgreSQL's numeric accepts it. */
export function toText(value: Decimal): string {
  const negative = value.digits < 0n;
  const digits = (negative ? -value.digits : value.digits).toString().padStart(value.scale + 1, "0");
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale);
  return `${negative ? "-" : ""}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}

export function toNumber(value: Decimal): number {
  return Number(toText(value));
}
