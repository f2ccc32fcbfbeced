import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { BUNDLED_CJK_FILES } from "./bundled-fonts.js";

/** Font files handed to resvg, split by what they are needed for. */
export interface LabelFonts {
  /** Latin text (URI, numbers, English names). */
  latin: FontSet;
  /** Text with Chinese characters. `undefined` when no CJK font was found: CJK glyphs are then left out. */
  cjk: FontSet | undefined;
  /** No known font file was found: resvg scans the system itself (`loadSystemFonts`) for every new string. */
  systemScan: boolean;
}

export interface FontSet {
  family: string;
  files: string[];
  /** Shipped with CarbonTrace (an npm package), not found on the machine. */
  bundled?: boolean;
}

/**
 * Noto Sans SC (Adobe/Google, SIL Open Font License 1.1), cut to GB 2312 (every character of everyday Simplified
 * Chinese), from the npm package @embedpdf/fonts-sc: what draws Chinese on labels and generated evidence pictures
 * on a machine without a CJK font of its own, so that a name is never printed, or anchored, without its characters.
 */
export function bundledCjkFonts(): FontSet | undefined {
  try {
    const folder = join(dirname(createRequire(import.meta.url).resolve("@embedpdf/fonts-sc")), "..", "fonts");
    const files = BUNDLED_CJK_FILES.map((name) => join(folder, name));
    return files.every((file) => existsSync(file))
      ? { family: "Noto Sans S Chinese", files, bundled: true }
      : undefined;
  } catch {
    return undefined;
  }
}

interface Candidate {
  family: string;
  regular: string;
  bold?: string;
}

/** Preferred files by name, best first; Debian/Ubuntu package names in comments. */
const CJK_CANDIDATES: readonly Candidate[] = [
  { family: "Noto Sans CJK SC", regular: "NotoSansCJK-Regular.ttc", bold: "NotoSansCJK-Bold.ttc" }, // fonts-noto-cjk
  { family: "Noto Sans CJK SC", regular: "NotoSansCJKsc-Regular.otf", bold: "NotoSansCJKsc-Bold.otf" },
  { family: "Source Han Sans SC", regular: "SourceHanSansSC-Regular.otf", bold: "SourceHanSansSC-Bold.otf" },
  { family: "Noto Sans SC", regular: "NotoSansSC-Regular.otf", bold: "NotoSansSC-Bold.otf" },
  { family: "WenQuanYi Micro Hei", regular: "wqy-microhei.ttc" }, // fonts-wqy-microhei
  { family: "WenQuanYi Zen Hei", regular: "wqy-zenhei.ttc" }, // fonts-wqy-zenhei
  { family: "Droid Sans Fallback", regular: "DroidSansFallbackFull.ttf" }, // fonts-droid-fallback
  { family: "Microsoft YaHei", regular: "msyh.ttc", bold: "msyhbd.ttc" },
];

const LATIN_CANDIDATES: readonly Candidate[] = [
  { family: "DejaVu Sans", regular: "DejaVuSans.ttf", bold: "DejaVuSans-Bold.ttf" }, // fonts-dejavu-core
  { family: "Liberation Sans", regular: "LiberationSans-Regular.ttf", bold: "LiberationSans-Bold.ttf" },
  { family: "Noto Sans", regular: "NotoSans-Regular.ttf", bold: "NotoSans-Bold.ttf" },
  { family: "Arial", regular: "arial.ttf", bold: "arialbd.ttf" },
];

export function defaultFontDirs(): string[] {
  const home = homedir();
  return [
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    join(home, ".local/share/fonts"),
    join(home, ".fonts"),
    "/System/Library/Fonts",
    "/Library/Fonts",
    join(home, "Library/Fonts"),
    "C:\\Windows\\Fonts",
  ];
}

/**
 * Finds label fonts by file name under the usual font directories (one directory walk, a few ms). Only the
 * few files a label needs are then loaded by resvg, instead of every system font for every render. Without a CJK
 * font on the machine, the bundled Noto Sans SC is used (also for Latin text when the machine has no font at all).
 */
export function discoverFonts(dirs: readonly string[] = defaultFontDirs()): LabelFonts {
  const byName = new Map<string, string>();
  for (const dir of dirs) {
    let entries: string[];
    try {
      entries = readdirSync(dir, { recursive: true, encoding: "utf8" });
    } catch {
      continue; // absent on this platform
    }
    for (const entry of entries) {
      const key = basename(entry).toLowerCase();
      if (!byName.has(key)) byName.set(key, join(dir, entry));
    }
  }
  const found = fontsFrom((name) => byName.get(name.toLowerCase()));
  const bundled = found.cjk === undefined ? bundledCjkFonts() : undefined;
  if (bundled === undefined) return found;
  return { latin: found.systemScan ? bundled : found.latin, cjk: bundled, systemScan: false };
}

/** Label fonts from explicit files (e.g. fonts shipped with an app); family names are read by resvg. */
export function fontsFromFiles(files: readonly string[]): LabelFonts {
  const byName = new Map(files.map((f) => [basename(f).toLowerCase(), f]));
  const fonts = fontsFrom((name) => byName.get(name.toLowerCase()));
  if (!fonts.systemScan || files.length === 0) return fonts;
  // Unknown files: hand them all over and let resvg pick by the family stacks.
  return { latin: { family: "", files: [...files] }, cjk: { family: "", files: [...files] }, systemScan: false };
}

function fontsFrom(find: (name: string) => string | undefined): LabelFonts {
  const pick = (candidates: readonly Candidate[]): FontSet | undefined => {
    for (const c of candidates) {
      const regular = find(c.regular);
      if (regular === undefined) continue;
      const bold = c.bold === undefined ? undefined : find(c.bold);
      return { family: c.family, files: bold === undefined ? [regular] : [regular, bold] };
    }
    return undefined;
  };
  const cjk = pick(CJK_CANDIDATES);
  const latin = pick(LATIN_CANDIDATES) ?? cjk;
  if (latin === undefined) return { latin: { family: "", files: [] }, cjk: undefined, systemScan: true };
  return { latin, cjk, systemScan: false };
}
