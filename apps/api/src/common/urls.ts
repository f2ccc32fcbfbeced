import type { Request } from "express";
import { HOST_POLICY, type HostPolicy } from "./http-hardening.js";

/** The lot a `/lots/{gtin}/{lot}` route names: its canonical GS1 Digital Link URI (the lot's id). */
export function lotIdOf(gtin: string, lot: string): string {
  return `https://id.gs1.org/01/${gtin}/10/${encodeURIComponent(lot)}`;
}

/**
 * The base URL of absolute links in responses: PUBLIC_BASE_URL, else the scheme and host the request came to if
 * that host is this service's (HTTP.HOST_NOT_ALLOWED otherwise).
 */
export function baseUrlOf(request: Request): string {
  const policy = request.app.get(HOST_POLICY) as HostPolicy | undefined;
  if (policy === undefined) throw new Error("the app has no HostPolicy");
  return policy.baseUrlOf(request);
}
