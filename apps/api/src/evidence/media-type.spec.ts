import { describe, expect, it } from "@jest/globals";
import { checkMediaType, sniff } from "./media-type.js";

const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
const webp = new TextEncoder().encode("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ");
const pdf = new TextEncoder().encode("%PDF-1.7\n...");
const text = new TextEncoder().encode("kWh,1234\n");

describe("media types of evidence", () => {
  it("recognises formats by their signature", () => {
    expect([jpeg, png, webp, pdf, text].map(sniff)).toEqual([
      "image/jpeg",
      "image/png",
      "image/webp",
      "application/pdf",
      "text",
    ]);
    expect(sniff(Uint8Array.from([0, 159, 146, 150]))).toBeUndefined();
  });

  it("keeps a declared type the content agrees with, parameters and case aside", () => {
    expect(checkMediaType("image/jpeg", jpeg)).toBe("image/jpeg");
    expect(checkMediaType("Text/CSV; charset=utf-8", text)).toBe("text/csv");
    expect(checkMediaType("application/json", new TextEncoder().encode('{"kWh": 1}'))).toBe("application/json");
  });

  it("sniffs when nothing useful is declared", () => {
    expect(checkMediaType(undefined, pdf)).toBe("application/pdf");
    expect(checkMediaType("application/octet-stream", text)).toBe("text/plain");
  });

  it("refuses a mismatch, an unsupported type and unrecognisable bytes", () => {
    expect(() => checkMediaType("image/png", jpeg)).toThrow(
      expect.objectContaining({ code: "EVIDENCE.MEDIA_TYPE_MISMATCH" }),
    );
    expect(() => checkMediaType("application/json", text)).toThrow(
      expect.objectContaining({ code: "EVIDENCE.MEDIA_TYPE_MISMATCH" }),
    );
    expect(() => checkMediaType("image/svg+xml", text)).toThrow(
      expect.objectContaining({ code: "EVIDENCE.UNSUPPORTED_MEDIA_TYPE" }),
    );
    expect(() => checkMediaType(undefined, Uint8Array.from([0, 1, 2]))).toThrow(
      expect.objectContaining({ code: "EVIDENCE.UNSUPPORTED_MEDIA_TYPE" }),
    );
  });
});
