/** Escapes text for XML content and double-quoted attribute values; drops control characters XML forbids. */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- removing exactly the characters XML 1.0 cannot carry
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
      .replace(/[<>&"']/g, (c) => XML_ENTITIES[c] ?? c)
  );
}

const XML_ENTITIES: Readonly<Record<string, string>> = {
  "<": "&lt;",
  ">": "&gt;",
  "&": "&amp;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Trims a number for SVG output: 4 decimals are far below a printer dot at label sizes. */
export function num(value: number): string {
  return String(Math.round(value * 10_000) / 10_000);
}
