import { describe, expect, it } from "@jest/globals";
import { add, compare, decimal, multiply, sum, toNumber, toText } from "./decimal.js";

describe("decimal", () => {
  it("adds exactly where binary floating point does not", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(toText(add(decimal(0.1), decimal(0.2)))).toBe("0.3");
    expect(compare(add(decimal("0.1"), decimal("0.2")), decimal("0.3"))).toBe(0);
  });

  it("reads integers, fractions, negatives and exponents", () => {
    expect(toText(decimal("200.50"))).toBe("200.5");
    expect(toText(decimal("-3"))).toBe("-3");
    expect(toText(decimal("1e3"))).toBe("1000");
    expect(toText(decimal("2.5E-3"))).toBe("0.0025");
    expect(toText(decimal(1e-7))).toBe("0.0000001");
    expect(toNumber(decimal("12.25"))).toBe(12.25);
  });

  it("multiplies exactly (pounds to kilograms)", () => {
    expect(toText(multiply(decimal(3), decimal("0.45359237")))).toBe("1.36077711");
  });

  it("compares and sums", () => {
    expect(compare(decimal("10"), decimal("9.999"))).toBe(1);
    expect(compare(decimal("-1"), decimal("0"))).toBe(-1);
    expect(toText(sum([decimal("1.5"), decimal("2.25"), decimal("-0.75")]))).toBe("3");
    expect(toText(sum([]))).toBe("0");
  });

  it("refuses what is not a finite decimal number", () => {
    for (const bad of ["", "1,5", "abc", "1.2.3", "0x10"]) {
      expect(() => decimal(bad)).toThrow(expect.objectContaining({ code: "CAPTURE.QUANTITY_INVALID" }));
    }
    expect(() => decimal(Number.NaN)).toThrow(expect.objectContaining({ code: "CAPTURE.QUANTITY_INVALID" }));
    expect(() => decimal(Number.POSITIVE_INFINITY)).toThrow(
      expect.objectContaining({ code: "CAPTURE.QUANTITY_INVALID" }),
    );
  });
});
