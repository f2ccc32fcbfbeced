/** GS1 mod-10 check digit (GTIN, GLN, SSCC, GSRN, GSIN, …): weights 3 and 1 alternating from the right. */
export function gs1CheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new RangeError(`"${digits}" is not a string of digits`);
  let sum = 0;
  for (let position = 0; position < digits.length; position++) {
    const digit = Number(digits[digits.length - 1 - position]);
    sum += position % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function withCheckDigit(digits: string): string {
  return `${digits}${gs1CheckDigit(digits)}`;
}
