/**
 * Timestamps in the pre-hash string: UTC, "Z", exactly three fraction digits. Fractions are read to the
 * microsecond (further digits dropped) and rounded to the millisecond half to even, as the reference does.
 * A time without offset counts as UTC (the reference would use its machine's zone). Text that is not a valid
 * ISO 8601 date-time stays as it is.
 */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:[Zz]|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const MINUTE = 60_000;

interface DateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  readonly offsetMinutes: number;
}

export function normaliseTimestamp(text: string): string {
  const dateTime = dateTimeOf(text);
  const local = dateTime === undefined ? undefined : wallClockOf(dateTime);
  if (dateTime === undefined || local === undefined) return text;
  return formatUtc(new Date(local.getTime() - dateTime.offsetMinutes * MINUTE));
}

function dateTimeOf(text: string): DateTime | undefined {
  const match = DATE_TIME.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second = "0", fraction = "", sign, offsetHours = "0", offsetMinutes = "0"] =
    match;
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
  const offset = (sign === "-" ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  return {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    millisecond: millisecondsOf(fraction),
    offsetMinutes: offset,
  };
}

/** The written date and time as if it were UTC; undefined for impossible dates (31 April, 25:00, …). */
function wallClockOf({ year, month, day, hour, minute, second, millisecond }: DateTime): Date | undefined {
  if (year < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  date.setUTCHours(hour, minute, second, millisecond);
  return date;
}

/** Round half to even: 0.0015 s and 0.0025 s both give 2 ms (Python's `round`). */
function millisecondsOf(fraction: string): number {
  const microseconds = Number(fraction.slice(0, 6).padEnd(6, "0"));
  const milliseconds = Math.floor(microseconds / 1000);
  const remainder = microseconds % 1000;
  return remainder > 500 || (remainder === 500 && milliseconds % 2 === 1) ? milliseconds + 1 : milliseconds;
}

function formatUtc(date: Date): string {
  const pad = (value: number, length = 2): string => String(value).padStart(length, "0");
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}` +
    `.${pad(date.getUTCMilliseconds(), 3)}Z`
  );
}
