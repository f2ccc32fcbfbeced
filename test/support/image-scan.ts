// Read images back the way a scanner would (zbarimg) or a pixel probe would, for the label and QR specs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";

/** Debian's zbar-tools; CI installs it. */
export const ZBARIMG = "/usr/bin/zbarimg";

/** Every symbol zbarimg finds in the PNG, as raw text (empty when it finds none). */
export function zbarDecode(png: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), "labels-"));
  try {
    const file = join(dir, "image.png");
    writeFileSync(file, png);
    const out = execFileSync(ZBARIMG, ["--raw", "-q", file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return out.split("\n").filter((l) => l !== "");
  } catch (error) {
    if ((error as { status?: number }).status === 4) return []; // zbarimg: no symbol found
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function svgToPng(svg: string, widthPx: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: "width", value: widthPx }, font: { loadSystemFonts: false } })
    .render()
    .asPng();
}

export interface Pixels {
  width: number;
  height: number;
  /** Luminance below 50 %. */
  dark(x: number, y: number): boolean;
}

/** Decodes a PNG to pixels (resvg draws it 1:1 as an <image>), so tests need no extra PNG library. */
export function pixelsOf(png: Buffer): Pixels {
  const { width, height } = pngSize(png);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image width="${width}"` +
    ` height="${height}" image-rendering="optimizeSpeed" href="data:image/png;base64,${png.toString("base64")}"/></svg>`;
  const rendered = new Resvg(svg, { background: "#fff" }).render();
  const data = rendered.pixels;
  return {
    width: rendered.width,
    height: rendered.height,
    dark: (x, y) => {
      const i = (Math.floor(y) * rendered.width + Math.floor(x)) * 4;
      return (data[i] ?? 255) * 0.299 + (data[i + 1] ?? 255) * 0.587 + (data[i + 2] ?? 255) * 0.114 < 128;
    },
  };
}

/** Width and height from the PNG header (IHDR). */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString("latin1") !== "PNG") throw new Error("not a PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Samples a QR grid (quiet zone included) at module centres: origin and module size in px. */
export function modulesOf(pixels: Pixels, count: number, originX: number, originY: number, modulePx: number) {
  return (row: number, col: number): boolean =>
    pixels.dark(originX + (col + 0.5) * modulePx, originY + (row + 0.5) * modulePx);
}

/**
 * The error correction level written in a symbol's format information (ISO/IEC 18004 §7.9), read from the
 * copy beside the top-left finder; `module(row, col)` addresses the symbol without its quiet zone.
 */
export function formatLevel(module: (row: number, col: number) => boolean, size: number): "L" | "M" | "Q" | "H" {
  let bits = 0;
  for (let i = 0; i < 15; i++) {
    const row = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    if (module(row, 8)) bits |= 1 << i;
  }
  const level = ((bits ^ 0x5412) >> 13) & 0b11;
  return (["M", "L", "H", "Q"] as const)[level] ?? "M";
}
