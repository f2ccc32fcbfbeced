import { QUIET_ZONE_MODULES, qrMatrix, type QrOptions } from "./qr.js";

export interface QrTerminalOptions extends QrOptions {
  /**
   * The terminal draws light text on a dark background (the usual case, default true): light modules and the
   * quiet zone are printed as blocks, like `qrencode -t UTF8`. Set false for dark-on-light terminals.
   */
  darkBackground?: boolean;
}

/**
 * The QR code as lines of Unicode half blocks (two module rows per line) with a 4-module quiet zone, for a
 * terminal. Every line has the same width; lines end with "\n".
 */
export function qrTerminal(uri: string, options: QrTerminalOptions = {}): string {
  const matrix = qrMatrix(uri, options);
  const full = matrix.size + 2 * QUIET_ZONE_MODULES;
  const inkIsLight = options.darkBackground ?? true;
  const inked = (row: number, col: number): boolean => {
    if (row >= full) return false; // below the symbol: the terminal's own background
    const r = row - QUIET_ZONE_MODULES;
    const c = col - QUIET_ZONE_MODULES;
    const dark = r >= 0 && c >= 0 && r < matrix.size && c < matrix.size && matrix.isDark(r, c);
    return dark !== inkIsLight;
  };
  let out = "";
  for (let row = 0; row < full; row += 2) {
    for (let col = 0; col < full; col++) {
      const top = inked(row, col);
      const bottom = inked(row + 1, col);
      out += top ? (bottom ? "█" : "▀") : bottom ? "▄" : " ";
    }
    out += "\n";
  }
  return out;
}
