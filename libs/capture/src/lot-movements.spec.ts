import { describe, expect, it } from "@jest/globals";
import { toText } from "./decimal.js";
import { checkYield, lotMovementsOf } from "./lot-movements.js";
import { readExtension, CT_NAMESPACE } from "./vocabulary.js";

const ext = (event: Record<string, unknown>) => readExtension(event, { ct: CT_NAMESPACE });
const q = (epcClass: string, quantity: number, uom?: string) => ({ epcClass, quantity, ...(uom ? { uom } : {}) });
const BALES = "https://id.gs1.org/01/06901234000016/10/B1";
const PELLETS = "https://id.gs1.org/01/06901234000023/10/P1";

function summary(event: Record<string, unknown>) {
  return lotMovementsOf(event, ext(event)).map((m) => [
    m.lot.id,
    m.direction,
    toText(m.amount),
    m.unit,
    m.massKg && toText(m.massKg),
  ]);
}

describe("lotMovementsOf", () => {
  it("consumes inputs before producing outputs of a transformation", () => {
    const event = {
      type: "TransformationEvent",
      inputQuantityList: [q(BALES, 1, "TNE")],
      outputQuantityList: [q(PELLETS, 820, "KGM")],
    };
    expect(summary(event)).toEqual([
      [BALES, "consumed", "1000", "KGM", "1000"],
      [PELLETS, "produced", "820", "KGM", "820"],
    ]);
  });

  it("treats an LGTIN and its Digital Link as one lot", () => {
    const event = {
      type: "TransformationEvent",
      inputQuantityList: [q("urn:epc:class:lgtin:6901234.000001.B1", 5, "KGM")],
      outputQuantityList: [],
    };
    expect(summary(event)[0]?.[0]).toBe(BALES);
  });

  it("produces when commissioning, consumes when destroying, observes otherwise", () => {
    const base = { type: "ObjectEvent", quantityList: [q(BALES, 10, "KGM")] };
    expect(summary({ ...base, action: "ADD", bizStep: "commissioning" })[0]?.[1]).toBe("produced");
    expect(summary({ ...base, action: "DELETE", bizStep: "destroying" })[0]?.[1]).toBe("consumed");
    expect(summary({ ...base, action: "OBSERVE", bizStep: "shipping" })[0]?.[1]).toBe("observed");
    expect(summary({ ...base, action: "ADD", bizStep: "receiving" })[0]?.[1]).toBe("observed");
    expect(summary({ type: "AggregationEvent", childQuantityList: [q(BALES, 2, "KGM")] })[0]?.[1]).toBe("observed");
  });

  it("does not track classes without a lot", () => {
    const event = {
      type: "TransformationEvent",
      inputQuantityList: [q("urn:epc:idpat:sgtin:4012345.066666.*", 220), q("https://id.gs1.org/01/06901234000016", 3)],
    };
    expect(summary(event)).toEqual([]);
  });

  it("weighs counted units by a unit mass declared for the product", () => {
    const event = {
      type: "TransformationEvent",
      outputQuantityList: [q("https://id.gs1.org/01/06901234000030/10/X1", 100)],
      "ct:unitMasses": [{ "ct:epcClass": "urn:epc:idpat:sgtin:6901234.000003.*", "ct:kgPerUnit": 0.58 }],
    };
    // An idpat with only the serial open stands for the product (GTIN), like its Digital Link.
    expect(summary(event)).toEqual([["https://id.gs1.org/01/06901234000030/10/X1", "produced", "100", "EA", "58"]]);
    const byGtin = {
      ...event,
      "ct:unitMasses": [{ "ct:epcClass": "https://id.gs1.org/01/06901234000030", "ct:kgPerUnit": 0.58 }],
    };
    expect(summary(byGtin)[0]?.[4]).toBe("58");
    const otherProduct = {
      ...event,
      "ct:unitMasses": [{ "ct:epcClass": "https://id.gs1.org/01/06901234000023", "ct:kgPerUnit": 0.58 }],
    };
    expect(summary(otherProduct)[0]?.[4]).toBeUndefined();
  });
});

describe("checkYield", () => {
  const transformation = (inKg: number, outKg: number, extra: Record<string, unknown> = {}) => ({
    type: "TransformationEvent",
    inputQuantityList: [q(BALES, inKg, "KGM")],
    outputQuantityList: [q(PELLETS, outKg, "KGM")],
    ...extra,
  });

  it("accepts a yield up to 100 %", () => {
    expect(() => checkYield(transformation(100, 100), ext(transformation(100, 100)), 0)).not.toThrow();
  });

  it("refuses more output than input: 100.1 kg out of 100 kg", () => {
    const event = transformation(100, 100.1);
    expect(() => checkYield(event, ext(event), 2)).toThrow(
      expect.objectContaining({
        code: "MASS_BALANCE.YIELD_EXCEEDED",
        details: { eventIndex: 2, inputKg: "100", outputKg: "100.1" },
      }),
    );
  });

  it("counts declared materials as inputs: 100 kg bales + 5 kg virgin PET may give 105 kg", () => {
    const event = transformation(100, 105, {
      "ct:activity": { "ct:materials": [{ "ct:material": "PET", "ct:origin": "virgin", "ct:massKg": 5 }] },
    });
    expect(() => checkYield(event, ext(event), 0)).not.toThrow();
  });

  it("does not count a material twice when it names one of the event's inputs (any spelling of the lot)", () => {
    const naming = (epcClass: string) =>
      transformation(100, 190, {
        "ct:activity": {
          "ct:materials": [
            { "ct:material": "PET", "ct:origin": "recycled", "ct:massKg": 100, "ct:epcClass": epcClass },
          ],
        },
      });
    for (const spelling of [BALES, "urn:epc:class:lgtin:6901234.000001.B1"]) {
      const event = naming(spelling);
      expect(() => checkYield(event, ext(event), 0)).toThrow(
        expect.objectContaining({
          code: "MASS_BALANCE.YIELD_EXCEEDED",
          details: expect.objectContaining({ inputKg: "100" }),
        }),
      );
    }
    const other = naming("https://id.gs1.org/01/06901234000016/10/OTHER");
    expect(() => checkYield(other, ext(other), 0)).not.toThrow();
  });

  it("cannot weigh counted quantities of unknown unit mass, and does not guess", () => {
    const event = {
      type: "TransformationEvent",
      inputQuantityList: [q(BALES, 1, "KGM")],
      outputQuantityList: [q(PELLETS, 1000)],
    };
    expect(() => checkYield(event, ext(event), 0)).not.toThrow();
  });
});
