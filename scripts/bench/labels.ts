import { labelFonts, labelPng, labelSvg, qrPng, qrSvg, type LabelContent } from "#labels";
import { RPET_GTINS } from "#scenario";
import { progress, round } from "./progress.js";

export interface LabelBench {
  /** Printable 50 × 30 mm labels per second as PNG at 300 dpi (QR code, bilingual text as glyph outlines). */
  readonly perSec: number;
  /** The same label as SVG (text left as text for the printer driver). */
  readonly labelSvgPerSec: number;
  /** The baseline: the lot's Digital Link URI encoded as a QR code alone (SVG). */
  readonly qrSvgPerSec: number;
  /** The QR code alone as PNG (`GET /labels/{gtin}/{lot}.png`, 300 px). */
  readonly qrPngPerSec: number;
  /** The first PNG of the process: loads resvg and scans for fonts. */
  readonly firstPngMs: number;
  readonly pngBytes: number;
  readonly fonts: { readonly latin: string; readonly cjk: string | null };
}

/** Each kind runs for this long (after the first PNG), counting whole renders. */
const RUN_MS = 2_000;

/**
 * Label rendering for a print run: one product, a new lot (so a new URI and footprint figure) on every label,
 * which is the case the outline cache cannot fully serve (product name and status repeat, the URI does not).
 */
export async function measureLabels(): Promise<LabelBench> {
  const started = performance.now();
  const first = await labelPng(labelOf(0));
  const firstPngMs = performance.now() - started;
  const fonts = await labelFonts();
  progress("labels: PNG labels");
  const perSec = await rate(labelPng);
  progress("labels: SVG labels and QR codes");
  const labelSvgPerSec = await rate((label) => labelSvg(label));
  const qrSvgPerSec = await rate((label) => qrSvg(label.uri));
  const qrPngPerSec = await rate((label) => qrPng(label.uri));
  return {
    perSec,
    labelSvgPerSec,
    qrSvgPerSec,
    qrPngPerSec,
    firstPngMs: round(firstPngMs, 0),
    pngBytes: first.length,
    fonts: { latin: fonts.latin.family, cjk: fonts.cjk?.family ?? null },
  };
}

function labelOf(n: number): LabelContent {
  return {
    uri: `https://trace.example.com/01/${RPET_GTINS.boxes}/10/BX${String(240000 + n)}`,
    productName: { zh: "12升再生PET收纳箱", en: "12 L storage box, recycled PET" },
    footprintPerUnitKg: (1.2 + (n % 100) / 1000).toFixed(3),
    status: "reduced",
  };
}

/** Renders per second; `render` may be synchronous (SVG) or not (PNG). */
async function rate(render: (label: LabelContent) => unknown): Promise<number> {
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < RUN_MS) {
    await render(labelOf(++count));
  }
  return round((count / (performance.now() - started)) * 1000);
}
