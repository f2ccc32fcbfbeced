import { parse, serialize } from "cookie";
import type { Request, Response } from "express";
import type { Config } from "#config";

/** The console session's cookie: HttpOnly (no script reads it), SameSite=Strict, for the whole site. */
export const SESSION_COOKIE = "ct_session";

export function sessionCookieOf(request: Request): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  return parse(header)[SESSION_COOKIE];
}

export function setSessionCookie(
  response: Response,
  request: Request,
  config: Config,
  token: string,
  expiresAt: Date,
): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  response.append("set-cookie", serialize(SESSION_COOKIE, token, { ...attributes(request, config), maxAge }));
}

export function clearSessionCookie(response: Response, request: Request, config: Config): void {
  response.append("set-cookie", serialize(SESSION_COOKIE, "", { ...attributes(request, config), maxAge: 0 }));
}

/** Secure whenever the site is served over HTTPS (TLS here, or an https PUBLIC_BASE_URL in front). */
function attributes(request: Request, config: Config) {
  const secure = request.secure || config.tls !== undefined || (config.public.baseUrl?.startsWith("https:") ?? false);
  return { httpOnly: true, sameSite: "strict" as const, path: "/", secure };
}
