import { DomainError, type ErrorKind } from "#common";
import type { SigningDomain } from "#proof";

/** A problem+json answer from the API, with its stable code. */
export class ApiError extends DomainError {
  constructor(
    readonly status: number,
    readonly problem: Readonly<Record<string, unknown>>,
    /** The request so answered, e.g. `POST https://host/capture`: a wrong --api shows in it. */
    readonly request = "",
  ) {
    super(
      typeof problem.code === "string" ? problem.code : `HTTP.${String(status)}`,
      kindOf(status),
      typeof problem.detail === "string" ? problem.detail : `HTTP ${String(status)}`,
      problem,
    );
    this.name = "ApiError";
  }
}

export interface CaptureJob {
  readonly captureID: string;
  readonly createdAt: string;
  readonly finishedAt: string;
  readonly running: boolean;
  readonly success: boolean;
  readonly eventCount: number;
  readonly createdCount: number;
  readonly events: ReadonlyArray<{ eventID: string; eventHash: string; outcome: "created" | "exists" | "retracted" }>;
}

export interface EvidenceUpload {
  readonly cid: string;
  readonly mediaType: string;
  readonly byteSize: number;
  readonly sha256: string;
  readonly url: string;
}

export interface ClientOptions {
  /** e.g. http://127.0.0.1:3000 */
  readonly baseUrl: string;
  /** A participant's (ctk_…) or the administrator's API key. */
  readonly apiKey?: string;
  readonly fetch?: typeof fetch;
}

/**
 * The CarbonTrace API for partners and tools: capture, evidence, events. Errors come back as ApiError with
 * the server's stable code.
 */
export class CarbonTraceClient {
  private readonly baseUrl: string;
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.fetcher = options.fetch ?? fetch;
  }

  async signingDomain(): Promise<SigningDomain> {
    const body = await this.json<{ domain: SigningDomain }>("GET", "/capture/signing-domain");
    return body.domain;
  }

  capture(document: unknown): Promise<CaptureJob> {
    return this.json<CaptureJob>("POST", "/capture", JSON.stringify(document), {
      "content-type": "application/ld+json",
    });
  }

  /** An EPCIS document in the XML binding (2.0, or 1.2), posted as it is written. */
  captureXml(xml: string): Promise<CaptureJob> {
    return this.json<CaptureJob>("POST", "/capture", xml, { "content-type": "application/xml" });
  }

  captureJob(id: string): Promise<CaptureJob> {
    return this.json<CaptureJob>("GET", `/capture/${encodeURIComponent(id)}`);
  }

  uploadEvidence(bytes: Uint8Array, mediaType: string, fileName: string): Promise<EvidenceUpload> {
    const form = new FormData();
    // Blob parts must be backed by an ArrayBuffer (not a SharedArrayBuffer): copy only in that rare case.
    const part = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
    form.append("file", new Blob([part], { type: mediaType }), fileName);
    return this.json<EvidenceUpload>("POST", "/evidence", form);
  }

  event(eventId: string): Promise<Record<string, unknown>> {
    return this.json<Record<string, unknown>>("GET", `/events/${encodeURIComponent(eventId)}`);
  }

  events(query: Readonly<Record<string, string>> = {}): Promise<Record<string, unknown>> {
    const search = new URLSearchParams(query).toString();
    return this.json<Record<string, unknown>>("GET", `/events${search === "" ? "" : `?${search}`}`);
  }

  me(): Promise<Record<string, unknown>> {
    return this.json<Record<string, unknown>>("GET", "/participants/me");
  }

  /**
   * A request that names the URL it tried when nothing answers (a refused connection, a bad host, a timeout). An
   * idempotent request whose pooled connection the server had just closed (an idle keep-alive socket reused as it
   * closed) is sent once more, on a new connection: nothing can have happened twice.
   */
  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetcher(url, init);
    } catch (error) {
      if (!IDEMPOTENT.has((init.method ?? "GET").toUpperCase()) || !isClosedSocket(error))
        throw unreachable(url, error);
    }
    try {
      return await this.fetcher(url, init);
    } catch (error) {
      throw unreachable(url, error);
    }
  }

  /** Any JSON endpoint, for what the typed methods do not cover. */
  async json<T>(
    method: string,
    path: string,
    body?: RequestInit["body"],
    headers: Record<string, string> = {},
  ): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const response = await this.send(url, {
      method,
      headers: {
        accept: "application/json, application/problem+json",
        ...(this.options.apiKey === undefined ? {} : { authorization: `Bearer ${this.options.apiKey}` }),
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? {} : (JSON.parse(text) as unknown);
    } catch {
      // An HTML error page from a proxy, or another server altogether: say where it came from.
      if (!response.ok) throw new ApiError(response.status, {}, `${method} ${url}`);
      throw new DomainError(
        "CLIENT.NOT_JSON",
        "unavailable",
        `${method} ${url} answered ${response.headers.get("content-type") ?? "a body"} that is not JSON ` +
          "(is the CarbonTrace API there? set --api or CARBONTRACE_API)",
        { url },
      );
    }
    if (!response.ok) {
      throw new ApiError(response.status, (parsed ?? {}) as Record<string, unknown>, `${method} ${url}`);
    }
    return parsed as T;
  }
}

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** undici's "other side closed" (UND_ERR_SOCKET) or a reset connection: the socket died, the server may be fine. */
function isClosedSocket(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return cause?.code === "UND_ERR_SOCKET" || cause?.code === "ECONNRESET";
}

/** CLIENT.UNREACHABLE: raised by this client, never answered by the API. */
export function unreachable(url: string, error: unknown): DomainError {
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause?.message;
  const reason = typeof cause === "string" ? cause : error instanceof Error ? error.message : String(error);
  return new DomainError(
    "CLIENT.UNREACHABLE",
    "unavailable",
    `No answer from ${url}: ${reason} (is the service running there? set --api or CARBONTRACE_API)`,
    { url },
    { cause: error },
  );
}

function kindOf(status: number): ErrorKind {
  const kinds: Record<number, ErrorKind> = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    429: "rate-limited",
    503: "unavailable",
  };
  return kinds[status] ?? "internal";
}
