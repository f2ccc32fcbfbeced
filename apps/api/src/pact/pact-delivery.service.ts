import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { DomainError } from "#common";
import { PactRepository, type DeliveryOutcome, type DeliveryRecord } from "#database";
import { OutboundPolicy } from "../common/outbound.js";
import { PactAuthService, type CallbackCredentials } from "./pact-auth.service.js";

/** PACT: answers are retried with exponential backoff and abandoned after 72 hours. */
export const GIVE_UP_AFTER_MS = 72 * 3600 * 1000;
const FIRST_RETRY_MS = 5_000;
const LONGEST_RETRY_MS = 3600 * 1000;
const REQUEST_TIMEOUT_MS = 10_000;
const POLL_MS = 1_000;

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * Posts queued answers (RequestFulfilled / RequestRejected events) to recipients' PACT hosts: it gets a token
 * from the host's token endpoint (OpenID discovery, else `/auth/token`; always on the callback's own host) with
 * the credentials registered for the client, then posts the CloudEvent to `/3/events`. Every call goes through
 * the outbound policy (https, public addresses only). A revoked client's answers are abandoned. Several
 * instances may run: claims are leased.
 */
@Injectable()
export class PactDeliveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger("pact");
  private readonly tokens = new Map<string, CachedToken>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly repository: PactRepository,
    private readonly auth: PactAuthService,
    private readonly outbound: OutboundPolicy,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass now (tests, and the poll loop). */
  async runOnce(): Promise<number> {
    const due = await this.repository.claimDue(10, 60);
    for (const delivery of due) await this.repository.settle(delivery.id, await this.attempt(delivery));
    return due.length;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.log.error("PACT delivery pass failed", { error: String(error) }))
        .finally(() => this.schedule());
    }, POLL_MS);
    this.timer.unref();
  }

  private async attempt(delivery: DeliveryRecord): Promise<DeliveryOutcome> {
    try {
      const credentials = await this.credentialsFor(delivery);
      if (credentials === "revoked") {
        this.log.warn("PACT answer abandoned: the client was revoked", { target: delivery.target });
        return { status: "abandoned", error: "the client was revoked" };
      }
      const token = await this.tokenFor(credentials);
      const response = await this.outbound.fetch(delivery.target, {
        method: "POST",
        headers: {
          "content-type": "application/cloudevents+json; charset=UTF-8",
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify(delivery.body),
        timeoutMs: REQUEST_TIMEOUT_MS,
      });
      if (response.ok) {
        this.log.log("PACT answer delivered", { target: delivery.target, type: delivery.body.type });
        return { status: "delivered" };
      }
      if (response.status === 401) this.tokens.delete(credentials.url);
      throw new Error(`${delivery.target} answered ${String(response.status)}: ${response.text().slice(0, 300)}`);
    } catch (error) {
      if (error instanceof DomainError && error.code === "OUTBOUND.NOT_ALLOWED") {
        this.log.warn("PACT answer abandoned: its host may not be called", {
          target: delivery.target,
          error: error.message,
        });
        return { status: "abandoned", error: error.message };
      }
      return this.retryOrAbandon(delivery, error instanceof Error ? error.message : String(error));
    }
  }

  private retryOrAbandon(delivery: DeliveryRecord, error: string): DeliveryOutcome {
    if (Date.now() - delivery.createdAt.getTime() >= GIVE_UP_AFTER_MS) {
      this.log.warn("PACT answer abandoned after 72 hours", { target: delivery.target, error });
      return { status: "abandoned", error };
    }
    const delay = Math.min(FIRST_RETRY_MS * 2 ** delivery.attempts, LONGEST_RETRY_MS) * (0.5 + Math.random());
    this.log.warn("PACT answer not delivered; will retry", {
      target: delivery.target,
      error,
      retryInMs: Math.round(delay),
    });
    return { status: "pending", nextAttemptAt: new Date(Date.now() + delay), error };
  }

  private async credentialsFor(delivery: DeliveryRecord): Promise<CallbackCredentials | "revoked"> {
    const request = await this.repository.eventById(delivery.requestId);
    const client = request === undefined ? undefined : await this.repository.client(request.client);
    if (client?.revokedAt !== null && client?.revokedAt !== undefined) return "revoked";
    const credentials = client === undefined ? undefined : await this.auth.callbackOf(client);
    if (credentials === undefined) throw new Error("the client no longer has callback credentials");
    return credentials;
  }

  private async tokenFor(credentials: CallbackCredentials): Promise<string> {
    const cached = this.tokens.get(credentials.url);
    if (cached !== undefined && cached.expiresAt > Date.now()) return cached.token;
    const endpoint = await this.tokenEndpointOf(credentials.url);
    const basic = Buffer.from(
      `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`,
    ).toString("base64");
    const response = await this.outbound.fetch(endpoint, {
      method: "POST",
      headers: {
        authorization: `Basic ${basic}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: "grant_type=client_credentials",
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    const body = (tryJson(response.text()) ?? {}) as { access_token?: unknown; expires_in?: unknown };
    if (!response.ok || typeof body.access_token !== "string") {
      throw new Error(`no token from ${endpoint}: ${String(response.status)}`);
    }
    const lifetime = typeof body.expires_in === "number" ? body.expires_in : 300;
    this.tokens.set(credentials.url, { token: body.access_token, expiresAt: Date.now() + (lifetime - 30) * 1000 });
    return body.access_token;
  }

  /**
   * The host's token endpoint: from its OpenID configuration if it serves one, else `/auth/token` (PACT). The
   * credentials only ever go to the callback's own origin: a discovery document naming another host is ignored.
   */
  private async tokenEndpointOf(base: string): Promise<string> {
    const root = base.replace(/\/+$/, "");
    const origin = new URL(root).origin;
    try {
      const response = await this.outbound.fetch(`${root}/.well-known/openid-configuration`, {
        timeoutMs: REQUEST_TIMEOUT_MS,
      });
      const document = response.ok ? (tryJson(response.text()) as { token_endpoint?: unknown } | undefined) : undefined;
      const named = document?.token_endpoint;
      if (typeof named === "string" && sameOrigin(named, origin)) return named;
      if (typeof named === "string") {
        this.log.warn("PACT host names a token endpoint on another host; using its own /auth/token", {
          host: origin,
          tokenEndpoint: named,
        });
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      // no OpenID configuration: the PACT default below
    }
    return `${root}/auth/token`;
  }
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
