import type { Request } from "express";

/** The lot a `/lots/{gtin}/{lot}` route names: its canonical GS1 Digital Link URI (the lot's id). */
export function lotIdOf(gtin: string, lot: string): string {
  return `https://id.gs1.org/01/${gtin}/10/${encodeURIComponent(lot)}`;
}

/** Scheme and host the request came to (https behind TLS), for absolute links in responses. */
export function baseUrlOf(request: Request): string {
  return `${request.protocol}://${request.get("host") ?? "localhost"}`;
}
