import { DomainError } from "#common";

/**
 * The year of an ISO 8601 event time as written, i.e. in the event's own time zone: an event at
 * 2025-01-01T00:30+08:00 happened in 2025 where it happened, although it is still 2024 in UTC.
 */
export function yearOf(eventTime: string): number {
  const match = /^(\d{4})-/.exec(eventTime);
  if (match === null || Number.isNaN(Date.parse(eventTime))) {
    throw new DomainError("FOOTPRINT.EVENT_INVALID", "invalid", `Event time "${eventTime}" is not ISO 8601`, {
      eventTime,
    });
  }
  return Number(match[1]);
}

/** Milliseconds since the epoch, for ordering events written in different time zones. */
export function instantOf(eventTime: string): number {
  const instant = Date.parse(eventTime);
  if (Number.isNaN(instant)) {
    throw new DomainError("FOOTPRINT.EVENT_INVALID", "invalid", `Event time "${eventTime}" is not ISO 8601`, {
      eventTime,
    });
  }
  return instant;
}
