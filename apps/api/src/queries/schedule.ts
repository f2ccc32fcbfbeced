import { DomainError } from "#common";

/**
 * An EPCIS query schedule (EPCIS 1.2 §8.2.5.3, REST binding `schedule`): each of second, minute, hour, dayOfMonth,
 * month and dayOfWeek (1 = Monday … 7 = Sunday) is a comma-separated list of numbers and `[a-b]` ranges. A field
 * left out matches every value, except the time fields below the smallest one given, which are 0: `{ hour: "1",
 * minute: "5" }` runs at 01:05:00 every day. Times are UTC.
 */
export type QuerySchedule = Readonly<Partial<Record<ScheduleField, string>>>;

type ScheduleField = "second" | "minute" | "hour" | "dayOfMonth" | "month" | "dayOfWeek";

const RANGES: Readonly<Record<ScheduleField, readonly [number, number]>> = {
  second: [0, 59],
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  dayOfWeek: [1, 7],
};

/** Finer first: the time fields that default to 0 below the smallest one given. */
const TIME_FIELDS: readonly ScheduleField[] = ["second", "minute", "hour"];

interface Matcher {
  readonly second: ReadonlySet<number> | undefined;
  readonly minute: ReadonlySet<number> | undefined;
  readonly hour: ReadonlySet<number> | undefined;
  readonly dayOfMonth: ReadonlySet<number> | undefined;
  readonly month: ReadonlySet<number> | undefined;
  readonly dayOfWeek: ReadonlySet<number> | undefined;
}

/** The schedule's fields read and checked; throws QUERY.SCHEDULE_INVALID naming the field. */
export function parseSchedule(input: unknown): QuerySchedule {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw invalid("schedule must be an object of second, minute, hour, dayOfMonth, month and dayOfWeek");
  }
  const schedule: Partial<Record<ScheduleField, string>> = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (!Object.hasOwn(RANGES, key)) throw invalid(`schedule.${key} is not a schedule field`);
    const text: unknown = typeof value === "number" ? String(value) : value;
    if (typeof text !== "string") throw invalid(`schedule.${key} must be a string such as "5", "0,30" or "[1-5]"`);
    valuesOf(key as ScheduleField, text);
    schedule[key as ScheduleField] = text;
  }
  if (Object.keys(schedule).length === 0) throw invalid("schedule names no field: give at least one (e.g. hour)");
  if (nextRun(schedule, new Date()) === undefined) throw invalid("schedule never matches a date");
  return schedule;
}

/** The first time strictly after `after` that the schedule matches (within the next 4 years), or undefined. */
export function nextRun(schedule: QuerySchedule, after: Date): Date | undefined {
  const match = matcherOf(schedule);
  const start = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const minuteStart = new Date(start);
  minuteStart.setUTCSeconds(0);
  const end = minuteStart.getTime() + 4 * 366 * 86_400_000;
  for (let t = minuteStart.getTime(); t < end; t += 60_000) {
    const at = new Date(t);
    if (!matchesDay(match, at)) {
      // Nothing on this day: on to the next day's first minute (at most 1,464 days are looked at).
      t = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1) - 60_000;
      continue;
    }
    if (!matchesTime(match, at)) continue;
    const from = t < start.getTime() ? start.getUTCSeconds() : 0;
    for (let second = from; second < 60; second += 1) {
      if (match.second === undefined || match.second.has(second)) return new Date(t + second * 1000);
    }
  }
  return undefined;
}

function matchesDay(match: Matcher, at: Date): boolean {
  const isoDay = ((at.getUTCDay() + 6) % 7) + 1;
  return all([
    [match.month, at.getUTCMonth() + 1],
    [match.dayOfMonth, at.getUTCDate()],
    [match.dayOfWeek, isoDay],
  ]);
}

function matchesTime(match: Matcher, at: Date): boolean {
  return all([
    [match.hour, at.getUTCHours()],
    [match.minute, at.getUTCMinutes()],
  ]);
}

function all(checks: ReadonlyArray<readonly [ReadonlySet<number> | undefined, number]>): boolean {
  return checks.every(([set, value]) => set === undefined || set.has(value));
}

function matcherOf(schedule: QuerySchedule): Matcher {
  const smallestGiven = TIME_FIELDS.findIndex((field) => schedule[field] !== undefined);
  const field = (name: ScheduleField): ReadonlySet<number> | undefined => {
    const text = schedule[name];
    if (text !== undefined) return new Set(valuesOf(name, text));
    const index = TIME_FIELDS.indexOf(name);
    return index >= 0 && smallestGiven > index ? new Set([0]) : undefined;
  };
  return {
    second: field("second"),
    minute: field("minute"),
    hour: field("hour"),
    dayOfMonth: field("dayOfMonth"),
    month: field("month"),
    dayOfWeek: field("dayOfWeek"),
  };
}

function valuesOf(field: ScheduleField, text: string): number[] {
  const [low, high] = RANGES[field];
  return text.split(",").flatMap((part) => {
    const token = part.trim();
    const range = /^\[(\d+)-(\d+)\]$/.exec(token);
    const [from, to] = range === null ? [token, token] : [range[1] ?? "", range[2] ?? ""];
    if (!/^\d+$/.test(from) || !/^\d+$/.test(to)) {
      throw invalid(`schedule.${field} "${text}": "${token}" is not a number or a [a-b] range`);
    }
    const a = Number(from);
    const b = Number(to);
    if (a < low || b > high || a > b) throw invalid(`schedule.${field} "${text}": values run from ${low} to ${high}`);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}

function invalid(message: string): DomainError {
  return new DomainError("QUERY.SCHEDULE_INVALID", "invalid", message);
}
