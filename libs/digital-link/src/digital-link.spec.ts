import { describe, expect, it } from "@jest/globals";
import { isDomainError } from "#common";
import { buildDigitalLink, DigitalLinkErrorCode, elementStringOf, parseDigitalLink } from "./index.js";

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
  throw new Error("expected a DomainError");
}

describe("parseDigitalLink", () => {
  it("returns the stem, the elements in element-string order and the ^ form", () => {
    const link = parseDigitalLink(
      "https://example.com/some/prefix/01/09520123456788/10/ABC%2F1?linkType=gs1:pip&17=251231&3103=000195",
    );
    expect(link).toEqual({
      stem: "https://example.com/some/prefix",
      elements: [
        { ai: "01", value: "09520123456788" },
        { ai: "10", value: "ABC/1" },
        { ai: "17", value: "251231" },
        { ai: "3103", value: "000195" },
      ],
      aiString: "^010952012345678810ABC/1^172512313103000195",
    });
  });

  it.each([
    ["a wrong GTIN check digit", "https://example.com/01/09520123456789", DigitalLinkErrorCode.CHECK_DIGIT],
    ["a wrong GMN check pair", "https://example.com/8013/1987654Ad4X4bL5ttr2310cXK", DigitalLinkErrorCode.CHECK_DIGIT],
    [
      "qualifiers out of order",
      "https://example.com/01/09520123456788/21/S1/10/L1",
      DigitalLinkErrorCode.INVALID_KEY_QUALIFIERS,
    ],
    ["an impossible date", "https://example.com/01/09520123456788?17=251332", DigitalLinkErrorCode.INVALID_VALUE],
    ["an undefined numeric query AI", "https://example.com/01/09520123456788?89=X", DigitalLinkErrorCode.UNKNOWN_AI],
    [
      "a serial number in the query",
      "https://example.com/01/09520123456788?21=S1",
      DigitalLinkErrorCode.INVALID_DATA_ATTRIBUTE,
    ],
  ])("rejects %s", (_problem, uri, code) => {
    expect(codeOf(() => parseDigitalLink(uri))).toBe(code);
  });

  it("accepts a valid GMN check character pair", () => {
    expect(parseDigitalLink("https://example.com/8013/1987654Ad4X4bL5ttr2310c2K").aiString).toBe(
      "^80131987654Ad4X4bL5ttr2310c2K",
    );
  });
});

describe("buildDigitalLink", () => {
  it("uses https://id.gs1.org when no stem is given", () => {
    expect(buildDigitalLink(null, "(01)09520123456788(10)ABC123")).toBe(
      "https://id.gs1.org/01/09520123456788/10/ABC123",
    );
  });

  it("reads \\( as a literal bracket in a value and percent-encodes it", () => {
    expect(buildDigitalLink("https://example.com", "(01)09520123456788(10)A\\(B")).toBe(
      "https://example.com/01/09520123456788/10/A%28B",
    );
  });

  it.each([
    ["01)09520123456788", DigitalLinkErrorCode.INVALID_ELEMENT_STRING],
    ["(01", DigitalLinkErrorCode.INVALID_ELEMENT_STRING],
    ["(01)", DigitalLinkErrorCode.INVALID_ELEMENT_STRING],
    ["", DigitalLinkErrorCode.INVALID_ELEMENT_STRING],
    ["(01)09520123456788(10)L1(10)L2", DigitalLinkErrorCode.DUPLICATE_AI],
    ["(01)09520123456789", DigitalLinkErrorCode.CHECK_DIGIT],
    ["(01)09520123456788(89)X", DigitalLinkErrorCode.UNKNOWN_AI],
  ])("rejects %p", (elementString, code) => {
    expect(codeOf(() => buildDigitalLink(null, elementString))).toBe(code);
  });

  it("round-trips with parseDigitalLink and elementStringOf", () => {
    const uri = "https://example.com/01/09520123456788/22/2A/10/A%28B%2F1?17=251231&99=X%2BY";
    const link = parseDigitalLink(uri);
    expect(elementStringOf(link.elements)).toBe("(01)09520123456788(22)2A(10)A\\(B/1(17)251231(99)X+Y");
    expect(buildDigitalLink(link.stem, elementStringOf(link.elements))).toBe(uri);
  });
});
