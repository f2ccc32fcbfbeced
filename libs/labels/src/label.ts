import { LABEL_ERRORS, labelError } from "./errors.js";
import { QUIET_ZONE_MODULES, qrMatrix, qrPathData, type QrOptions } from "./qr.js";
import { escapeXml, num } from "./xml.js";

export type LabelStatus = "zero-carbon" | "reduced" | "measured";

export interface BilingualText {
  en: string;
  zh: string;
}

/** What a packaging label shows for one product lot. */
export interface LabelContent {
  /** The lot's GS1 Digital Link URI, e.g. https://example.com/01/09506000134352/10/LOT-42 */
  uri: string;
  productName: BilingualText;
  /** Already formatted by the caller (e.g. "1.48"); printed as "<value> kg CO2e / unit" (or "/ kg", see `per`). */
  footprintPerUnitKg: string;
  /** What the figure is for: one unit (default) or one kilogram of a lot counted by mass. */
  per?: "unit" | "kg";
  status: LabelStatus;
  /** Overrides the standard status wording. */
  statusText?: BilingualText;
}

export type LabelOptions = QrOptions;

export const STATUS_TEXT: Readonly<Record<LabelStatus, BilingualText>> = {
  "zero-carbon": { en: "Zero-carbon", zh: "零碳" },
  reduced: { en: "Reduced", zh: "已减排" },
  measured: { en: "Measured", zh: "已核算" },
};

const STATUS_COLOUR: Readonly<Record<LabelStatus, string>> = {
  "zero-carbon": "#1b7f3b",
  reduced: "#1f5fa8",
  measured: "#56606b",
};

/** The label is 50 × 30 mm; SVG user units are millimetres. */
export const LABEL_WIDTH_MM = 50;
export const LABEL_HEIGHT_MM = 30;
/** Side of the QR code including its quiet zone, in mm. */
export const LABEL_QR_MM = 26;

export const LATIN_FONT_STACK = "'DejaVu Sans', 'Liberation Sans', 'Noto Sans', Arial, Helvetica, sans-serif";
export const CJK_FONT_STACK =
  "'Noto Sans CJK SC', 'Source Han Sans SC', 'Noto Sans SC', 'Noto Sans S Chinese', 'WenQuanYi Micro Hei', " +
  "'Droid Sans Fallback', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/** One run of text with one size and weight (several runs share a baseline). */
export interface TextRun {
  text: string;
  /** mm */
  size: number;
  bold: boolean;
}

/** A line of text, shrunk (never stretched) to fit `maxWidth` mm. */
export interface TextLine {
  x: number;
  y: number;
  runs: TextRun[];
  fill: string;
  maxWidth: number;
  /** Contains Chinese (or other CJK) characters: needs a CJK font. */
  cjk: boolean;
}

/** The label as shapes (already SVG) and lines of text, so SVG and PNG output share one layout. */
export interface LabelLayout {
  title: string;
  shapes: string[];
  lines: TextLine[];
}

export function statusLine(label: Pick<LabelContent, "status" | "statusText">): string {
  const text = label.statusText ?? STATUS_TEXT[label.status];
  return `${text.en} · ${text.zh}`;
}

/** The URI as printed under the QR: without the scheme. */
export function shortUri(uri: string): string {
  return uri.replace(/^https?:\/\//, "");
}

export function layoutLabel(label: LabelContent, options: LabelOptions = {}): LabelLayout {
  checkContent(label);
  const matrix = qrMatrix(label.uri, options);
  const modules = matrix.size + 2 * QUIET_ZONE_MODULES;
  const moduleMm = LABEL_QR_MM / modules;
  const quietMm = QUIET_ZONE_MODULES * moduleMm;
  const colX = LABEL_QR_MM + 1;
  const colWidth = LABEL_WIDTH_MM - colX - 1;
  const status = statusLine(label);
  const shapes = [
    `<rect width="${LABEL_WIDTH_MM}" height="${LABEL_HEIGHT_MM}" fill="#fff"/>`,
    `<path fill="#000" shape-rendering="crispEdges" transform="scale(${num(moduleMm)})"` +
      ` d="${qrPathData(matrix, QUIET_ZONE_MODULES)}"/>`,
    `<rect x="${colX}" y="1.6" width="${colWidth}" height="4.6" rx="0.8" fill="${STATUS_COLOUR[label.status]}"/>`,
  ];
  const lines: TextLine[] = [
    line(colX + 1, 4.7, colWidth - 2, "#fff", [run(status, 2.3, true)]),
    ...nameLines(label.productName, colX, colWidth),
    line(colX, 18.4, colWidth, "#444", [run("Carbon footprint · 碳足迹", 1.7, false)]),
    line(colX, 22.6, colWidth, "#000", [
      run(label.footprintPerUnitKg, 4.2, true),
      run(` kg CO2e / ${label.per ?? "unit"}`, 2.2, false),
    ]),
    line(quietMm, LABEL_QR_MM + 2.4, LABEL_WIDTH_MM - quietMm - 1, "#000", [run(shortUri(label.uri), 1.6, false)]),
  ];
  const title = `${label.productName.en} / ${label.productName.zh}: ${label.footprintPerUnitKg} kg CO2e per ${label.per ?? "unit"}, ${status}`;
  return { title, shapes, lines };
}

/**
 * The printable label as SVG: 50 × 30 mm (width/height in mm, viewBox in mm), QR code with its quiet zone on
 * the left, product name (zh, en), status, footprint per unit and the URI under the QR. Text stays text (fonts
 * from the stacks above, resolved by the viewer or printer driver).
 */
export function labelSvg(label: LabelContent, options: LabelOptions = {}): string {
  const layout = layoutLabel(label, options);
  return svgDocument(layout, layout.lines.map(textElement));
}

export function svgDocument(layout: LabelLayout, texts: string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL_WIDTH_MM}mm" height="${LABEL_HEIGHT_MM}mm"` +
    ` viewBox="0 0 ${LABEL_WIDTH_MM} ${LABEL_HEIGHT_MM}" role="img"><title>${escapeXml(layout.title)}</title>` +
    layout.shapes.join("") +
    texts.join("") +
    `</svg>`
  );
}

/** <text> with the line shrunk by an estimated width (the PNG path measures real glyphs instead). */
function textElement(textLine: TextLine): string {
  const scale = Math.min(1, textLine.maxWidth / estimateWidth(textLine.runs));
  const family = textLine.cjk ? CJK_FONT_STACK : LATIN_FONT_STACK;
  const transform = `translate(${num(textLine.x)} ${num(textLine.y)})${scale < 1 ? ` scale(${num(scale)})` : ""}`;
  const spans = textLine.runs
    .map((r) => `<tspan font-size="${num(r.size)}"${r.bold ? ' font-weight="bold"' : ""}>${escapeXml(r.text)}</tspan>`)
    .join("");
  return (
    `<text transform="${transform}" font-family="${escapeXml(family)}" fill="${textLine.fill}"` +
    ` xml:space="preserve">${spans}</text>`
  );
}

/** Conservative advance estimate: CJK ideographs are 1 em, Latin sans at most ~0.62 em (bold ~0.7). */
export function estimateWidth(runs: readonly TextRun[]): number {
  let width = 0;
  for (const r of runs) {
    for (const ch of r.text) width += r.size * (isCjk(ch) ? 1 : ch === " " ? 0.32 : r.bold ? 0.7 : 0.62);
  }
  return width;
}

/** CJK ideographs, kana, hangul, CJK punctuation and full-width forms: they need a CJK font. */
const CJK = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/gu;

/** Whether the text has any character that needs a CJK font. */
export function isCjk(text: string): boolean {
  CJK.lastIndex = 0;
  return CJK.test(text);
}

export function stripCjk(text: string): string {
  return text.replace(CJK, "");
}

/**
 * The product name in the band between the status and the footprint (y 7–16.5 mm): the Chinese name, then the
 * English one, each on one line at its full size when it fits. A name that would shrink below 70 % of that size
 * wraps to two lines instead (at 80 % of it), so that it stays readable; one that is the same in both languages
 * (no registered name: "GTIN …") is printed once.
 */
function nameLines(name: BilingualText, x: number, width: number): TextLine[] {
  const zh = fitOrWrap(name.zh, 3.1, true, width);
  const en = name.en === name.zh ? [] : fitOrWrap(name.en, 2.4, false, width);
  const sizeOf = (lines: TextRun[][]): number => lines.reduce((sum, runs) => sum + (runs[0]?.size ?? 0) * 1.15, 0);
  // Baselines from the top of the band, each line its own size apart; what does not fit the band shrinks as a whole.
  const total = sizeOf(zh) + sizeOf(en);
  const shrink = Math.min(1, 9.5 / total);
  const placed: TextLine[] = [];
  let y = 7;
  for (const runs of [...zh, ...en]) {
    const scaled = runs.map((r) => ({ ...r, size: r.size * shrink }));
    y += (scaled[0]?.size ?? 0) * 1.15;
    placed.push(line(x, y - (scaled[0]?.size ?? 0) * 0.2, width, "#000", scaled));
  }
  return placed;
}

const MIN_SCALE = 0.7;
const WRAPPED_SCALE = 0.8;

function fitOrWrap(text: string, size: number, bold: boolean, width: number): TextRun[][] {
  if (width / estimateWidth([run(text, size, bold)]) >= MIN_SCALE) return [[run(text, size, bold)]];
  const wrappedSize = size * WRAPPED_SCALE;
  const [first, second] = splitForTwoLines(text);
  // A Latin name without a space to break at (a GTIN, a code) stays whole on one line, shrunk.
  if (second === "" || (!isCjk(text) && !text.slice(first.length).startsWith(" "))) return [[run(text, size, bold)]];
  return second === ""
    ? [[run(first, wrappedSize, bold)]]
    : [[run(first, wrappedSize, bold)], [run(second, wrappedSize, bold)]];
}

/** Two halves of about equal width, broken at a space when there is one near the middle, else between characters. */
export function splitForTwoLines(text: string): [string, string] {
  const graphemes = [...new Intl.Segmenter().segment(text)].map((g) => g.segment);
  const half = estimateWidth([run(text, 1, false)]) / 2;
  let width = 0;
  let end = 0;
  let cut = text.length;
  for (const grapheme of graphemes) {
    width += estimateWidth([run(grapheme, 1, false)]);
    end += grapheme.length;
    if (width >= half) {
      cut = end;
      break;
    }
  }
  // The space nearest the middle, unless it leaves one line with under a quarter of the text.
  const spaces = [...text.matchAll(/ /g)]
    .map((m) => m.index)
    .filter((i) => i > text.length / 4 && i < (text.length * 3) / 4);
  const nearest = spaces.sort((a, b) => Math.abs(a - cut) - Math.abs(b - cut))[0];
  const breakAt = nearest ?? cut;
  return [text.slice(0, breakAt).trim(), text.slice(breakAt).trim()];
}

function run(text: string, size: number, bold: boolean): TextRun {
  return { text, size, bold };
}

function line(x: number, y: number, maxWidth: number, fill: string, runs: TextRun[]): TextLine {
  return { x, y, maxWidth, fill, runs, cjk: runs.some((r) => isCjk(r.text)) };
}

function checkContent(label: LabelContent): void {
  if (!Object.hasOwn(STATUS_TEXT, label.status)) {
    throw labelError(LABEL_ERRORS.statusInvalid, "Status must be zero-carbon, reduced or measured", {
      status: label.status,
    });
  }
  const texts = [label.productName.en, label.productName.zh, label.footprintPerUnitKg];
  if (label.statusText) texts.push(label.statusText.en, label.statusText.zh);
  if (texts.some((t) => typeof t !== "string")) {
    throw labelError(LABEL_ERRORS.optionInvalid, "Label texts must be strings");
  }
}
