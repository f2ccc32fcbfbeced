import { describe, expect, it } from "@jest/globals";
import { CT_NAMESPACE, evidenceCidsOf, readExtension } from "./vocabulary.js";

const ns = { ct: CT_NAMESPACE };

describe("readExtension", () => {
  it("reads activity data, defaulting the basis to estimated", () => {
    const extension = readExtension(
      {
        type: "TransformationEvent",
        "ct:process": "recycling",
        "ct:activity": {
          "ct:electricity": [{ "ct:kWh": 410.5, "ct:gridRegion": "CN-EC", "ct:basis": "measured" }],
          "ct:transport": [{ "ct:mode": "road", "ct:distanceKm": 120, "ct:massKg": 1000 }],
        },
      },
      ns,
    );
    expect(extension.process).toBe("recycling");
    expect(extension.activity.electricity).toEqual([{ kWh: 410.5, gridRegion: "CN-EC", basis: "measured" }]);
    expect(extension.activity.transport).toEqual([{ mode: "road", distanceKm: 120, massKg: 1000, basis: "estimated" }]);
    expect(extension.activity.fuels).toEqual([]);
  });

  it("accepts any prefix bound to the namespace, and full IRIs", () => {
    const viaOtherPrefix = readExtension({ "carbon:process": "moulding" }, { carbon: CT_NAMESPACE });
    const viaIri = readExtension({ [`${CT_NAMESPACE}process`]: "moulding" }, {});
    expect(viaOtherPrefix.process).toBe("moulding");
    expect(viaIri.process).toBe("moulding");
  });

  it("ignores other namespaces' extensions", () => {
    expect(readExtension({ "example:myField": "x" }, { ...ns, example: "http://ns.example.com/epcis/" })).toEqual({
      activity: { electricity: [], fuels: [], transport: [], materials: [] },
      evidence: [],
      unitMasses: [],
      externalLots: [],
    });
  });

  it("lists every problem: negative amounts, unknown processes, unknown fields", () => {
    try {
      readExtension(
        {
          "ct:process": "alchemy",
          "ct:activity": { "ct:electricity": [{ "ct:kWh": -1, "ct:gridRegion": "CN" }], "ct:water": [] },
        },
        ns,
        4,
      );
      throw new Error("expected a failure");
    } catch (error) {
      expect(error).toMatchObject({ code: "CAPTURE.EXTENSION_INVALID", details: { eventIndex: 4 } });
      const paths = (error as { details: { errors: Array<{ path: string }> } }).details.errors.map((e) => e.path);
      expect(paths).toEqual(expect.arrayContaining(["/process", "/activity", "/activity/electricity/0/kWh"]));
    }
  });

  it("collects every evidence CID once", () => {
    const extension = readExtension(
      {
        "ct:evidence": [{ "ct:cid": "bafyA", "ct:kind": "delivery-note" }, { "ct:cid": "bafyB" }],
        "ct:activity": { "ct:electricity": [{ "ct:kWh": 1, "ct:gridRegion": "CN", "ct:evidenceCid": "bafyA" }] },
      },
      ns,
    );
    expect(evidenceCidsOf(extension)).toEqual(["bafyA", "bafyB"]);
  });
});
