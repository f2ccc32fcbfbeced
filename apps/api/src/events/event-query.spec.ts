import { describe, expect, it } from "@jest/globals";
import { pageToken, parseEventQuery } from "./event-query.js";

describe("parseEventQuery", () => {
  it("reads lists, times and paging, normalising CBV terms and identifiers", () => {
    const query = parseEventQuery({
      eventType: "ObjectEvent,TransformationEvent",
      EQ_bizStep: "shipping,https://example.com/step",
      GE_eventTime: "2026-01-01T00:00:00Z",
      MATCH_anyEPCClass: "urn:epc:class:lgtin:4012345.012345.998877",
      EQ_bizLocation: "urn:epc:id:sgln:0614141.07346.1234",
      perPage: "5",
    });
    expect(query).toEqual({
      limit: 5,
      eventTypes: ["ObjectEvent", "TransformationEvent"],
      bizSteps: ["https://ref.gs1.org/cbv/BizStep-shipping", "https://example.com/step"],
      geEventTime: new Date("2026-01-01T00:00:00Z"),
      matchAnyEpcClass: ["https://id.gs1.org/01/04012345123456/10/998877"],
      bizLocations: ["https://id.gs1.org/414/0614141073467/254/1234"],
    });
  });

  it("defaults to 30 per page and refuses more than 1000", () => {
    expect(parseEventQuery({}).limit).toBe(30);
    expect(() => parseEventQuery({ perPage: "1001" })).toThrow(
      expect.objectContaining({ code: "QUERY.PARAMETER_INVALID" }),
    );
  });

  it("refuses unknown parameters, bad times and repeated parameters", () => {
    for (const params of [
      { EQ_bizstep: "shipping" },
      { GE_eventTime: "yesterday" },
      { eventType: ["A", "B"] },
      { eventType: "" },
    ]) {
      expect(() => parseEventQuery(params)).toThrow(expect.objectContaining({ code: "QUERY.PARAMETER_INVALID" }));
    }
  });

  it("takes a page token only with the query it came from", () => {
    const params = { eventType: "ObjectEvent" };
    const token = pageToken(
      { recordTime: new Date("2026-11-01T00:00:00.123Z"), eventHash: "ni:///sha-256;ab?ver=CBV2.0" },
      params,
    );
    expect(parseEventQuery({ ...params, nextPageToken: token }).after).toEqual({
      recordTime: new Date("2026-11-01T00:00:00.123Z"),
      eventHash: "ni:///sha-256;ab?ver=CBV2.0",
    });
    expect(() => parseEventQuery({ eventType: "AggregationEvent", nextPageToken: token })).toThrow(
      expect.objectContaining({ code: "QUERY.PARAMETER_INVALID" }),
    );
    expect(() => parseEventQuery({ nextPageToken: "garbage" })).toThrow(
      expect.objectContaining({ code: "QUERY.PARAMETER_INVALID" }),
    );
  });
});
