import { describe, expect, it } from "@jest/globals";
import { roleFor, rolesAllowedFor } from "./role-policy.js";

const transformation = (process?: "recycling" | "moulding" | "baling") => ({
  eventType: "TransformationEvent",
  bizStep: "commissioning",
  process,
});

describe("role policy", () => {
  it("lets only recyclers record recycling, and only moulders moulding", () => {
    expect(rolesAllowedFor(transformation("recycling"))).toEqual(["recycler"]);
    expect(rolesAllowedFor(transformation("moulding"))).toEqual(["moulder"]);
    expect(rolesAllowedFor(transformation("baling"))).toEqual(["supplier"]);
  });

  it("keeps transformations away from warehouses", () => {
    expect(rolesAllowedFor(transformation())).toEqual(["supplier", "recycler", "moulder"]);
  });

  it("opens custody steps to every role, in bare and URI form", () => {
    const all = ["supplier", "recycler", "moulder", "warehouse"];
    expect(rolesAllowedFor({ eventType: "ObjectEvent", bizStep: "shipping", process: undefined })).toEqual(all);
    expect(
      rolesAllowedFor({
        eventType: "ObjectEvent",
        bizStep: "https://ref.gs1.org/cbv/BizStep-receiving",
        process: undefined,
      }),
    ).toEqual(all);
    expect(rolesAllowedFor({ eventType: "AggregationEvent", bizStep: undefined, process: undefined })).toEqual(all);
  });

  it("opens a company's own business step to every role, and closes unknown CBV names", () => {
    expect(
      rolesAllowedFor({ eventType: "ObjectEvent", bizStep: "https://example.com/steps/weighing", process: undefined }),
    ).toHaveLength(4);
    expect(rolesAllowedFor({ eventType: "ObjectEvent", bizStep: "shiping", process: undefined })).toEqual([]);
  });

  it("keeps making and destroying with producers, selling with warehouses", () => {
    expect(rolesAllowedFor({ eventType: "ObjectEvent", bizStep: "destroying", process: undefined })).toEqual([
      "supplier",
      "recycler",
      "moulder",
    ]);
    expect(rolesAllowedFor({ eventType: "ObjectEvent", bizStep: "retail_selling", process: undefined })).toEqual([
      "warehouse",
    ]);
  });

  it("picks the first held role that is allowed, as the event's stage", () => {
    expect(roleFor(["warehouse", "moulder"], transformation("moulding"), 0)).toBe("moulder");
    expect(
      roleFor(["supplier", "warehouse"], { eventType: "ObjectEvent", bizStep: "shipping", process: undefined }, 0),
    ).toBe("supplier");
  });

  it("names what was attempted and who may do it when refusing", () => {
    expect(() => roleFor(["moulder"], transformation("recycling"), 3)).toThrow(
      expect.objectContaining({
        code: "CAPTURE.ROLE_NOT_ALLOWED",
        kind: "forbidden",
        details: { eventIndex: 3, allowed: ["recycler"], held: ["moulder"] },
      }),
    );
  });
});
