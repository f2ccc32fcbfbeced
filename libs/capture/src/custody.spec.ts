import { describe, expect, it } from "@jest/globals";
import { DomainError } from "#common";
import {
  custodyActionsOf,
  emptyCustody,
  glnOf,
  locationGlnsOf,
  receiverOf,
  stepCustody,
  type CustodyAction,
  type LotCustody,
} from "./custody.js";
import { decimal, toText } from "./decimal.js";
import { lotOf } from "./identifiers.js";

const LOT = "https://id.gs1.org/01/06901234000023/10/P1";
const lot = lotOf(LOT) ?? { id: LOT, gtin: "06901234000023", lotNumber: "P1" };

const action = (step: CustodyAction["step"], amount?: number): CustodyAction => ({
  lot,
  step,
  amount: amount === undefined ? undefined : decimal(amount),
  unit: amount === undefined ? undefined : "KGM",
});

/** Runs actions in order (actor, action, receiver) from an empty lot and returns the final state. */
function run(steps: Array<[string, CustodyAction, string?]>): LotCustody {
  let state: LotCustody = { ...emptyCustody(LOT), unit: "KGM" };
  steps.forEach(([actor, next, receiver], index) => {
    state = stepCustody(state, next, { actor, receiver, eventIndex: index }).state;
  });
  return state;
}

function holdings(state: LotCustody): Record<string, [string, string]> {
  return Object.fromEntries(
    [...state.holdings].map(([party, h]) => [party, [toText(h.held), toText(h.inTransit)] as [string, string]]),
  );
}

function refusal(steps: Array<[string, CustodyAction, string?]>): string | undefined {
  try {
    run(steps);
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe("custody", () => {
  it("gives a lot to its producer, moves it through a shipment addressed to a receiver, and lets it be used", () => {
    const state = run([
      ["A", action("produce", 1000)],
      ["A", action("ship", 600), "B"],
      ["B", action("receive", 600)],
      ["B", action("consume", 400)],
      ["A", action("handle", 400)],
    ]);
    expect(state.originator).toBe("A");
    expect(holdings(state)).toEqual({ A: ["400", "0"], B: ["200", "0"] });
  });

  it("declares a lot first named without provenance as its first author's", () => {
    const state = run([["B", action("consume", 300)]]);
    expect(state.originator).toBe("B");
    expect(holdings(state)).toEqual({});
    expect(holdings(run([["B", action("receive", 300)]]))).toEqual({ B: ["300", "0"] });
  });

  it("ships everything held when the shipment names no quantity, and receives everything in transit likewise", () => {
    const state = run([
      ["A", action("produce", 1000)],
      ["A", action("ship"), "B"],
      ["B", action("receive")],
    ]);
    expect(holdings(state)).toEqual({ A: ["0", "0"], B: ["1000", "0"] });
  });

  it("lets goods leave for a destination outside the service", () => {
    expect(
      holdings(
        run([
          ["A", action("produce", 10)],
          ["A", action("ship", 10)],
        ]),
      ),
    ).toEqual({ A: ["0", "0"] });
  });

  it("refuses anyone but the originator more production of a lot", () => {
    expect(
      refusal([
        ["A", action("produce", 10)],
        ["B", action("produce", 10)],
      ]),
    ).toBe("LOT.NOT_ORIGINATOR");
    expect(
      refusal([
        ["A", action("produce", 10)],
        ["A", action("produce", 5)],
      ]),
    ).toBeUndefined();
  });

  it("refuses events about a lot from a participant that holds none of it", () => {
    expect(
      refusal([
        ["A", action("produce", 10)],
        ["X", action("handle", 10)],
      ]),
    ).toBe("LOT.NOT_HOLDER");
    expect(
      refusal([
        ["A", action("produce", 10)],
        ["X", action("handle")],
      ]),
    ).toBe("LOT.NOT_HOLDER");
    expect(
      refusal([
        ["A", action("produce", 10)],
        ["X", action("consume", 1)],
      ]),
    ).toBe("LOT.NOT_HOLDER");
    expect(
      refusal([
        ["A", action("produce", 10)],
        ["X", action("ship", 1), "X"],
      ]),
    ).toBe("LOT.NOT_HOLDER");
  });

  it("refuses a holder that shipped the whole lot on", () => {
    expect(
      refusal([
        ["A", action("produce", 10)],
        ["A", action("ship", 10), "B"],
        ["A", action("handle", 10)],
      ]),
    ).toBe("LOT.NOT_HOLDER");
  });

  it("refuses more than is held, and using what was shipped but not yet received", () => {
    expect(
      refusal([
        ["A", action("produce", 10)],
        ["A", action("consume", 11)],
      ]),
    ).toBe("LOT.EXCEEDS_HOLDING");
    expect(
      refusal([
        ["A", action("produce", 10)],
        ["A", action("handle", 50000)],
      ]),
    ).toBe("LOT.EXCEEDS_HOLDING");
    expect(
      refusal([
        ["A", action("produce", 10)],
        ["A", action("ship", 10), "B"],
        ["B", action("consume", 10)],
      ]),
    ).toBe("LOT.NOT_RECEIVED");
  });

  it("refuses a receipt without a shipment to the receiver, or above what was shipped", () => {
    expect(
      refusal([
        ["A", action("produce", 10)],
        ["B", action("receive", 10)],
      ]),
    ).toBe("LOT.NO_SHIPMENT");
    expect(
      refusal([
        ["A", action("produce", 10)],
        ["A", action("ship", 5), "C"],
        ["B", action("receive", 5)],
      ]),
    ).toBe("LOT.NO_SHIPMENT");
    expect(
      refusal([
        ["A", action("produce", 10)],
        ["A", action("ship", 5), "B"],
        ["B", action("receive", 6)],
      ]),
    ).toBe("LOT.NO_SHIPMENT");
  });

  it("refuses a lot stated in another unit than it is tracked in", () => {
    const state = run([["A", action("produce", 10)]]);
    expect(() =>
      stepCustody(
        state,
        { lot, step: "handle", amount: decimal(1), unit: "EA" },
        { actor: "A", receiver: undefined, eventIndex: 0 },
      ),
    ).toThrow(expect.objectContaining({ code: "MASS_BALANCE.UNIT_MISMATCH" }));
  });

  it("records each change as a signed delta, for a later reversal", () => {
    const state = run([["A", action("produce", 10)]]);
    const { deltas } = stepCustody(state, action("ship", 4), { actor: "A", receiver: "B", eventIndex: 0 });
    expect(deltas.map((d) => [d.party, toText(d.held), toText(d.inTransit)])).toEqual([
      ["A", "-4", "0"],
      ["B", "0", "4"],
    ]);
  });
});

describe("what an event does to lots", () => {
  const base = { eventTime: "2026-01-01T00:00:00Z", eventTimeZoneOffset: "+00:00" };

  it("reads transformations, making and ending steps, shipping, receiving and everything else", () => {
    const steps = (event: Record<string, unknown>) =>
      custodyActionsOf(event).map((a) => [a.step, a.amount && toText(a.amount)]);
    expect(
      steps({
        ...base,
        type: "TransformationEvent",
        inputQuantityList: [{ epcClass: LOT, quantity: 2, uom: "TNE" }],
        outputQuantityList: [{ epcClass: "https://id.gs1.org/01/06901234000030/10/X", quantity: 5 }],
      }),
    ).toEqual([
      ["consume", "2000"],
      ["produce", "5"],
    ]);
    const object = (bizStep: string, action = "OBSERVE") => ({
      ...base,
      type: "ObjectEvent",
      action,
      bizStep,
      quantityList: [{ epcClass: LOT, quantity: 1, uom: "KGM" }, { epcClass: "https://id.gs1.org/01/06901234000030" }],
    });
    expect(steps(object("commissioning", "ADD"))).toEqual([["produce", "1"]]);
    expect(steps(object("destroying", "DELETE"))).toEqual([["consume", "1"]]);
    expect(steps(object("shipping"))).toEqual([["ship", "1"]]);
    expect(steps(object("https://ref.gs1.org/cbv/BizStep-receiving"))).toEqual([["receive", "1"]]);
    expect(steps(object("accepting"))).toEqual([["receive", "1"]]);
    expect(steps(object("storing"))).toEqual([["handle", "1"]]);
    expect(
      steps({
        ...base,
        type: "AggregationEvent",
        action: "ADD",
        bizStep: "packing",
        childQuantityList: [{ epcClass: LOT }],
      }),
    ).toEqual([["handle", undefined]]);
    expect(
      steps({ ...base, type: "TransformationEvent", inputQuantityList: [{ epcClass: LOT }], outputQuantityList: [] }),
    ).toEqual([["handle", undefined]]);
  });

  it("finds the receiver of a shipment: possessing party, then location, then owning party, if registered", () => {
    const parties = new Map([
      ["6901234000023", "recycler"],
      ["6901234000030", "moulder"],
      ["6901234000047", "moulder"],
    ]);
    const shipment = (list: Array<[string, string]>) => ({
      destinationList: list.map(([type, destination]) => ({ type, destination })),
    });
    const find = (event: Record<string, unknown>) => receiverOf(event, (gln) => parties.get(gln));
    expect(find(shipment([["owning_party", "urn:epc:id:pgln:6901234.00002"]]))).toBe("recycler");
    expect(
      find(
        shipment([
          ["owning_party", "urn:epc:id:pgln:6901234.00002"],
          ["https://ref.gs1.org/cbv/SDT-possessing_party", "https://id.gs1.org/417/6901234000030"],
        ]),
      ),
    ).toBe("moulder");
    expect(
      find(
        shipment([
          ["owning_party", "urn:epc:id:pgln:6901234.00002"],
          ["location", "urn:epc:id:sgln:6901234.00004.7"],
        ]),
      ),
    ).toBe("moulder");
    expect(find(shipment([["owning_party", "urn:epc:id:pgln:6901234.00009"]]))).toBeUndefined();
    expect(find({})).toBeUndefined();
  });

  it("reads GLNs from SGLN and PGLN URNs and Digital Links, and the places an event names", () => {
    expect(glnOf("urn:epc:id:sgln:6901234.00002.0")).toBe("6901234000023");
    expect(glnOf("urn:epc:id:sgln:6901234.00002.dock-3")).toBe("6901234000023");
    expect(glnOf("https://id.gs1.org/414/6901234000023/254/3")).toBe("6901234000023");
    expect(glnOf("urn:epc:id:pgln:6901234.00002")).toBe("6901234000023");
    expect(glnOf("urn:epc:class:lgtin:6901234.000002.P1")).toBeUndefined();
    expect(
      locationGlnsOf({
        bizLocation: { id: "urn:epc:id:sgln:6901234.00002.0" },
        readPoint: { id: "urn:epc:id:sgln:6901234.00004.1" },
      }),
    ).toEqual(["6901234000023", "6901234000047"]);
  });
});
