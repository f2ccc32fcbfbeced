import { createHash } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { explainHashDifference } from "./hash-difference.js";

function hashOf(preHash: string): string {
  return `ni:///sha-256;${createHash("sha256").update(preHash, "utf8").digest("hex")}?ver=CBV2.0`;
}

const CT = { ct: "https://carbontrace.org/ns/epcis/" };

const event = {
  type: "ObjectEvent",
  eventTime: "2026-10-01T08:00:00.000+08:00",
  eventTimeZoneOffset: "+08:00",
  action: "OBSERVE",
  "ct:renewable": true,
  "cbvmda:lotNumber": "L1",
};

/** The pre-hash strings written by hand from the rules: CBV 2.0's, and the Python reference's two departures. */
const OURS =
  "eventType=ObjectEventeventTime=2026-10-01T00:00:00.000ZeventTimeZoneOffset=+08:00action=OBSERVE" +
  "{https://carbontrace.org/ns/epcis/}renewable=true{urn:epcglobal:cbv:mda:}lotNumber=L1";
const PYTHON_BOOLEANS = OURS.replace("renewable=true", "renewable=True");
const DECLARED_ONLY =
  "eventType=ObjectEventeventTime=2026-10-01T00:00:00.000ZeventTimeZoneOffset=+08:00action=OBSERVE" +
  "cbvmda:lotNumber=L1{https://carbontrace.org/ns/epcis/}renewable=true";

describe("explainHashDifference", () => {
  it("gives our pre-hash string", () => {
    expect(explainHashDifference(event, CT, hashOf(OURS)).preHash).toBe(OURS);
  });

  it("names booleans written as Python's True, and where they are", () => {
    expect(explainHashDifference(event, CT, hashOf(PYTHON_BOOLEANS))).toEqual({
      cause: "python-booleans",
      fields: ["ct:renewable"],
      preHash: OURS,
    });
  });

  it("names prefixes of the EPCIS context left unexpanded because the document does not repeat them", () => {
    expect(explainHashDifference(event, CT, hashOf(DECLARED_ONLY))).toMatchObject({
      cause: "undeclared-prefixes",
      fields: ["cbvmda:lotNumber"],
    });
    const both = DECLARED_ONLY.replace("renewable=true", "renewable=True");
    expect(explainHashDifference(event, CT, hashOf(both))).toMatchObject({
      cause: "python-booleans+undeclared-prefixes",
      fields: ["ct:renewable", "cbvmda:lotNumber"],
    });
  });

  it("says unknown (and gives no fields) when neither choice reproduces the claimed hash", () => {
    expect(explainHashDifference(event, CT, hashOf(`${OURS}x`))).toEqual({
      cause: "unknown",
      fields: [],
      preHash: OURS,
    });
  });
});
