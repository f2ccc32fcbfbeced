import { describe, expect, it } from "@jest/globals";
import { criteriaFromEventData, criteriaFromQuery, isUnfiltered } from "./criteria.js";

describe("ListFootprints criteria", () => {
  it("reads repeated parameters as alternatives and dates as instants", () => {
    const criteria = criteriaFromQuery({
      productId: ["urn:gtin:06901234000030", "urn:gtin:06901234000047"],
      companyId: "urn:uuid:6d1e5f4a-3b2c-4d1e-8f7a-9b8c7d6e5f4a",
      validOn: "2026-01-01T00:00:00Z",
      status: "Active",
      limit: "10",
      offset: "20",
    });
    expect(criteria).toEqual({
      productId: ["urn:gtin:06901234000030", "urn:gtin:06901234000047"],
      companyId: ["urn:uuid:6d1e5f4a-3b2c-4d1e-8f7a-9b8c7d6e5f4a"],
      validOn: new Date("2026-01-01T00:00:00Z"),
      status: "Active",
    });
  });

  it("treats an empty value as no filter", () => {
    expect(isUnfiltered(criteriaFromQuery({ geography: "", classification: [""] }))).toBe(true);
  });

  it("refuses OData $filter and unknown parameters as not implemented, and bad dates as bad requests", () => {
    expect(() => criteriaFromQuery({ $filter: "created ge '2023-01-15T10:15:30Z'" })).toThrow(
      expect.objectContaining({ code: "PACT.NOT_IMPLEMENTED" }),
    );
    expect(() => criteriaFromQuery({ "x-atq-invoice-id": "1" })).toThrow(
      expect.objectContaining({ code: "PACT.NOT_IMPLEMENTED" }),
    );
    expect(() => criteriaFromQuery({ validAfter: "yesterday" })).toThrow(
      expect.objectContaining({ code: "PACT.BAD_CRITERION" }),
    );
    expect(() => criteriaFromQuery({ validOn: ["2026-01-01", "2026-02-01"] })).toThrow(
      expect.objectContaining({ code: "PACT.BAD_CRITERION" }),
    );
  });

  it("reads the same criteria from a PF Request Event, ignoring its comment", () => {
    expect(
      criteriaFromEventData({ productId: ["urn:gtin:1"], validAfter: "2025-01-01T00:00:00Z", comment: "please" }),
    ).toEqual({
      productId: ["urn:gtin:1"],
      validAfter: new Date("2025-01-01T00:00:00Z"),
    });
  });
});
