import { describe, expect, it } from "@jest/globals";
import { isDomainError } from "#common";
import {
  DigitalLinkErrorCode,
  labelUri,
  parseDigitalLink,
  parseGtinPath,
  parseLabelPath,
  parseSerialPath,
  productUri,
} from "./index.js";

const BASE = "https://labels.example.com";
const GTIN = "09520123456788";

function errorOf(run: () => unknown): { code: string; kind: string; details: Readonly<Record<string, unknown>> } {
  try {
    run();
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error("expected a DomainError");
}

describe("labelUri", () => {
  it("builds /01/<GTIN-14>/10/<lot> on the base URL", () => {
    expect(labelUri(BASE, GTIN, "ABC123")).toBe(`${BASE}/01/${GTIN}/10/ABC123`);
  });

  it("keeps a path prefix and drops one trailing slash of the base URL", () => {
    expect(labelUri(`${BASE}/dl/`, GTIN, "L1")).toBe(`${BASE}/dl/01/${GTIN}/10/L1`);
  });

  it.each([
    ["GTIN-13", "9520123456788", "09520123456788"],
    ["GTIN-12", "416000336108", "00416000336108"],
    ["GTIN-8", "02345673", "00000002345673"],
  ])("pads a %s to 14 digits", (_name, gtin, gtin14) => {
    expect(labelUri(BASE, gtin, "L1")).toBe(`${BASE}/01/${gtin14}/10/L1`);
  });

  it("percent-encodes lot characters that are not unreserved in a URI path", () => {
    expect(labelUri(BASE, GTIN, "A/B+C%D(1)")).toBe(`${BASE}/01/${GTIN}/10/A%2FB%2BC%25D%281%29`);
  });

  it("rejects a wrong check digit", () => {
    const error = errorOf(() => labelUri(BASE, "09520123456789", "L1"));
    expect(error.code).toBe(DigitalLinkErrorCode.CHECK_DIGIT);
    expect(error.kind).toBe("invalid");
    expect(error.details).toMatchObject({ ai: "01" });
  });

  it("rejects a base URL that is not http(s)://host[/path]", () => {
    for (const base of [
      "ftp://labels.example.com",
      "https://",
      "https://labels.example.com/?x=1",
      "labels.example.com",
    ])
      expect(errorOf(() => labelUri(base, GTIN, "L1")).code).toBe(DigitalLinkErrorCode.INVALID_URI);
  });

  it("round-trips through parseDigitalLink and parseLabelPath", () => {
    const lot = "LOT/2024-05+A";
    const uri = labelUri(BASE, "9520123456788", lot);
    const parsed = parseDigitalLink(uri);
    expect(parsed.stem).toBe(BASE);
    expect(parsed.elements).toEqual([
      { ai: "01", value: GTIN },
      { ai: "10", value: lot },
    ]);
    const [, value] = parsed.elements;
    expect(parseLabelPath(parsed.elements[0]!.value, value!.value)).toEqual({ gtin: GTIN, lot });
  });
});

describe("parseLabelPath", () => {
  it("returns the GTIN-14 and the lot", () => {
    expect(parseLabelPath(GTIN, "ABC123")).toEqual({ gtin: GTIN, lot: "ABC123" });
    expect(parseLabelPath("9520123456788", "ABC123")).toEqual({ gtin: GTIN, lot: "ABC123" });
  });

  it("rejects a wrong check digit with CHECK_DIGIT", () => {
    expect(errorOf(() => parseLabelPath("9520123456789", "L1")).code).toBe(DigitalLinkErrorCode.CHECK_DIGIT);
  });

  it.each(["", "123", "123456789", "952012345678812", "0952012345678A", " 9520123456788"])(
    "rejects GTIN %p as INVALID_VALUE",
    (gtin) => {
      const error = errorOf(() => parseLabelPath(gtin, "L1"));
      expect(error.code).toBe(DigitalLinkErrorCode.INVALID_VALUE);
      expect(error.details).toMatchObject({ ai: "01" });
    },
  );

  it("accepts a lot of exactly 20 characters and rejects 21", () => {
    expect(parseLabelPath(GTIN, "A".repeat(20)).lot).toBe("A".repeat(20));
    const error = errorOf(() => parseLabelPath(GTIN, "A".repeat(21)));
    expect(error.code).toBe(DigitalLinkErrorCode.INVALID_VALUE);
    expect(error.details).toMatchObject({ ai: "10" });
  });

  it.each(["", "LOT 1", "LOT#1", "lot\u00e9", "A^B"])("rejects lot %p as INVALID_VALUE", (lot) => {
    const error = errorOf(() => parseLabelPath(GTIN, lot));
    expect(error.code).toBe(DigitalLinkErrorCode.INVALID_VALUE);
    expect(error.details).toMatchObject({ ai: "10" });
  });
});

describe("product links and serials", () => {
  it("parses a GTIN alone (padded to 14 digits, check digit verified) and builds the product URI", () => {
    expect(parseGtinPath("9506000134352")).toBe("09506000134352");
    expect(productUri("https://trace.example.com/", "9506000134352")).toBe(
      "https://trace.example.com/01/09506000134352",
    );
    expect(() => parseGtinPath("09506000134353")).toThrow(
      expect.objectContaining({ code: "DIGITAL_LINK.CHECK_DIGIT" }),
    );
    expect(() => parseGtinPath("12AB")).toThrow(expect.objectContaining({ code: "DIGITAL_LINK.INVALID_VALUE" }));
  });

  it("accepts a serial of GS1 character set 82 up to 20 characters, nothing else", () => {
    expect(parseSerialPath("5")).toBe("5");
    expect(parseSerialPath("AB-12/x")).toBe("AB-12/x");
    expect(() => parseSerialPath("9".repeat(21))).toThrow(
      expect.objectContaining({ code: "DIGITAL_LINK.INVALID_VALUE" }),
    );
    expect(() => parseSerialPath("序列")).toThrow(expect.objectContaining({ code: "DIGITAL_LINK.INVALID_VALUE" }));
  });
});
