import QRCode from "qrcode";
import { LABEL_ERRORS, labelError } from "./errors.js";
import { escapeXml } from "./xml.js";

/** M is the floor: a printed label gets scuffed; Q and H trade capacity for more damage tolerance. */
export type ErrorCorrectionLevel = "M" | "Q" | "H";

/** The quiet zone, in modules, on every side (ISO/IEC 18004 asks for 4). */
export const QUIET_ZONE_MODULES = 4;

export const DEFAULT_QR_SIZE_PX = 300;

export interface QrOptions {
  /** Default "M". */
  errorCorrectionLevel?: ErrorCorrectionLevel;
}

export interface QrSvgOptions extends QrOptions {
  /** width and height attributes, in px; the SVG is a vector and scales freely. Default 300. */
  sizePx?: number;
  /** Accessible name (<title>). Default "QR code: <uri>". */
  title?: string;
}

/** The symbol as a square of dark (true) and light modules, without the quiet zone. */
export interface QrMatrix {
  readonly size: number;
  readonly version: number;
  readonly errorCorrectionLevel: ErrorCorrectionLevel;
  isDark(row: number, col: number): boolean;
}

const LEVEL_BY_BIT: Readonly<Record<number, ErrorCorrectionLevel | "L">> = { 0: "M", 1: "L", 2: "H", 3: "Q" };

/** Encodes a URI (byte mode) into a QR matrix. */
export function qrMatrix(uri: string, options: QrOptions = {}): QrMatrix {
  const level = checkLevel(options.errorCorrectionLevel ?? "M");
  checkUri(uri);
  let qr: QRCode.QRCode;
  try {
    qr = QRCode.create(uri, { errorCorrectionLevel: level });
  } catch (error) {
    throw labelError(
      LABEL_ERRORS.uriTooLong,
      "The URI does not fit in a QR code",
      { length: uri.length, level },
      error,
    );
  }
  const { size, data } = qr.modules;
  const actual = LEVEL_BY_BIT[qr.errorCorrectionLevel.bit];
  if (actual !== level) throw new Error(`qrcode encoded level ${String(actual)} instead of ${level}`);
  return {
    size,
    version: qr.version,
    errorCorrectionLevel: level,
    isDark: (row, col) => data[row * size + col] === 1,
  };
}

/** The QR code alone as a crisp, accessible SVG (with a 4-module quiet zone on a white background). */
export function qrSvg(uri: string, options: QrSvgOptions = {}): string {
  const matrix = qrMatrix(uri, options);
  const sizePx = positive(options.sizePx ?? DEFAULT_QR_SIZE_PX, "sizePx");
  const full = matrix.size + 2 * QUIET_ZONE_MODULES;
  const title = escapeXml(options.title ?? `QR code: ${uri}`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" width="${sizePx}" height="${sizePx}"` +
    ` shape-rendering="crispEdges" role="img"><title>${title}</title>` +
    `<rect width="${full}" height="${full}" fill="#fff"/>` +
    `<path fill="#000" d="${qrPathData(matrix, QUIET_ZONE_MODULES)}"/></svg>`
  );
}

/**
 * Dark modules as one path in module units, one rectangle per horizontal run, offset by `offset` modules.
 * Shared by the QR-only SVG and the label.
 */
export function qrPathData(matrix: QrMatrix, offset: number): string {
  const parts: string[] = [];
  for (let row = 0; row < matrix.size; row++) {
    let col = 0;
    while (col < matrix.size) {
      if (!matrix.isDark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < matrix.size && matrix.isDark(row, col)) col++;
      parts.push(`M${start + offset} ${row + offset}h${col - start}v1h-${col - start}z`);
    }
  }
  return parts.join("");
}

export function checkLevel(level: unknown): ErrorCorrectionLevel {
  if (level === "M" || level === "Q" || level === "H") return level;
  throw labelError(LABEL_ERRORS.errorCorrectionInvalid, "Error correction must be M, Q or H", { level });
}

function checkUri(uri: unknown): asserts uri is string {
  if (typeof uri !== "string" || !/^https?:\/\/\S+$/.test(uri)) {
    throw labelError(LABEL_ERRORS.uriInvalid, "The label URI must be an absolute http(s) URI without spaces", {
      uri,
    });
  }
}

export function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw labelError(LABEL_ERRORS.optionInvalid, `${name} must be a positive number`, { [name]: value });
  }
  return value;
}
