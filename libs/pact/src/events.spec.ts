import { describe, expect, it } from "@jest/globals";
import { PACT_EVENT_TYPES, parsePactEvent, requestRejectedEvent } from "./events.js";

const base = { specversion: "1.0", id: "run-1/12", source: "https://recipient.example", time: "2025-05-19T10:30:00Z" };

describe("PACT v3 events", () => {
  it("accepts the four event types", () => {
    expect(
      parsePactEvent({ ...base, type: PACT_EVENT_TYPES.requestCreated, data: { productId: ["urn:gtin:1"] } }).id,
    ).toBe("run-1/12");
    expect(() =>
      parsePactEvent({
        ...base,
        type: PACT_EVENT_TYPES.published,
        data: { pfIds: ["3a6c14a7-4deb-498a-b5ea-16ce2535b576"] },
      }),
    ).not.toThrow();
    expect(() =>
      parsePactEvent({
        ...base,
        type: PACT_EVENT_TYPES.requestRejected,
        data: { requestEventId: "x", error: { code: "NotFound", message: "none" } },
      }),
    ).not.toThrow();
    expect(() =>
      parsePactEvent({
        ...base,
        type: PACT_EVENT_TYPES.requestFulfilled,
        data: { requestEventId: "x", pfs: [{ id: "a" }] },
      }),
    ).not.toThrow();
  });

  it("refuses a Published event whose pfIds are not footprint ids (UUIDs)", () => {
    expect(() =>
      parsePactEvent({ ...base, type: PACT_EVENT_TYPES.published, data: { pfIds: ["urn:gtin:4712345060507"] } }),
    ).toThrow(expect.objectContaining({ code: "PACT.BAD_EVENT" }));
  });

  it("refuses other types, missing members and bad criteria", () => {
    for (const bad of [
      { ...base, type: "org.wbcsd.pathfinder.ProductFootprint.Published.v1", data: { pfIds: [] } },
      { ...base, type: PACT_EVENT_TYPES.requestCreated },
      { ...base, specversion: "0.3", type: PACT_EVENT_TYPES.requestCreated, data: {} },
      { ...base, time: "yesterday", type: PACT_EVENT_TYPES.requestCreated, data: {} },
      { ...base, type: PACT_EVENT_TYPES.requestCreated, data: { productId: "urn:gtin:1" } },
      { ...base, type: PACT_EVENT_TYPES.requestFulfilled, data: { requestEventId: "x", pfs: [] } },
      "not an event",
    ]) {
      expect(() => parsePactEvent(bad)).toThrow(expect.objectContaining({ code: "PACT.BAD_EVENT" }));
    }
  });

  it("answers a request it cannot fulfil with a Rejected event naming the request", () => {
    const event = requestRejectedEvent({
      id: "answer-1",
      source: "https://ct.example/3/events",
      time: new Date("2025-05-19T11:00:00Z"),
      requestEventId: "run-1/14.A",
      error: { code: "NotFound", message: "No footprint matches" },
    });
    expect(event).toEqual({
      type: "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3",
      specversion: "1.0",
      id: "answer-1",
      source: "https://ct.example/3/events",
      time: "2025-05-19T11:00:00.000Z",
      data: { requestEventId: "run-1/14.A", error: { code: "NotFound", message: "No footprint matches" } },
    });
  });
});
