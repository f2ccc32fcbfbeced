import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { DomainError } from "#common";

/**
 * Calls to addresses that participants name (PACT callbacks): https only, to public addresses only. A hostname
 * is resolved and every address it resolves to is checked, and the connection goes to the address that was
 * checked (the lookup hook), so DNS cannot swap in a private address between the check and the call. Origins in
 * the allow list (PACT_CALLBACK_ALLOW: tests, private deployments) may be http and private. Redirects are never
 * followed.
 */
export class OutboundPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(allow: readonly string[]) {
    this.allowed = new Set(allow);
  }

  /** Throws OUTBOUND.NOT_ALLOWED unless `target` may be called (scheme and literal address; names at call time). */
  check(target: string): URL {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw notAllowed(target, "it is not a URL");
    }
    if (this.allowed.has(url.origin)) return url;
    if (url.protocol !== "https:") throw notAllowed(target, "only https is allowed");
    if (url.username !== "" || url.password !== "") throw notAllowed(target, "credentials in the URL are not allowed");
    const literal = hostAddress(url);
    if (literal !== undefined && !isPublicAddress(literal)) {
      throw notAllowed(target, `${literal} is not a public address`);
    }
    return url;
  }

  /** Resolves the host now and refuses names that resolve to a non-public address (registration-time check). */
  async checkResolved(target: string): Promise<URL> {
    const url = this.check(target);
    if (this.allowed.has(url.origin) || hostAddress(url) !== undefined) return url;
    const addresses = await resolveAll(url.hostname).catch((error: unknown) => {
      throw notAllowed(target, `${url.hostname} does not resolve (${String(error)})`);
    });
    const bad = addresses.find((address) => !isPublicAddress(address.address));
    if (bad !== undefined) throw notAllowed(target, `${url.hostname} resolves to ${bad.address}, not a public address`);
    return url;
  }

  /** A fetch-like call through the policy: checks the URL, pins the checked address, never follows redirects. */
  async fetch(target: string, init: OutboundRequest = {}): Promise<OutboundResponse> {
    const url = this.check(target);
    const lookup = this.allowed.has(url.origin) ? undefined : publicOnlyLookup;
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise<OutboundResponse>((resolve, reject) => {
      const request = send(
        url,
        {
          method: init.method ?? "GET",
          headers: init.headers,
          ...(lookup === undefined ? {} : { lookup }),
          timeout: init.timeoutMs ?? 10_000,
        },
        (response) => {
          collect(response, init.maxBytes ?? 1024 * 1024)
            .then((body) => resolve(new OutboundResponse(response.statusCode ?? 0, response.headers, body)))
            .catch(reject);
        },
      );
      request.on("timeout", () => request.destroy(new Error(`no answer from ${url.origin} in time`)));
      request.on("error", reject);
      request.end(init.body);
    });
  }
}

export interface OutboundRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs?: number;
  /** Largest response body read. */
  readonly maxBytes?: number;
}

export class OutboundResponse {
  constructor(
    readonly status: number,
    readonly headers: IncomingMessage["headers"],
    private readonly body: Buffer,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  text(): string {
    return this.body.toString("utf8");
  }

  json(): unknown {
    return JSON.parse(this.text()) as unknown;
  }
}

/**
 * Loopback, private, carrier-grade NAT, link-local (cloud metadata), documentation, multicast and reserved ranges.
 * Two lists, one per family: a BlockList matches IPv4 addresses against IPv4-mapped IPv6 rules too.
 */
const NOT_PUBLIC_V4 = new BlockList();
const NOT_PUBLIC_V6 = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  NOT_PUBLIC_V4.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["::ffff:0:0", 96],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  NOT_PUBLIC_V6.addSubnet(network, prefix, "ipv6");
}

/** Whether an IP address is on the public internet (IPv4-mapped and NAT64 IPv6 addresses never are, here). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NOT_PUBLIC_V4.check(address, "ipv4");
  if (family === 6) return !NOT_PUBLIC_V6.check(address, "ipv6");
  return false;
}

function hostAddress(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return isIP(host) === 0 ? undefined : host;
}

function resolveAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true }, (error, addresses) => (error === null ? resolve(addresses) : reject(error)));
  });
}

/** The lookup the socket uses: every address the name resolves to must be public, and only those are used. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  resolveAll(hostname)
    .then((addresses) => {
      const bad = addresses.find((address) => !isPublicAddress(address.address));
      if (bad !== undefined || addresses.length === 0) {
        const error = new Error(`${hostname} resolves to ${bad?.address ?? "nothing"}, not a public address`);
        callback(Object.assign(error, { code: "EADDRNOTALLOWED" }), "", 0);
        return;
      }
      if (options.all === true) callback(null, addresses);
      else callback(null, addresses[0]?.address ?? "", addresses[0]?.family ?? 4);
    })
    .catch((error: unknown) => callback(error as NodeJS.ErrnoException, "", 0));
};

function collect(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        response.destroy(new Error(`the answer is larger than ${String(maxBytes)} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    response.on("end", () => resolve(Buffer.concat(chunks)));
    response.on("error", reject);
  });
}

function notAllowed(target: string, reason: string): DomainError {
  return new DomainError(
    "OUTBOUND.NOT_ALLOWED",
    "invalid",
    `The service will not call ${target}: ${reason} (an operator may allow an origin with PACT_CALLBACK_ALLOW)`,
    { target, reason },
  );
}
