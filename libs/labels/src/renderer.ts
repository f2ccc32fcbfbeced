// Loaded on first PNG render only (see label-png.ts): the native resvg addon and the font scan stay out of
// SVG-only and terminal use (a CLI printing a QR code does not pay for them).
import { Resvg, type ResvgRenderOptions } from "@resvg/resvg-js";
import { discoverFonts, fontsFromFiles, type LabelFonts } from "./fonts.js";
import { CJK_FONT_STACK, LATIN_FONT_STACK, stripCjk, type TextLine, type TextRun } from "./label.js";
import { escapeXml, num } from "./xml.js";

/** Glyph outlines of one line, laid out from its origin (the start of the baseline), in mm. */
interface Outline {
  d: string;
  /** Right-most ink extent from the origin, mm. */
  width: number;
}

/** Text is outlined at 10× its size and scaled back, so the 7 significant digits resvg prints stay sharp. */
const OUTLINE_SCALE = 10;
const OUTLINE_CACHE_MAX = 2000;

let fonts: LabelFonts | undefined;
const outlines = new Map<string, Outline>();

/** Which fonts label PNGs use; resolved once per process (or after `useFontFiles`). */
export function labelFonts(): LabelFonts {
  fonts ??= discoverFonts();
  return fonts;
}

/** Replaces the discovered fonts (undefined: discover again) and forgets cached outlines. */
export function useFontFiles(files: readonly string[] | undefined): LabelFonts {
  fonts = files === undefined ? discoverFonts() : fontsFromFiles(files);
  outlines.clear();
  return fonts;
}

/** Discovers fonts under these folders instead of the usual ones, and forgets cached outlines. */
export function useFontDirs(dirs: readonly string[]): LabelFonts {
  fonts = discoverFonts(dirs);
  outlines.clear();
  return fonts;
}

/** A label SVG whose text is already glyph outlines: resvg renders it without loading any font. */
export function textAsPaths(textLine: TextLine): string {
  const { d, width } = outline(textLine);
  if (d === "") return "";
  const scale = Math.min(1, textLine.maxWidth / width) / OUTLINE_SCALE;
  return `<path transform="translate(${num(textLine.x)} ${num(textLine.y)}) scale(${num(scale)})" fill="${textLine.fill}" d="${d}"/>`;
}

export function renderPng(svg: string, widthPx: number): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: "width", value: widthPx },
    font: { loadSystemFonts: false },
    logLevel: "error",
  });
  return resvg.render().asPng();
}

export function renderDocumentPng(svg: string, widthPx: number): Buffer {
  const { latin, cjk, systemScan } = labelFonts();
  const resvg = new Resvg(svg, {
    fitTo: { mode: "width", value: widthPx },
    font: systemScan
      ? { loadSystemFonts: true }
      : {
          loadSystemFonts: false,
          fontFiles: [...latin.files, ...(cjk?.files ?? [])],
          ...(latin.family === "" ? {} : { defaultFontFamily: latin.family, sansSerifFamily: latin.family }),
        },
    logLevel: "error",
  });
  return resvg.render().asPng();
}

/**
 * Outlines are cached per text and style: product names and status words repeat across lots, so the costly
 * part (resvg parsing a 20 MB CJK font, ~20–35 ms per text element) is paid once per distinct string.
 */
function outline(textLine: TextLine): Outline {
  const key = JSON.stringify([textLine.cjk, textLine.runs]);
  const hit = outlines.get(key);
  if (hit !== undefined) return hit;
  const made = makeOutline(textLine.runs, textLine.cjk);
  if (outlines.size >= OUTLINE_CACHE_MAX) {
    const oldest = outlines.keys().next();
    if (oldest.done !== true) outlines.delete(oldest.value);
  }
  outlines.set(key, made);
  return made;
}

function makeOutline(original: readonly TextRun[], cjk: boolean): Outline {
  const { latin, cjk: cjkSet, systemScan } = labelFonts();
  // No CJK font: leave Chinese out rather than print tofu boxes ("Reduced · 已减排" → "Reduced").
  const runs = cjk && cjkSet === undefined && !systemScan ? withoutCjk(original) : original;
  const set = cjk && cjkSet !== undefined ? cjkSet : latin;
  const stack = cjk ? CJK_FONT_STACK : LATIN_FONT_STACK;
  const family = set.family === "" ? stack : `'${set.family}', ${stack}`;
  // CJK lines also get the Latin files, as a fallback for glyphs the CJK font lacks.
  const files = set === latin ? latin.files : [...new Set([...set.files, ...latin.files])];
  const font: ResvgRenderOptions["font"] = systemScan
    ? { loadSystemFonts: true }
    : { loadSystemFonts: false, fontFiles: files, ...(set.family === "" ? {} : { defaultFontFamily: set.family }) };
  const spans = runs
    .map(
      (r) =>
        `<tspan font-size="${num(r.size * OUTLINE_SCALE)}"${r.bold ? ' font-weight="bold"' : ""}>${escapeXml(r.text)}</tspan>`,
    )
    .join("");
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><text x="0" y="0" font-family="${escapeXml(family)}"` +
    ` xml:space="preserve">${spans}</text></svg>`;
  // logLevel off: a glyph missing from every font (CJK without a CJK font) is left out silently, by design.
  const tree = new Resvg(svg, { font, logLevel: "off" }).toString();
  const paths = [...tree.matchAll(/ d="([^"]*)"/g)].map((m) => m[1] ?? "");
  const d = paths.join(" ");
  return { d, width: Math.max(maxX(d), 1) / OUTLINE_SCALE };
}

function withoutCjk(runs: readonly TextRun[]): TextRun[] {
  const stripped = runs.map((r) => ({ ...r, text: stripCjk(r.text) }));
  const first = stripped[0];
  const last = stripped.at(-1);
  if (first) first.text = first.text.replace(/^[\s·/]+/u, "");
  if (last) last.text = last.text.replace(/[\s·/]+$/u, "");
  return stripped;
}

/** usvg writes absolute M/L/C/Q/Z commands, so the numbers alternate x, y. */
function maxX(d: string): number {
  const numbers = d.match(/-?\d*\.?\d+(?:e[-+]?\d+)?/gi) ?? [];
  let max = 0;
  for (let i = 0; i < numbers.length; i += 2) max = Math.max(max, Number(numbers[i]));
  return max;
}
