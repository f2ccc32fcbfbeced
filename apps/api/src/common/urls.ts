import type { Request } from "express";
import { lotId } from "#digital-link";
import { HOST_POLICY, type HostPolicy } from "./http-hardening.js";

/**
 * The lot a `/lots/{gtin}/{lot}` route names: its canonical GS1 Digital Link URI (the lot's id, `lotId`). A GTIN
 * of 8, 12 or 13 digits is padded; a wrong check digit is a 400 (DIGITAL_LINK.CHECK_DIGIT).
 */
export function lotIdOf(gtin: string, lot: string): string {
  return lotId(gtin, lot);
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
