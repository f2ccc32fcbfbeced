import { describe, expect, it } from "@jest/globals";
import { checkIdentifier } from "./identifier-check.js";

describe("checkIdentifier", () => {
  it("accepts valid GLNs, LEIs and unified social credit codes", () => {
    expect(checkIdentifier("gln", "6901234000009")).toBe("6901234000009");
    expect(checkIdentifier("lei", "5493001kjtiigc8y1r12")).toBe("5493001KJTIIGC8Y1R12");
    expect(checkIdentifier("uscc", "914403001922038216")).toBe("914403001922038216");
    expect(checkIdentifier("other", " DUNS 123 ")).toBe("DUNS 123");
  });

  it("refuses wrong check digits and wrong lengths", () => {
    for (const [scheme, value] of [
      ["gln", "6901234000002"],
      ["gln", "690123400000"],
      ["lei", "5493001KJTIIGC8Y1R13"],
      ["uscc", "914403001922038217"],
      ["uscc", "91440300192203821"],
      ["other", "  "],
    ] as const) {
      expect(() => checkIdentifier(scheme, value)).toThrow(
        expect.objectContaining({ code: "PARTICIPANT.IDENTIFIER_INVALID" }),
      );
    }
  });
});
