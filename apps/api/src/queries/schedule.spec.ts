import { describe, expect, it } from "@jest/globals";
import { isDomainError } from "#common";
import { nextRun, parseSchedule } from "./schedule.js";

const at = (iso: string): Date => new Date(iso);

describe("query schedules", () => {
  it("runs the binding's example every morning at 01:05:00 (fields below the smallest given are 0)", () => {
    const schedule = parseSchedule({ hour: "1", minute: "5" });
    expect(nextRun(schedule, at("2026-12-03T00:00:00Z"))).toEqual(at("2026-12-03T01:05:00Z"));
    expect(nextRun(schedule, at("2026-12-03T01:05:00Z"))).toEqual(at("2026-12-04T01:05:00Z"));
  });

  it("reads lists, ranges, days of the week (1 = Monday) and months", () => {
    expect(nextRun(parseSchedule({ minute: "0,30" }), at("2026-12-03T10:10:00Z"))).toEqual(at("2026-12-03T10:30:00Z"));
    // 2026-12-03 is a Thursday (4): the next Saturday–Sunday run is on the 5th.
    expect(nextRun(parseSchedule({ dayOfWeek: "[6-7]", hour: "8" }), at("2026-12-03T09:00:00Z"))).toEqual(
      at("2026-12-05T08:00:00Z"),
    );
    expect(nextRun(parseSchedule({ month: "2", dayOfMonth: "29", hour: "0" }), at("2026-12-03T00:00:00Z"))).toEqual(
      at("2028-02-29T00:00:00Z"),
    );
    expect(nextRun(parseSchedule({ second: "15" }), at("2026-12-03T10:10:20Z"))).toEqual(at("2026-12-03T10:11:15Z"));
  });

  it("refuses what is not a schedule, naming the field", () => {
    for (const bad of [
      {},
      { hour: "24" },
      { minute: "[30-10]" },
      { hour: "x" },
      { sometimes: "1" },
      "daily",
      { dayOfMonth: "31", month: "2" },
    ]) {
      let code: string | undefined;
      try {
        parseSchedule(bad);
      } catch (error) {
        code = isDomainError(error) ? error.code : String(error);
      }
      expect([bad, code]).toEqual([bad, "QUERY.SCHEDULE_INVALID"]);
    }
  });
});
