/**
 * The weights of @embedpdf/fonts-sc that labels draw with (fonts.ts). `npm install` deletes the package's other
 * weights (scripts/prune-install.ts, whose spec checks the two lists against each other).
 */
export const BUNDLED_CJK_FILES: readonly string[] = ["NotoSansHans-Regular.otf", "NotoSansHans-Bold.otf"];
