import { describe, expect, it } from "@jest/globals";
import { decimal, toText } from "./decimal.js";
import { mergedMovements, stepLotBalance, unknownLot, type LotBalance } from "./lot-balance.js";
import type { LotMovement } from "./lot-movements.js";

const LOT = { id: "https://id.gs1.org/01/09521234000013/10/L1", gtin: "09521234000013", lotNumber: "L1" };

function movement(direction: LotMovement["direction"], amount: string, unit = "KGM"): LotMovement {
  return { lot: LOT, direction, amount: decimal(amount), unit, massKg: unit === "KGM" ? decimal(amount) : undefined };
}

function texts(balance: LotBalance): Record<string, unknown> {
  return {
    unit: balance.unit,
    produced: toText(balance.produced),
    consumed: toText(balance.consumed),
    external: balance.external,
  };
}

describe("stepLotBalance", () => {
  it("starts a new lot with what is produced, then adds to it in the same unit", () => {
    const first = stepLotBalance(unknownLot(LOT), movement("produced", "10"), 0);
    expect(texts(first.balance)).toEqual({ unit: "KGM", produced: "10", consumed: "0", external: false });
    expect(first.recorded.map((r) => r.direction)).toEqual(["produced"]);
    const second = stepLotBalance(first.balance, movement("produced", "2.5"), 1);
    expect(toText(second.balance.produced)).toBe("12.5");
  });

  it("consumes what remains and refuses more, naming the event and the quantities", () => {
    const made = stepLotBalance(unknownLot(LOT), movement("produced", "10"), 0).balance;
    const used = stepLotBalance(made, movement("consumed", "8"), 1).balance;
    expect(toText(used.consumed)).toBe("8");
    expect(() => stepLotBalance(used, movement("consumed", "2.5"), 2)).toThrow(
      expect.objectContaining({
        code: "MASS_BALANCE.INSUFFICIENT_QUANTITY",
        message: expect.stringContaining("Event 2 consumes 2.5 KGM") as unknown,
        details: expect.objectContaining({ produced: "10", consumed: "8" }) as unknown,
      }),
    );
    expect(toText(stepLotBalance(used, movement("consumed", "2"), 2).balance.consumed)).toBe("10");
  });

  it("declares a lot first seen as an input external, with the quantity stated, and logs that", () => {
    const { balance, recorded } = stepLotBalance(unknownLot(LOT), movement("consumed", "4"), 0);
    expect(texts(balance)).toEqual({ unit: "KGM", produced: "4", consumed: "4", external: true });
    expect(recorded.map((r) => r.direction)).toEqual(["declared", "consumed"]);
  });

  it("declares again a lot left blank (nothing made, declared or used, no originator)", () => {
    const blank: LotBalance = { ...unknownLot(LOT), unit: "EA" };
    const { balance, recorded } = stepLotBalance(blank, movement("observed", "3"), 0);
    expect(texts(balance)).toEqual({ unit: "KGM", produced: "3", consumed: "0", external: true });
    expect(recorded.map((r) => r.direction)).toEqual(["declared", "observed"]);
    const owned = { ...blank, originator: "someone" };
    expect(stepLotBalance(owned, movement("observed", "3"), 0).recorded.map((r) => r.direction)).toEqual(["observed"]);
  });

  it("refuses a unit other than the lot's for what is made or used", () => {
    const made = stepLotBalance(unknownLot(LOT), movement("produced", "10"), 0).balance;
    for (const direction of ["produced", "consumed"] as const) {
      expect(() => stepLotBalance(made, movement(direction, "1", "EA"), 3)).toThrow(
        expect.objectContaining({
          code: "MASS_BALANCE.UNIT_MISMATCH",
          details: expect.objectContaining({ eventIndex: 3 }) as unknown,
        }),
      );
    }
  });
});

describe("mergedMovements", () => {
  it("sums a lot listed twice in one direction, and refuses two units for it", () => {
    const merged = mergedMovements({ index: 0, movements: [movement("consumed", "1"), movement("consumed", "2")] });
    expect(merged.map((m) => toText(m.amount))).toEqual(["3"]);
    expect(() =>
      mergedMovements({ index: 4, movements: [movement("consumed", "1"), movement("consumed", "2", "EA")] }),
    ).toThrow(expect.objectContaining({ code: "MASS_BALANCE.UNIT_MISMATCH" }));
  });
});
