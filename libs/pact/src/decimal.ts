import { DomainError } from "#common";

/**
 * A number as a PACT `Decimal` string (`^[+-]?\d+(\.\d+)?$`): fixed notation, never an exponent, trailing
 * zeros dropped, rounded half away from zero at `fractionDigits`.
 */
export function pactDecimal(value: number, fractionDigits = 6): string {
  const scale = 10 ** fractionDigits;
  if (!Number.isFinite(value) || Math.abs(value) * scale >= Number.MAX_SAFE_INTEGER) {
    throw new DomainError("PACT.NOT_A_DECIMAL", "internal", `${String(value)} cannot be written as a PACT decimal`);
  }
  const rounded = Math.sign(value) * Math.round(Math.abs(value) * scale);
  if (rounded === 0) return "0";
  const negative = rounded < 0;
  const digits = String(Math.abs(rounded)).padStart(fractionDigits + 1, "0");
  const whole = digits.slice(0, digits.length - fractionDigits);
  const fraction = digits.slice(digits.length - fractionDigits).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}
