import { PNG } from "pngjs";
import { DEFAULT_QR_SIZE_PX, positive, QUIET_ZONE_MODULES, qrMatrix, type QrMatrix, type QrOptions } from "./qr.js";

export interface QrPngOptions extends QrOptions {
  /**
   * Minimum width (= height) in px, default 300. Rounded up to a whole number of pixels per module so every
   * module has the same size.
   */
  minSizePx?: number;
}

/**
 * The QR code alone as a PNG, at least `minSizePx` wide, with a 4-module quiet zone: 8-bit greyscale, every row
 * filtered "Up" (PNG filter 2). All but the first pixel row of a module row repeat the row above, so Up leaves
 * almost nothing but zeros to compress. (qrcode's own PNG renderer writes RGBA and tries all five filters on every
 * row: for a Digital Link at 300 px, 11 ms and 3.3 kB against 0.6 ms and 1.6 kB this way, 2026-12-06.)
 */
export function qrPng(uri: string, options: QrPngOptions = {}): Buffer {
  const matrix = qrMatrix(uri, options);
  const minSizePx = positive(options.minSizePx ?? DEFAULT_QR_SIZE_PX, "minSizePx");
  const full = matrix.size + 2 * QUIET_ZONE_MODULES;
  const scale = Math.ceil(minSizePx / full);
  const width = full * scale;
  const format = { colorType: GREYSCALE, inputColorType: GREYSCALE, bitDepth: 8, filterType: PNG_FILTER_UP } as const;
  const image = new PNG({ ...format, width, height: width });
  image.data = greyPixels(matrix, scale, width);
  return PNG.sync.write(image, format);
}

const GREYSCALE = 0;
const PNG_FILTER_UP = 2;

/** One byte per pixel, white (255) with the dark modules black (0), `scale` px per module, quiet zone included. */
function greyPixels(matrix: QrMatrix, scale: number, width: number): Buffer {
  const pixels = Buffer.alloc(width * width, 255);
  for (let row = 0; row < matrix.size; row++) {
    const top = (row + QUIET_ZONE_MODULES) * scale;
    for (let col = 0; col < matrix.size; col++) {
      if (!matrix.isDark(row, col)) continue;
      const left = (col + QUIET_ZONE_MODULES) * scale;
      for (let y = top; y < top + scale; y++) pixels.fill(0, y * width + left, y * width + left + scale);
    }
  }
  return pixels;
}
