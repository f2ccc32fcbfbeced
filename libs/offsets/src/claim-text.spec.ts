import { describe, expect, it } from "@jest/globals";
import { assessClaim } from "./claim.js";
import { claimText } from "./claim-text.js";

const MASCOT = { footprintKg: 14800, units: 10000, baselineKg: 16300 };

describe("claimText", () => {
  it("says zero-carbon, with the reduction, in English and Chinese", () => {
    const claim = assessClaim({ ...MASCOT, retiredKg: 15000 });
    expect(claimText(claim, "en")).toEqual({
      headline: "Zero-carbon: every kilogram emitted is offset by retired credits",
      sentence:
        "Making one unit emits 1.48 kg CO2e, all of it offset by retired carbon credits. That is 0.15 kg less than a conventional product (1.63 kg).",
    });
    expect(claimText(claim, "zh")).toEqual({
      headline: "零碳：排放的每一千克都已由注销的碳信用抵消",
      sentence: "每件产品排放1.48千克二氧化碳当量，比常规产品的1.63千克少0.15千克，已全部由注销的碳信用抵消。",
    });
  });

  it("says zero-carbon without a reduction when there is no baseline", () => {
    const claim = assessClaim({ footprintKg: 14800, units: 10000, retiredKg: 15000 });
    expect(claimText(claim, "en").sentence).toBe(
      "Making one unit emits 1.48 kg CO2e, all of it offset by retired carbon credits.",
    );
    expect(claimText(claim, "zh").sentence).toBe("每件产品排放1.48千克二氧化碳当量，已全部由注销的碳信用抵消。");
  });

  it("says reduced, and names a partial offset only as its amount", () => {
    const claim = assessClaim({ ...MASCOT, retiredKg: 5000 });
    expect(claimText(claim, "en")).toEqual({
      headline: "Reduced carbon: lower emissions than a conventional product",
      sentence:
        "Making one unit emits 1.48 kg CO2e. That is 0.15 kg less than a conventional product (1.63 kg). Retired carbon credits offset 0.50 kg of these emissions.",
    });
    expect(claimText(claim, "zh")).toEqual({
      headline: "减碳：排放低于常规产品",
      sentence: "每件产品排放1.48千克二氧化碳当量，比常规产品的1.63千克少0.15千克。其中0.50千克已由注销的碳信用抵消。",
    });
  });

  it("says measured when there is nothing more to claim", () => {
    const claim = assessClaim({ footprintKg: 14800, units: 10000, retiredKg: 0 });
    expect(claimText(claim, "en")).toEqual({
      headline: "Carbon footprint measured",
      sentence: "Making one unit emits 1.48 kg CO2e.",
    });
    expect(claimText(claim, "zh")).toEqual({
      headline: "已核算碳足迹",
      sentence: "每件产品排放1.48千克二氧化碳当量。",
    });
  });

  it("never says zero-carbon or reduced for a lot short by 1 g, or one whose baseline is lower", () => {
    const short = assessClaim({ ...MASCOT, baselineKg: null, retiredKg: 14799.999 });
    const higher = assessClaim({ ...MASCOT, baselineKg: 14000, retiredKg: 0 });
    for (const claim of [short, higher]) {
      expect(claim.status).toBe("measured");
      for (const lang of ["en", "zh"] as const) {
        const { headline, sentence } = claimText(claim, lang);
        expect(`${headline} ${sentence}`).not.toMatch(/zero-carbon|all of it|less than|零碳|全部|少/i);
      }
    }
    // 1,479.9999 g a unit shows as 1.47 kg offset, never 1.48.
    expect(claimText(short, "en").sentence).toBe(
      "Making one unit emits 1.48 kg CO2e. Retired carbon credits offset 1.47 kg of these emissions.",
    );
  });

  it("leaves out an offset too small to show", () => {
    const claim = assessClaim({ footprintKg: 14800, units: 10000, retiredKg: 99 });
    expect(claim.display.offset).toBe("0.00");
    expect(claimText(claim, "en").sentence).toBe("Making one unit emits 1.48 kg CO2e.");
  });

  it("speaks of a kilogram of the product when the lot is counted by mass, never of 'one unit'", () => {
    const claim = assessClaim({ footprintKg: 1480, units: 1000, baselineKg: null, retiredKg: 0 });
    expect(claimText(claim, "en", "kg").sentence).toBe("Making one kilogram of this product emits 1.48 kg CO2e.");
    expect(claimText(claim, "zh", "kg").sentence).toBe("每千克产品排放1.48千克二氧化碳当量。");
    expect(claimText(claim, "en").sentence).toBe("Making one unit emits 1.48 kg CO2e.");
  });
});
