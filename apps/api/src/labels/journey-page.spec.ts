import { describe, expect, it } from "@jest/globals";
import { amountInWords, firstWebAddressIn, placeInWords } from "./journey-page.js";

describe("factor source links on the journey page", () => {
  it("link only to an http(s) address found in the source reference, never to the words before it", () => {
    expect(
      firstWebAddressIn(
        "MEE & NBS announcement on 2022 electricity CO2 emission factors; read via https://daydaynews.cc/zh-hant/finance/3899452.html (Beijing News report)",
      ),
    ).toBe("https://daydaynews.cc/zh-hant/finance/3899452.html");
    expect(firstWebAddressIn("https://www.gov.uk/x, and more")).toBe("https://www.gov.uk/x");
    expect(firstWebAddressIn("MEE 2023 announcement")).toBeUndefined();
    expect(firstWebAddressIn("javascript:alert(1) ftp://x")).toBeUndefined();
  });
});

describe("the journey in plain words", () => {
  it("writes quantities as people do: kg, t, pieces, in the page's language", () => {
    expect(amountInWords(1200, "KGM", "en")).toBe("1,200 kg");
    expect(amountInWords(0.8, "TNE", "zh")).toBe("0.8 t");
    expect(amountInWords(1000, null, "en")).toBe("1,000 pieces");
    expect(amountInWords(12, "H87", "zh")).toBe("12 件");
    expect(amountInWords(3, "XYZ", "en")).toBe("3 XYZ");
  });

  it("names a place by its site's GLN, never as an EPC URN", () => {
    expect(placeInWords("urn:epc:id:sgln:6901234.00001.0", "en")).toBe("Site 6901234000016");
    expect(placeInWords("urn:epc:id:sgln:6901234.00001.12", "zh")).toBe("站点 6901234000016，位置 12");
    expect(placeInWords("https://id.gs1.org/414/6901234000016", "en")).toBe("Site 6901234000016");
    expect(placeInWords("somewhere else", "en")).toBe("somewhere else");
  });
});
