/**
 * Content checks ("linters") named by the GS1 Syntax Dictionary, ported from gs1-syntax-engine
 * `src/c-lib/syntax/lint_*.c`. Each returns null when the component is fine, or a plain-words problem.
 *
 * Not ported (they need large code lists): iso3166, iso3166999, iso3166alpha2, iso4217, iban, couponcode,
 * couponposoffer, packagetype, mediatype, importeridx. Components using them are still checked for
 * character set and length; `isImplementedLinter` lets callers and tests see which ones are skipped.
 */

export type LintProblem = { readonly kind: "check-digit" | "content"; readonly message: string };
type Linter = (data: string) => LintProblem | null;

const content = (message: string): LintProblem => ({ kind: "content", message });
const checkDigit = (message: string): LintProblem => ({ kind: "check-digit", message });

const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;
const CSET39 = /^[#\-/0-9A-Z]*$/;
const CSET64 = /^[A-Za-z0-9\-_]*$/;
const DIGITS = /^[0-9]*$/;

/** Character set of a component: N numeric, X CSET 82, Y CSET 39, Z CSET 64 (base64url, optional padding). */
export type CharacterSet = "N" | "X" | "Y" | "Z";

export function characterSetProblem(cset: CharacterSet, data: string): LintProblem | null {
  switch (cset) {
    case "N":
      return DIGITS.test(data) ? null : content("must contain digits only");
    case "X":
      return CSET82.test(data) ? null : content("contains a character outside GS1 character set 82");
    case "Y":
      return CSET39.test(data) ? null : content("contains a character outside GS1 character set 39");
    case "Z":
      return cset64Problem(data);
  }
}

function cset64Problem(data: string): LintProblem | null {
  const unpadded = data.replace(/=+$/, "");
  const pads = data.length - unpadded.length;
  if (pads > 2 || (pads > 0 && data.length % 3 !== 0)) return content("has invalid base64url padding");
  return CSET64.test(unpadded) ? null : content("contains a character outside GS1 character set 64");
}

/** GS1 mod-10 check digit over `digits` (without the check digit): weights 3,1,3,… from the right. */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const weight = (digits.length - i) % 2 === 1 ? 3 : 1;
    sum += weight * Number(digits[i]);
  }
  return (10 - (sum % 10)) % 10;
}

const csum: Linter = (data) => {
  if (!/^[0-9]+$/.test(data)) return content("must contain digits only");
  const expected = gs1CheckDigit(data.slice(0, -1));
  return data.endsWith(String(expected))
    ? null
    : checkDigit(`has check digit ${data.slice(-1)} but the correct check digit is ${expected}`);
};

const CSET82_ORDER = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
const CSET32_ORDER = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const PRIMES = firstPrimes(97);

function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let n = 2; primes.length < count; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  return primes;
}

/** Check character pair of a GMN/MUDI (AI 8013, 8014): prime-weighted sum mod 1021 split into two CSET 32 chars. */
const csumalpha: Linter = (data) => {
  if (data.length > PRIMES.length + 2) return content("is too long for a check character pair");
  if (data.length < 2) return content("is too short for a check character pair");
  let sum = 0;
  for (let i = 0; i < data.length - 2; i++) {
    const weight = CSET82_ORDER.indexOf(data.charAt(i));
    if (weight < 0) return content("contains a character outside GS1 character set 82");
    sum += weight * (PRIMES[data.length - 3 - i] ?? 0);
  }
  sum %= 1021;
  const pair = `${CSET32_ORDER.charAt(sum >> 5)}${CSET32_ORDER.charAt(sum & 31)}`;
  return data.endsWith(pair) ? null : checkDigit(`has check characters ${data.slice(-2)} but they should be ${pair}`);
};

/** Only the shortest (4-digit) GS1 Company Prefix is checked; there is no online prefix lookup. */
const gcppos1: Linter = (data) =>
  /^[0-9]{4}/.test(data) ? null : content("must start with a GS1 Company Prefix (at least 4 digits)");
const gcppos2: Linter = (data) =>
  data.length < 2 ? content("is too short for a GS1 Company Prefix") : gcppos1(data.slice(1));

/** Two-digit years are placed in 1951–2050 as upstream does with its fixed CURRENT_YEAR of 21. */
const CURRENT_YEAR = 21;

function fullYearOf(yy: number): number {
  if (yy - CURRENT_YEAR >= 51) return 1900 + yy;
  if (yy - CURRENT_YEAR > -50) return 2000 + yy;
  return 2100 + yy;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function dateProblem(data: string, yearDigits: 2 | 4, allowZeroDay: boolean): LintProblem | null {
  const length = yearDigits + 4;
  if (data.length !== length || !DIGITS.test(data)) return content(`must be a date of ${length} digits`);
  const yy = Number(data.slice(0, yearDigits));
  const year = yearDigits === 2 ? fullYearOf(yy) : yy;
  const month = Number(data.slice(yearDigits, yearDigits + 2));
  const day = Number(data.slice(yearDigits + 2));
  if (month < 1 || month > 12) return content(`has month ${month}, which does not exist`);
  if (day > daysInMonth(year, month) || (!allowZeroDay && day === 0))
    return content(`has day ${day}, which does not exist in that month`);
  return null;
}

const numberInRange = (what: string, length: number, max: number): Linter => {
  return (data) =>
    data.length === length && DIGITS.test(data) && Number(data) <= max
      ? null
      : content(`must be ${what} of ${length} digits, at most ${max}`);
};
const hh = numberInRange("an hour", 2, 23);
const mi = numberInRange("a minute", 2, 59);

const oneOf = (what: string, allowed: readonly string[]): Linter => {
  return (data) => (allowed.includes(data) ? null : content(`must be ${what} (${allowed.join(", ")})`));
};

function pieceOfTotal(data: string): LintProblem | null {
  if (!DIGITS.test(data) || data.length === 0 || data.length % 2 !== 0)
    return content("must be a piece number and a total of equal length");
  const piece = data.slice(0, data.length / 2);
  const total = data.slice(data.length / 2);
  if (/^0+$/.test(piece) || /^0+$/.test(total)) return content("has a zero piece number or total");
  return piece > total ? content("has a piece number greater than the total") : null;
}

function positionInSequence(data: string): LintProblem | null {
  const match = /^([0-9]+)\/([0-9]+)$/.exec(data);
  if (!match) return content("must be a position and a total separated by a slash");
  const [, position = "", end = ""] = match;
  if (position.startsWith("0") || end.startsWith("0")) return content("must not have leading zeros");
  const exceeds = position.length > end.length || (position.length === end.length && position > end);
  return exceeds ? content("has a position beyond the end of the sequence") : null;
}

function percentEncodingProblem(data: string): LintProblem | null {
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== "%") continue;
    if (i + 2 >= data.length || !/^[0-9A-Fa-f]{2}$/.test(data.slice(i + 1, i + 3)))
      return content("contains an invalid percent-encoding sequence");
    i += 2;
  }
  return null;
}

const LINTERS: Readonly<Record<string, Linter>> = {
  csum,
  csumalpha,
  gcppos1,
  gcppos2,
  yymmd0: (data) => dateProblem(data, 2, true),
  yymmdd: (data) => dateProblem(data, 2, false),
  yyyymmd0: (data) => dateProblem(data, 4, true),
  yyyymmdd: (data) => dateProblem(data, 4, false),
  hh,
  mi,
  ss: numberInRange("a second", 2, 59),
  hhmi: (data) =>
    data.length === 4 && hh(data.slice(0, 2)) === null && mi(data.slice(2)) === null
      ? null
      : content("must be a time of day as HHMM"),
  nonzero: (data) => (DIGITS.test(data) && /[1-9]/.test(data) ? null : content("must be a number other than zero")),
  zero: (data) => (/^0+$/.test(data) ? null : content("must be zero")),
  nozeroprefix: (data) =>
    DIGITS.test(data) && !data.startsWith("0") ? null : content("must be digits without a leading zero"),
  hasnondigit: (data) => (DIGITS.test(data) ? content("must contain at least one non-digit character") : null),
  hyphen: (data) => (/^-+$/.test(data) ? null : content("must be a hyphen")),
  yesno: oneOf("a yes/no flag", ["0", "1"]),
  winding: oneOf("a winding direction", ["0", "1", "9"]),
  iso5218: oneOf("an ISO/IEC 5218 sex code", ["0", "1", "2", "9"]),
  latitude: numberInRange("a latitude", 10, 1800000000),
  longitude: numberInRange("a longitude", 10, 3600000000),
  pieceoftotal: pieceOfTotal,
  posinseqslash: positionInSequence,
  pcenc: percentEncodingProblem,
};

export function isImplementedLinter(name: string): boolean {
  return name in LINTERS;
}

export function lintProblem(name: string, data: string): LintProblem | null {
  const linter = LINTERS[name];
  return linter ? linter(data) : null;
}
