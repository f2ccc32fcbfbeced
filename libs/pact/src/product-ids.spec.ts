import { describe, expect, it } from "@jest/globals";
import { epcToDigitalLink } from "#epcis";
import { lotProductIds } from "./product-ids.js";

describe("lotProductIds", () => {
  it("names the product, and the lot as an LGTIN class URN when the company prefix is known", () => {
    expect(lotProductIds("06901234000030", "L-7", undefined)).toEqual(["urn:gtin:06901234000030"]);
    const [gtin, lgtin] = lotProductIds("06901234000030", "L-7", "6901234");
    expect(gtin).toBe("urn:gtin:06901234000030");
    expect(lgtin).toBe("urn:epc:class:lgtin:6901234.000003.L-7");
  });

  it("writes a URN that GS1's own mapping reads back to the lot's Digital Link (escapes included)", () => {
    for (const lot of ["L-7", "A/B%C", "x&y<z>", "LOT?1", 'q"uote']) {
      const [, lgtin = ""] = lotProductIds("04012345111118", lot, "4012345");
      expect(epcToDigitalLink(lgtin)).toBe(`https://id.gs1.org/01/04012345111118/10/${encodeURIComponent(lot)}`);
    }
  });

  it("leaves the lot out when the prefix does not belong to the GTIN", () => {
    expect(lotProductIds("04012345111118", "L", "6901234")).toEqual(["urn:gtin:04012345111118"]);
  });
});
