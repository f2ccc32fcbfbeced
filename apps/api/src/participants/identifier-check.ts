import { DomainError } from "#common";
import type { IdentifierScheme } from "./dto/participant.dto.js";

/** Checks an organisation identifier by its scheme's own rules (check digits), and returns its canonical form. */
export function checkIdentifier(scheme: IdentifierScheme, raw: string): string {
  const value = raw.trim();
  const ok = CHECKS[scheme](value);
  if (!ok) {
    throw new DomainError(
      "PARTICIPANT.IDENTIFIER_INVALID",
      "invalid",
      `"${value}" is not a valid ${scheme.toUpperCase()}`,
      {
        scheme,
      },
    );
  }
  return scheme === "other" ? value : value.toUpperCase();
}

const CHECKS: Readonly<Record<IdentifierScheme, (value: string) => boolean>> = {
  gln: (value) => /^\d{13}$/.test(value) && gs1CheckDigitOk(value),
  lei: (value) => /^[0-9A-Z]{18}\d{2}$/i.test(value) && mod97(value.toUpperCase()) === 1,
  uscc: (value) =>
    /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/i.test(value) && usccCheckOk(value.toUpperCase()),
  other: (value) => value.length > 0,
};

/** GS1 mod-10: weights 3 and 1 from the right, excluding the check digit. */
function gs1CheckDigitOk(digits: string): boolean {
  const body = digits.slice(0, -1);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10 === Number(digits.at(-1));
}

/** ISO 17442 (LEI): letters as 10…35, the whole number mod 97 is 1. */
function mod97(value: string): number {
  let remainder = 0;
  for (const char of value) {
    const code = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of code) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015: weighted sum mod 31 over the first 17 characters. */
function usccCheckOk(value: string): boolean {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(value.charAt(i)) * (USCC_WEIGHTS[i] ?? 0);
  const check = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET.charAt(check) === value.charAt(17);
}
