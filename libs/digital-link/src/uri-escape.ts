/**
 * Percent-encoding as gs1-syntax-engine applies it to Digital Link path segments and query values
 * (`URIescape`/`URIunescape` in dl.c): only RFC 3986 unreserved characters stay literal, and `+` means a
 * space in query values but a literal plus in path segments.
 */

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

export type UriComponent = "path" | "query";

export function escapeUriComponent(value: string, component: UriComponent): string {
  let out = "";
  for (const char of value) {
    if (UNRESERVED.test(char)) out += char;
    else if (char === " " && component === "query") out += "+";
    else out += percentEncoded(char);
  }
  return out;
}

function percentEncoded(char: string): string {
  return [...new TextEncoder().encode(char)]
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`)
    .join("");
}

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/**
 * Reverses percent-encoding byte by byte. A `%` not followed by two hex digits stays literal, as upstream.
 * Returns null when the value decodes to a NUL character, which no AI value may contain.
 */
export function unescapeUriComponent(raw: string, component: UriComponent): string | null {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const char = raw.charAt(i);
    const hex = raw.slice(i + 1, i + 3);
    if (char === "%" && HEX_PAIR.test(hex)) {
      const code = parseInt(hex, 16);
      if (code === 0) return null;
      out += String.fromCharCode(code);
      i += 2;
    } else {
      out += char === "+" && component === "query" ? " " : char;
    }
  }
  return out;
}
