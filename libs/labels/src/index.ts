/**
 * Product lot labels: the lot's GS1 Digital Link URI as a QR code (SVG, PNG, terminal) and a printable
 * 50 × 30 mm bilingual packaging label (SVG, PNG) with the product name, footprint per unit and status.
 *
 * A Node adapter, not a pure lib: PNG output runs the native resvg addon over font files read from disk
 * (renderer.ts, fonts.ts, loaded lazily on first use) and pngjs (qr-png.ts). The QR, SVG and terminal layout around
 * them imports none of these, which dependency-cruiser checks (`label-layout-stays-pure`), but this index does not run in a browser.
 */
export { BUNDLED_CJK_FILES } from "./bundled-fonts.js";
export { LABEL_ERRORS } from "./errors.js";
export {
  DEFAULT_QR_SIZE_PX,
  QUIET_ZONE_MODULES,
  qrMatrix,
  qrSvg,
  type ErrorCorrectionLevel,
  type QrMatrix,
  type QrOptions,
  type QrSvgOptions,
} from "./qr.js";
export { qrPng, type QrPngOptions } from "./qr-png.js";
export { qrTerminal, type QrTerminalOptions } from "./terminal.js";
export {
  LABEL_HEIGHT_MM,
  LABEL_WIDTH_MM,
  STATUS_TEXT,
  labelSvg,
  shortUri,
  statusLine,
  type BilingualText,
  type LabelContent,
  type LabelOptions,
  type LabelStatus,
} from "./label.js";
export {
  DEFAULT_LABEL_DPI,
  configureLabelFontDirs,
  configureLabelFonts,
  documentPng,
  labelFonts,
  labelFontsHealth,
  labelPng,
  type FontSet,
  type LabelFonts,
  type LabelPngOptions,
} from "./label-png.js";
