import { describe, expect, it } from "@jest/globals";
import { divide, gramsToKg, hundredths, kgToGrams } from "./grams.js";

describe("kgToGrams", () => {
  it("reads a number as the decimal it prints as, not its binary value", () => {
    // 1.005 × 1000 is 1004.9999999999999 in floating point; the decimal 1.005 kg is 1005 g.
    expect(1.005 * 1000).not.toBe(1005);
    expect(kgToGrams(1.005, "down")).toBe(1005n);
    expect(kgToGrams(1.005, "up")).toBe(1005n);
    expect(kgToGrams(1.48, "up")).toBe(1480n);
    expect(kgToGrams(16300, "down")).toBe(16300000n);
    expect(kgToGrams(0, "up")).toBe(0n);
  });

  it("rounds amounts finer than a gram in the direction asked", () => {
    expect(kgToGrams(1480.0004, "up")).toBe(1480001n);
    expect(kgToGrams(1480.0004, "down")).toBe(1480000n);
    expect(kgToGrams(1480.0009, "down")).toBe(1480000n);
    // 0.1 + 0.2 prints as 0.30000000000000004: a hair above 300 g.
    expect(kgToGrams(0.1 + 0.2, "up")).toBe(301n);
    expect(kgToGrams(0.1 + 0.2, "down")).toBe(300n);
  });

  it("reads exponent notation, small and large", () => {
    expect(kgToGrams(1e-7, "up")).toBe(1n);
    expect(kgToGrams(1e-7, "down")).toBe(0n);
    expect(kgToGrams(2.5e-3, "up")).toBe(3n);
    expect(kgToGrams(1.5e21, "down")).toBe(1500000000000000000000000n);
  });

  it("refuses negative and non-finite numbers", () => {
    expect(() => kgToGrams(-1, "up")).toThrow(RangeError);
    expect(() => kgToGrams(Number.NaN, "up")).toThrow(RangeError);
    expect(() => kgToGrams(Number.POSITIVE_INFINITY, "up")).toThrow(RangeError);
  });
});

describe("divide, hundredths, gramsToKg", () => {
  it("divides rounding up or down, exact quotients unchanged", () => {
    expect(divide(1481n, 10n, "up")).toBe(149n);
    expect(divide(1481n, 10n, "down")).toBe(148n);
    expect(divide(1480n, 10n, "up")).toBe(148n);
    expect(divide(0n, 10n, "up")).toBe(0n);
  });

  it("writes hundredths with two decimals", () => {
    expect(hundredths(148n)).toBe("1.48");
    expect(hundredths(5n)).toBe("0.05");
    expect(hundredths(0n)).toBe("0.00");
    expect(hundredths(123456n)).toBe("1234.56");
  });

  it("turns grams into kilograms", () => {
    expect(gramsToKg(1480n)).toBe(1.48);
    expect(gramsToKg(1n)).toBe(0.001);
  });
});
