import { networkInterfaces } from "node:os";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { DomainError } from "#common";
import type { Config } from "#config";

/** Where the Express app keeps its HostPolicy (read by `baseUrlOf`). */
export const HOST_POLICY = "carbontrace.hostPolicy";

/**
 * Which base URL the service prints into QR codes, bundles and links. With PUBLIC_BASE_URL, always that one.
 * Without it, the host a request names is used only if it is this machine (a loopback name or address, one of its
 * interface addresses, or HOST): a `Host: evil.example` header never ends up in a label or a proof bundle.
 */
export class HostPolicy {
  private readonly local: ReadonlySet<string>;

  constructor(private readonly config: Pick<Config, "host" | "public" | "tls">) {
    const addresses = Object.values(networkInterfaces())
      .flat()
      .map((entry) => entry?.address)
      .filter((address): address is string => address !== undefined);
    this.local = new Set(
      ["localhost", "127.0.0.1", "::1", config.host, ...addresses].map((host) => host.toLowerCase()),
    );
  }

  baseUrlOf(request: Request): string {
    if (this.config.public.baseUrl !== undefined) return this.config.public.baseUrl;
    const header = request.get("host") ?? "";
    const hostname = hostnameOf(header);
    if (hostname === undefined || !this.allowed(hostname)) {
      throw new DomainError(
        "HTTP.HOST_NOT_ALLOWED",
        "invalid",
        `The Host header "${header.slice(0, 100)}" is not this service's address: links and QR codes are only ` +
          "printed for a configured host (set PUBLIC_BASE_URL to the address clients use)",
        { host: header.slice(0, 100) },
      );
    }
    return `${request.protocol}://${header}`;
  }

  private allowed(hostname: string): boolean {
    const name = hostname.toLowerCase();
    return this.local.has(name) || name.endsWith(".localhost");
  }
}

/** The host name of a Host header (`name`, `name:port`, `[v6]:port`), or undefined if it is not one. */
function hostnameOf(header: string): string | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::\d{1,5})?$/.exec(header);
  return match?.[1] ?? match?.[2];
}

/** The CSP of JSON and other non-page answers: nothing may be loaded or framed from them. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/** Swagger UI at /docs: its own scripts, styles and images, nothing else. */
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/**
 * Security headers on every answer (a route that serves a page sets its own, stricter CSP): no sniffing, no
 * framing, no referrer, a restrictive CSP, and HSTS when the API serves HTTPS.
 */
export function securityHeaders(config: Pick<Config, "tls">): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Content-Security-Policy", request.path.startsWith("/docs") ? DOCS_CSP : API_CSP);
    if (config.tls !== undefined) {
      response.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    }
    next();
  };
}
