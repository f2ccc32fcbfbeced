import { describe, expect, it } from "@jest/globals";
import { QUIET_ZONE_MODULES, qrMatrix, qrTerminal } from "./index.js";
import { svgToPng, zbarDecode } from "../../../test/support/image-scan.js";

const URI = "https://example.com/01/09506000134352/10/LOT-42";

/** Reads half blocks back into module rows: true where the character is inked. */
function inkOf(text: string): boolean[][] {
  const rows: boolean[][] = [];
  for (const line of text.split("\n").filter((l) => l !== "")) {
    const chars = Array.from(line);
    rows.push(chars.map((c) => c === "█" || c === "▀"));
    rows.push(chars.map((c) => c === "█" || c === "▄"));
  }
  return rows;
}

/** Draws dark modules as squares, for zbarimg. */
function toSvg(dark: boolean[][]): string {
  const n = dark.length;
  let d = "";
  dark.forEach((row, y) => {
    row.forEach((on, x) => {
      if (on) d += `M${x} ${y}h1v1h-1z`;
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n} ${n}" shape-rendering="crispEdges"><rect width="${n}" height="${n}" fill="#fff"/><path d="${d}"/></svg>`;
}

describe("qrTerminal", () => {
  const matrix = qrMatrix(URI);
  const full = matrix.size + 2 * QUIET_ZONE_MODULES;

  it("prints two module rows per line with half blocks, quiet zone included", () => {
    const text = qrTerminal(URI);
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(Math.ceil(full / 2));
    for (const line of lines) {
      expect(Array.from(line)).toHaveLength(full);
      expect(line).toMatch(/^[ ▀▄█]+$/u);
    }
    // Dark terminal (default): the light quiet zone is inked.
    expect(lines[0]).toBe("█".repeat(full));
    expect(lines[1]).toBe("█".repeat(full));
  });

  it("holds exactly the symbol's modules, and scans back once drawn", () => {
    const dark = inkOf(qrTerminal(URI, { darkBackground: false })).slice(0, full);
    for (let row = 0; row < full; row++) {
      for (let col = 0; col < full; col++) {
        const r = row - QUIET_ZONE_MODULES;
        const c = col - QUIET_ZONE_MODULES;
        const inSymbol = r >= 0 && c >= 0 && r < matrix.size && c < matrix.size;
        expect(dark[row]?.[col]).toBe(inSymbol && matrix.isDark(r, c));
      }
    }
    expect(zbarDecode(svgToPng(toSvg(dark), full * 8))).toEqual([URI]);
  });

  it("inverts for dark terminals: the inked cells are the light modules", () => {
    const light = inkOf(qrTerminal(URI)).slice(0, full);
    const dark = inkOf(qrTerminal(URI, { darkBackground: false })).slice(0, full);
    expect(light.map((row) => row.map((on) => !on))).toEqual(dark);
  });

  it("honours the error correction level", () => {
    expect(qrTerminal(URI, { errorCorrectionLevel: "H" })).not.toBe(qrTerminal(URI));
  });
});
