import { LABEL_WIDTH_MM, layoutLabel, svgDocument, type LabelContent, type LabelOptions } from "./label.js";
import { positive } from "./qr.js";
import type { LabelFonts } from "./fonts.js";
import type * as RendererModule from "./renderer.js";

export type { LabelFonts, FontSet } from "./fonts.js";

export interface LabelPngOptions extends LabelOptions {
  /** Print resolution; default 300 dpi → 591 × 355 px for the 50 × 30 mm label. */
  dpi?: number;
}

export const DEFAULT_LABEL_DPI = 300;

type Renderer = typeof RendererModule;
let renderer: Promise<Renderer> | undefined;

/** The native resvg addon and the font scan load once, on first use, and never for SVG-only callers. */
function loadRenderer(): Promise<Renderer> {
  renderer ??= import("./renderer.js");
  return renderer;
}

/**
 * The label as a PNG (rendered by resvg). Text is drawn from real fonts found once per process: a CJK font
 * (Noto Sans CJK from Debian's fonts-noto-cjk, or Source Han Sans, WenQuanYi, Droid Sans Fallback …, else the
 * Noto Sans SC shipped with CarbonTrace) and a Latin one (DejaVu Sans, Liberation Sans …). Only when fonts are
 * configured by hand without a CJK one are Chinese characters left out (the Latin text and the QR code still
 * render; see `labelFonts()`). Glyph outlines are cached per distinct string, so repeated products render in a
 * few ms.
 */
export async function labelPng(label: LabelContent, options: LabelPngOptions = {}): Promise<Buffer> {
  const dpi = positive(options.dpi ?? DEFAULT_LABEL_DPI, "dpi");
  const layout = layoutLabel(label, options);
  const { textAsPaths, renderPng } = await loadRenderer();
  const svg = svgDocument(layout, layout.lines.map(textAsPaths));
  return renderPng(svg, Math.round((LABEL_WIDTH_MM / 25.4) * dpi));
}

/** The fonts label PNGs use on this machine (found by file name under the usual font directories). */
export async function labelFonts(): Promise<LabelFonts> {
  return (await loadRenderer()).labelFonts();
}

/**
 * Uses these font files instead of the discovered ones (e.g. fonts shipped with the app); `undefined` goes
 * back to discovery. Clears the outline cache.
 */
export async function configureLabelFonts(fontFiles: readonly string[] | undefined): Promise<LabelFonts> {
  return (await loadRenderer()).useFontFiles(fontFiles);
}

/** Discovers fonts under these folders instead of the usual ones (tests: a machine without fonts is `[]`). */
export async function configureLabelFontDirs(dirs: readonly string[]): Promise<LabelFonts> {
  return (await loadRenderer()).useFontDirs(dirs);
}

/**
 * Whether labels and generated pictures can draw Chinese, for /health: `ok` with the font (the machine's, or the
 * bundled one), `degraded` when Chinese would be left out (a broken install, or fonts configured without one).
 */
export async function labelFontsHealth(): Promise<{ status: "ok" | "degraded"; detail: string }> {
  const fonts = await labelFonts();
  if (fonts.cjk === undefined) {
    return {
      status: "degraded",
      detail: "no CJK font: Chinese names on labels and generated evidence pictures would be left out",
    };
  }
  const where = fonts.cjk.bundled === true ? "shipped with CarbonTrace (@embedpdf/fonts-sc)" : "on this machine";
  return {
    status: "ok",
    detail: `Chinese drawn with ${fonts.cjk.family} (${where}), Latin with ${fonts.latin.family}`,
  };
}

/**
 * Any SVG with `<text>` (e.g. a generated document) as a PNG `widthPx` wide, drawn with the label fonts: the
 * Latin set first, the CJK set as fallback. Slower than labels (each render loads the font files), so it is
 * meant for occasional documents, not for label runs.
 */
export async function documentPng(svg: string, widthPx: number): Promise<Buffer> {
  const { renderDocumentPng } = await loadRenderer();
  return renderDocumentPng(svg, positive(widthPx, "widthPx"));
}
