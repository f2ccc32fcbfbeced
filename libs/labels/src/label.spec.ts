import { afterAll, describe, expect, it } from "@jest/globals";
import {
  LABEL_ERRORS,
  QUIET_ZONE_MODULES,
  STATUS_TEXT,
  configureLabelFontDirs,
  configureLabelFonts,
  documentPng,
  labelFonts,
  labelFontsHealth,
  labelPng,
  labelSvg,
  qrMatrix,
  type LabelContent,
  type LabelStatus,
} from "./index.js";
import { estimateWidth, LABEL_QR_MM, layoutLabel, splitForTwoLines } from "./label.js";
import {
  formatLevel,
  modulesOf,
  pixelsOf,
  pngSize,
  svgToPng,
  zbarDecode,
  type Pixels,
} from "../../../test/support/image-scan.js";

const URI = "https://example.com/01/09506000134352/10/LOT-42";

function aLabel(overrides: Partial<LabelContent> = {}): LabelContent {
  return {
    uri: URI,
    productName: { en: "rPET storage box", zh: "rPET 收纳盒" },
    footprintPerUnitKg: "1.48",
    status: "zero-carbon",
    ...overrides,
  };
}

/** Whether any pixel is inked in a rectangle given in mm on the 50 × 30 mm label. */
function inkIn(pixels: Pixels, x0: number, y0: number, x1: number, y1: number): boolean {
  const pxPerMm = pixels.width / 50;
  for (let y = Math.ceil(y0 * pxPerMm); y < y1 * pxPerMm; y++) {
    for (let x = Math.ceil(x0 * pxPerMm); x < x1 * pxPerMm; x++) if (pixels.dark(x, y)) return true;
  }
  return false;
}
const zhNameBand = (p: Pixels) => inkIn(p, 27, 7.9, 49, 10.9);
const enNameBand = (p: Pixels) => inkIn(p, 27, 12.2, 49, 13.8);

describe("labelSvg", () => {
  it("is a 50 × 30 mm printable SVG with names, footprint per unit, status and the short URI", () => {
    const svg = labelSvg(aLabel());
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="50mm" height="30mm" viewBox="0 0 50 30"/);
    expect(svg).toContain("rPET 收纳盒");
    expect(svg).toContain("rPET storage box");
    expect(svg).toContain(">1.48</tspan>");
    expect(svg).toContain("> kg CO2e / unit</tspan>");
    expect(svg).toContain("Zero-carbon · 零碳");
    expect(svg).toContain(">example.com/01/09506000134352/10/LOT-42</tspan>");
    expect(svg).toContain('shape-rendering="crispEdges"');
    expect(svg).toContain("<title>rPET storage box / rPET 收纳盒: 1.48 kg CO2e per unit, Zero-carbon · 零碳</title>");
  });

  it("says / kg for a lot counted by mass", () => {
    const svg = labelSvg({ ...aLabel(), per: "kg" });
    expect(svg).toContain("> kg CO2e / kg</tspan>");
    expect(svg).toContain("1.48 kg CO2e per kg,");
  });

  it("prints each status in English and Chinese, or the caller's wording", () => {
    const expected: Record<LabelStatus, string> = {
      "zero-carbon": "Zero-carbon · 零碳",
      reduced: "Reduced · 已减排",
      measured: "Measured · 已核算",
    };
    for (const status of Object.keys(STATUS_TEXT) as LabelStatus[]) {
      expect(labelSvg(aLabel({ status }))).toContain(`>${expected[status]}</tspan>`);
    }
    const custom = labelSvg(aLabel({ status: "reduced", statusText: { en: "−38 % vs virgin", zh: "减排 38%" } }));
    expect(custom).toContain(">−38 % vs virgin · 减排 38%</tspan>");
    expect(custom).not.toContain("已减排");
  });

  it("escapes markup in every text and stays well-formed", () => {
    const label = aLabel({
      productName: { en: `Box <b>&"big"</b>`, zh: `盒 <&">` },
      footprintPerUnitKg: `1<2&"3"`,
      uri: `${URI}?x=1&y=2`,
      statusText: { en: "A&B", zh: "<甲>" },
    });
    const svg = labelSvg(label);
    expect(svg).toContain("Box &lt;b&gt;&amp;&quot;big&quot;&lt;/b&gt;");
    expect(svg).toContain("盒 &lt;&amp;&quot;&gt;");
    expect(svg).toContain("1&lt;2&amp;&quot;3&quot;");
    expect(svg).toContain("A&amp;B · &lt;甲&gt;");
    expect(svg).toContain("LOT-42?x=1&amp;y=2");
    expect(svg).not.toMatch(/<b>|<\/b>|<甲>|&"/);
    expect(zbarDecode(svgToPng(svg, 591))).toEqual([`${URI}?x=1&y=2`]); // resvg parsed it, the QR still scans
  });

  it("has a QR code that scans back once rendered", () => {
    expect(zbarDecode(svgToPng(labelSvg(aLabel()), 591))).toEqual([URI]);
  });

  it("rejects an unknown status with a stable code", () => {
    const status = "carbon-negative" as LabelStatus;
    expect(() => labelSvg(aLabel({ status }))).toThrow(expect.objectContaining({ code: LABEL_ERRORS.statusInvalid }));
    expect(() => labelSvg(aLabel({ uri: "not a uri" }))).toThrow(
      expect.objectContaining({ code: LABEL_ERRORS.uriInvalid }),
    );
  });
});

describe("labelPng", () => {
  it("is 591 × 355 px at the default 300 dpi and scales with dpi", async () => {
    expect(pngSize(await labelPng(aLabel()))).toEqual({ width: 591, height: 355 });
    const { width, height } = pngSize(await labelPng(aLabel(), { dpi: 600 }));
    expect(width).toBe(1181);
    expect(Math.abs(height - width * 0.6)).toBeLessThan(1);
  });

  it("has a QR code that scans back to the exact URI, also with percent-encoded lot characters", async () => {
    expect(zbarDecode(await labelPng(aLabel()))).toEqual([URI]);
    const encoded = "https://id.example.com/01/09506000134352/10/AB%2F12%20%25%C3%A9%23x";
    expect(zbarDecode(await labelPng(aLabel({ uri: encoded })))).toEqual([encoded]);
  });

  it("keeps the QR's quiet zone and error correction level (M by default, H on request)", async () => {
    for (const level of ["M", "H"] as const) {
      const pixels = pixelsOf(await labelPng(aLabel(), level === "M" ? {} : { errorCorrectionLevel: level }));
      const size = qrMatrix(URI, { errorCorrectionLevel: level }).size;
      const full = size + 2 * QUIET_ZONE_MODULES;
      const at = modulesOf(pixels, full, 0, 0, ((LABEL_QR_MM / 50) * pixels.width) / full);
      for (let i = 0; i < full; i++) {
        for (let k = 0; k < QUIET_ZONE_MODULES; k++) {
          expect([at(k, i), at(full - 1 - k, i), at(i, k), at(i, full - 1 - k)]).toEqual([false, false, false, false]);
        }
      }
      const symbol = (row: number, col: number) => at(row + QUIET_ZONE_MODULES, col + QUIET_ZONE_MODULES);
      expect(symbol(0, 0)).toBe(true);
      expect(formatLevel(symbol, size)).toBe(level);
    }
  });

  it("renders escaped names without breaking", async () => {
    const png = await labelPng(aLabel({ productName: { en: `Box <b>&"big"</b>`, zh: `盒 <&">` } }));
    expect(zbarDecode(png)).toEqual([URI]);
    expect(enNameBand(pixelsOf(png))).toBe(true);
  });

  describe("fonts", () => {
    afterAll(async () => {
      await configureLabelFonts(undefined);
    });

    it("draws Chinese with the CJK font found on the machine (fonts-noto-cjk on Debian)", async () => {
      const fonts = await labelFonts();
      expect(fonts.cjk?.files.length).toBeGreaterThan(0); // apt-get install fonts-noto-cjk
      const pixels = pixelsOf(await labelPng(aLabel({ productName: { en: "storage box", zh: "收纳盒" } })));
      expect(zhNameBand(pixels)).toBe(true);
      expect(enNameBand(pixels)).toBe(true);
    });

    it("on a machine without any font (fonts-noto-cjk absent), draws Chinese with the bundled Noto Sans SC", async () => {
      const fonts = await configureLabelFontDirs([]);
      expect(fonts.cjk).toMatchObject({ family: "Noto Sans S Chinese", bundled: true });
      expect(await labelFontsHealth()).toMatchObject({ status: "ok" });
      const png = await labelPng(aLabel({ productName: { en: "storage box", zh: "收纳盒" } }));
      const pixels = pixelsOf(png);
      expect(zhNameBand(pixels)).toBe(true);
      expect(enNameBand(pixels)).toBe(true);
      expect(zbarDecode(png)).toEqual([URI]);
      // A generated evidence picture too.
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200"><rect width="400" height="200" fill="#fff"/><text x="20" y="80" font-size="40">过磅单</text></svg>`;
      const picture = pixelsOf(await documentPng(svg, 800));
      let inked = 0;
      for (let x = 40; x < 320; x++) for (let y = 60; y < 180; y++) if (picture.dark(x, y)) inked++;
      expect(inked).toBeGreaterThan(500);
    });

    it("with fonts configured without a CJK one, leaves Chinese out (and /health says so), still draws the Latin text and a scannable QR", async () => {
      const latinOnly = (await configureLabelFonts(undefined)).latin.files;
      const fonts = await configureLabelFonts(latinOnly);
      expect(fonts.cjk).toBeUndefined();
      expect(await labelFontsHealth()).toMatchObject({ status: "degraded" });
      const png = await labelPng(aLabel({ productName: { en: "storage box", zh: "收纳盒" } }));
      const pixels = pixelsOf(png);
      expect(zhNameBand(pixels)).toBe(false);
      expect(enNameBand(pixels)).toBe(true);
      expect(zbarDecode(png)).toEqual([URI]);
    });
  });
});

describe("documentPng", () => {
  it("renders an SVG document with Latin and Chinese text at the width asked for", async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200"><rect width="400" height="200" fill="#fff"/><text x="20" y="80" font-size="40">过磅单 Ticket</text></svg>`;
    const png = await documentPng(svg, 800);
    expect(pngSize(png)).toEqual({ width: 800, height: 400 });
    const pixels = pixelsOf(png);
    const inked = (x0: number, x1: number): number => {
      let count = 0;
      for (let x = x0; x < x1; x++) for (let y = 60; y < 180; y++) if (pixels.dark(x, y)) count++;
      return count;
    };
    // "过磅单" spans about x 40–160 of the 400-wide document, "Ticket" about 190–320 (×2 at 800 px).
    if ((await labelFonts()).cjk !== undefined) expect(inked(80, 320)).toBeGreaterThan(500);
    expect(inked(380, 640)).toBeGreaterThan(500);
  });

  it("refuses a width that is not a positive number", async () => {
    await expect(documentPng("<svg/>", 0)).rejects.toThrow();
  });
});

describe("product names on the label", () => {
  const long = {
    zh: "再生聚酯加厚大容量收纳整理箱带盖",
    en: "Recycled PET heavy-duty storage box with lid, 45 L",
  };

  it("wrap to two lines at a readable size instead of shrinking to nothing", () => {
    const layout = layoutLabel({ ...aLabel(), productName: long });
    const names = layout.lines.filter((l) => l.runs.some((r) => long.zh.includes(r.text) || long.en.includes(r.text)));
    expect(names).toHaveLength(4);
    for (const name of names) {
      const scale = Math.min(1, name.maxWidth / estimateWidth(name.runs));
      expect((name.runs[0]?.size ?? 0) * scale).toBeGreaterThan(1.5); // mm, as large as the printed URI at the least
    }
    expect(names.map((n) => n.runs[0]?.text ?? "").join(" ")).toBe(
      `${long.zh.slice(0, 8)} ${long.zh.slice(8)} ${long.en}`,
    );
    // Lines never overlap: each baseline below the previous one by at least its size.
    for (let i = 1; i < names.length; i++) {
      expect((names[i]?.y ?? 0) - (names[i - 1]?.y ?? 0)).toBeGreaterThanOrEqual((names[i]?.runs[0]?.size ?? 0) * 0.9);
    }
  });

  it("print a name that is the same in both languages once (a lot without a registered name)", () => {
    const layout = layoutLabel({ ...aLabel(), productName: { en: "GTIN 09506000134352", zh: "GTIN 09506000134352" } });
    const names = layout.lines.filter((l) => l.runs.some((r) => r.text.includes("GTIN")));
    expect(names.map((l) => l.runs.map((r) => r.text).join(""))).toEqual(["GTIN 09506000134352"]);
  });

  it("split at a space near the middle, or between Chinese characters", () => {
    expect(splitForTwoLines("storage box with lid")).toEqual(["storage box", "with lid"]);
    expect(splitForTwoLines("收纳整理储物箱")).toEqual(["收纳整理", "储物箱"]);
  });
});
