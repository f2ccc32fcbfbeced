import { DomainError } from "#common";

/** Evidence files we accept: photos and scans of documents, PDFs, and meter exports as text, CSV or JSON. */
export const EVIDENCE_MEDIA_TYPES = [
  "image/jpeg",
  "image/png",
  "image/webp",
  "application/pdf",
  "text/plain",
  "text/csv",
  "application/json",
] as const;
export type EvidenceMediaType = (typeof EVIDENCE_MEDIA_TYPES)[number];

const TEXT_TYPES = new Set<string>(["text/plain", "text/csv", "application/json"]);

/** What the bytes are, judged by their signature (binary formats) or by being clean UTF-8 text. */
export function sniff(
  bytes: Uint8Array,
): "image/jpeg" | "image/png" | "image/webp" | "application/pdf" | "text" | undefined {
  const starts = (...prefix: number[]): boolean => prefix.every((byte, i) => bytes[i] === byte);
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.slice(8, 12)) === "WEBP") return "image/webp";
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return "application/pdf";
  return isText(bytes) ? "text" : undefined;
}

/**
 * The media type to store: the declared one if the bytes agree with it, or the sniffed one if nothing (or only
 * application/octet-stream) was declared. A declared type the bytes contradict is refused: evidence must be
 * what it says it is.
 */
export function checkMediaType(declared: string | undefined, bytes: Uint8Array): EvidenceMediaType {
  const type = declared?.split(";", 1)[0]?.trim().toLowerCase();
  const actual = sniff(bytes);
  if (type === undefined || type === "" || type === "application/octet-stream") {
    if (actual === undefined) throw unsupported("unrecognised content");
    return actual === "text" ? "text/plain" : actual;
  }
  if (!(EVIDENCE_MEDIA_TYPES as readonly string[]).includes(type)) throw unsupported(type);
  const agrees = TEXT_TYPES.has(type)
    ? actual === "text" && (type !== "application/json" || isJson(bytes))
    : actual === type;
  if (!agrees) {
    throw new DomainError(
      "EVIDENCE.MEDIA_TYPE_MISMATCH",
      "unsupported-media-type",
      `The file is declared as ${type} but its content is ${actual ?? "something else"}`,
      { declared: type, detected: actual ?? null },
    );
  }
  return type as EvidenceMediaType;
}

function unsupported(what: string): DomainError {
  return new DomainError(
    "EVIDENCE.UNSUPPORTED_MEDIA_TYPE",
    "unsupported-media-type",
    `Evidence of type ${what} is not accepted; accepted: ${EVIDENCE_MEDIA_TYPES.join(", ")}`,
    { accepted: EVIDENCE_MEDIA_TYPES },
  );
}

function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function isJson(bytes: Uint8Array): boolean {
  try {
    JSON.parse(new TextDecoder().decode(bytes));
    return true;
  } catch {
    return false;
  }
}
