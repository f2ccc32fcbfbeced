import { beforeAll, describe, expect, it } from "@jest/globals";
import { inflateSync } from "node:zlib";
import QRCode from "qrcode";
import { LABEL_ERRORS, QUIET_ZONE_MODULES, qrMatrix, qrPng, qrSvg, type ErrorCorrectionLevel } from "./index.js";
import { formatLevel, modulesOf, pixelsOf, pngSize, svgToPng, zbarDecode } from "../../../test/support/image-scan.js";

const URI = "https://example.com/01/09506000134352/10/LOT-42";
/** A lot number with characters a URI must percent-encode ("/", " ", "%", "é", "#"). */
const PERCENT_URI = "https://id.example.com/01/09506000134352/10/AB%2F12%20%25%C3%A9%23x?linkType=gs1%3Apip";

/** The rendered symbol, sampled at module centres: quiet zone included, `symbol` addresses it without. */
function sample(png: Buffer, uri: string, level: ErrorCorrectionLevel = "M") {
  const pixels = pixelsOf(png);
  const size = qrMatrix(uri, { errorCorrectionLevel: level }).size;
  const full = size + 2 * QUIET_ZONE_MODULES;
  const at = modulesOf(pixels, full, 0, 0, pixels.width / full);
  const symbol = (row: number, col: number) => at(row + QUIET_ZONE_MODULES, col + QUIET_ZONE_MODULES);
  return { pixels, size, full, at, symbol };
}

function quietZoneIsLight(at: (row: number, col: number) => boolean, full: number): boolean {
  for (let i = 0; i < full; i++) {
    for (let k = 0; k < QUIET_ZONE_MODULES; k++) {
      if (at(k, i) || at(full - 1 - k, i) || at(i, k) || at(i, full - 1 - k)) return false;
    }
  }
  return true;
}

/** Each PNG is made once and read by several checks. */
const png: Partial<Record<"M" | "Q" | "H" | "percent" | "large", Buffer>> = {};
const pngOf = (key: keyof typeof png): Buffer => png[key] ?? Buffer.alloc(0);

beforeAll(() => {
  png.M = qrPng(URI);
  png.Q = qrPng(URI, { errorCorrectionLevel: "Q" });
  png.H = qrPng(URI, { errorCorrectionLevel: "H" });
  png.percent = qrPng(PERCENT_URI);
  png.large = qrPng(URI, { minSizePx: 600 });
}, 60_000);

describe("qrPng", () => {
  it("scans back to the exact URI", () => {
    expect(zbarDecode(pngOf("M"))).toEqual([URI]);
  });

  it("is square, at least 300 px, with a whole number of pixels per module", () => {
    const { width, height } = pngSize(pngOf("M"));
    const full = qrMatrix(URI).size + 2 * QUIET_ZONE_MODULES;
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(300);
    expect(width % full).toBe(0);
    expect(pngSize(pngOf("large")).width).toBeGreaterThanOrEqual(600);
    expect(pngSize(pngOf("large")).width % full).toBe(0);
  });

  it("has a light quiet zone of 4 modules around the finder patterns", () => {
    const { at, full, symbol } = sample(pngOf("M"), URI);
    expect(quietZoneIsLight(at, full)).toBe(true);
    expect(symbol(0, 0)).toBe(true); // corner of the top-left finder pattern
    expect(at(QUIET_ZONE_MODULES - 1, QUIET_ZONE_MODULES)).toBe(false);
  });

  it("encodes level M by default, Q and H on request (read from the symbol's format information)", () => {
    for (const level of ["M", "Q", "H"] as const) {
      const { symbol, size } = sample(pngOf(level), URI, level);
      expect(formatLevel(symbol, size)).toBe(level);
      expect(zbarDecode(pngOf(level))).toEqual([URI]);
    }
  });

  it("scans back a lot with percent-encoded characters unchanged", () => {
    expect(zbarDecode(pngOf("percent"))).toEqual([PERCENT_URI]);
  });

  it("is 8-bit greyscale with every row filtered Up, under two thirds of the bytes of qrcode's own RGBA PNG", async () => {
    const ours = pngOf("M");
    const { width } = pngSize(ours);
    // IHDR: width, height, bit depth, colour type (0: greyscale), compression, filter method, interlace.
    expect([...ours.subarray(24, 29)]).toEqual([8, 0, 0, 0, 0]);
    const rows = inflateSync(idatOf(ours));
    expect(rows.length).toBe(width * (width + 1));
    const filters = new Set(Array.from({ length: width }, (_, row) => rows[row * (width + 1)]));
    expect([...filters]).toEqual([2]);
    const scale = width / (qrMatrix(URI).size + 2 * QUIET_ZONE_MODULES);
    const theirs = await QRCode.toBuffer(URI, { type: "png", margin: QUIET_ZONE_MODULES, scale });
    expect(ours.length * 3).toBeLessThan(theirs.length * 2);
  });
});

/** The concatenated IDAT chunks of a PNG: its zlib stream. */
function idatOf(png: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString("latin1", at + 4, at + 8) === "IDAT") parts.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return Buffer.concat(parts);
}

describe("qrSvg", () => {
  it("scans back to the exact URI once rendered", () => {
    expect(zbarDecode(svgToPng(qrSvg(URI), 400))).toEqual([URI]);
    expect(zbarDecode(svgToPng(qrSvg(PERCENT_URI), 400))).toEqual([PERCENT_URI]);
  });

  it("draws the same symbol as the PNG, with the 4-module quiet zone and level M", () => {
    const fromSvg = sample(svgToPng(qrSvg(URI), 37 * 10), URI);
    const fromPng = sample(pngOf("M"), URI);
    expect(quietZoneIsLight(fromSvg.at, fromSvg.full)).toBe(true);
    expect(formatLevel(fromSvg.symbol, fromSvg.size)).toBe("M");
    for (let row = 0; row < fromSvg.full; row++) {
      for (let col = 0; col < fromSvg.full; col++) expect(fromSvg.at(row, col)).toBe(fromPng.at(row, col));
    }
  });

  it("is crisp, sized, and has an escaped accessible title", () => {
    const svg = qrSvg(`${URI}?a=1&b="2"`, { sizePx: 240, errorCorrectionLevel: "H" });
    expect(svg).toContain('shape-rendering="crispEdges"');
    expect(svg).toContain('width="240" height="240"');
    expect(svg).toContain(`<title>QR code: ${URI}?a=1&amp;b=&quot;2&quot;</title>`);
    expect(qrSvg(URI, { title: "Lot <42>" })).toContain("<title>Lot &lt;42&gt;</title>");
    expect(zbarDecode(svgToPng(svg, 400))).toEqual([`${URI}?a=1&b="2"`]);
  });
});

describe("qrMatrix", () => {
  it("matches the qrcode package's own encoding and level", () => {
    for (const level of ["M", "Q", "H"] as const) {
      const reference = QRCode.create(URI, { errorCorrectionLevel: level });
      const matrix = qrMatrix(URI, { errorCorrectionLevel: level });
      expect(matrix.errorCorrectionLevel).toBe(level);
      expect(reference.errorCorrectionLevel).toEqual(
        QRCode.create("x", { errorCorrectionLevel: level }).errorCorrectionLevel,
      );
      expect(matrix.size).toBe(reference.modules.size);
      expect(matrix.isDark(0, 0)).toBe(reference.modules.get(0, 0) === 1);
    }
    expect(QRCode.create(URI, { errorCorrectionLevel: "M" }).errorCorrectionLevel.bit).toBe(0); // ISO: M = 00
    expect(qrMatrix(URI).errorCorrectionLevel).toBe("M");
  });

  it("rejects what cannot be a label URI or level, with stable codes", () => {
    for (const bad of ["", "example.com/01/1", "ftp://example.com/01/1", "https://example.com/01/1 2"]) {
      expect(() => qrMatrix(bad)).toThrow(expect.objectContaining({ code: LABEL_ERRORS.uriInvalid }));
    }
    const level = "L" as ErrorCorrectionLevel;
    expect(() => qrMatrix(URI, { errorCorrectionLevel: level })).toThrow(
      expect.objectContaining({ code: LABEL_ERRORS.errorCorrectionInvalid }),
    );
    expect(() => qrMatrix(`https://example.com/${"x".repeat(3000)}`, { errorCorrectionLevel: "H" })).toThrow(
      expect.objectContaining({ code: LABEL_ERRORS.uriTooLong }),
    );
    expect(() => qrSvg(URI, { sizePx: 0 })).toThrow(expect.objectContaining({ code: LABEL_ERRORS.optionInvalid }));
  });
});
