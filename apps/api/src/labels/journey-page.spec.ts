import { describe, expect, it } from "@jest/globals";
import { firstWebAddressIn } from "./journey-page.js";

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
