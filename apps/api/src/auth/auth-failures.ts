import { Inject, Injectable, Logger } from "@nestjs/common";
import type { Request } from "express";
import { DomainError } from "#common";
import type { Config } from "#config";
import { CONFIG } from "../runtime.ports.js";

const WINDOW_MS = 60_000;
/** Most client addresses remembered at once: a flood of addresses cannot exhaust memory. */
const MAX_TRACKED = 50_000;

/**
 * Brakes on guessing credentials: a client address that fails to authenticate (API key, PACT client secret or
 * token) AUTH_FAILURE_LIMIT times within a minute gets 429 with `Retry-After` until the oldest of those failures
 * is a minute old, without its credentials being looked at. Every failure is logged. Per process: behind a load
 * balancer each instance counts its own.
 */
@Injectable()
export class AuthFailureLimiter {
  private readonly logger = new Logger("auth");
  private readonly failures = new Map<string, number[]>();

  constructor(@Inject(CONFIG) private readonly config: Config) {}

  /** Runs an authentication for `request`, refusing it while its address is blocked and counting its failure. */
  async guard<T>(request: Request, authenticate: () => Promise<T>): Promise<T> {
    const address = request.ip ?? request.socket.remoteAddress ?? "unknown";
    const now = Date.now();
    const recent = this.recent(address, now);
    if (recent.length >= this.config.authFailureLimit) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((recent[0] ?? now) + WINDOW_MS - now) / 1000));
      throw new DomainError(
        "AUTH.TOO_MANY_FAILURES",
        "rate-limited",
        `Too many failed authentications from this address: try again in ${String(retryAfterSeconds)} s`,
        { retryAfterSeconds },
      );
    }
    try {
      return await authenticate();
    } catch (error) {
      if (error instanceof DomainError && error.kind === "unauthenticated") this.record(address, now, request, error);
      throw error;
    }
  }

  private recent(address: string, now: number): number[] {
    const kept = (this.failures.get(address) ?? []).filter((at) => at > now - WINDOW_MS);
    if (kept.length === 0) this.failures.delete(address);
    else this.failures.set(address, kept);
    return kept;
  }

  private record(address: string, now: number, request: Request, error: DomainError): void {
    if (!this.failures.has(address) && this.failures.size >= MAX_TRACKED) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    const list = this.failures.get(address) ?? [];
    list.push(now);
    this.failures.set(address, list);
    this.logger.warn("authentication failed", {
      address,
      method: request.method,
      path: request.path,
      code: error.code,
      failuresInLastMinute: list.length,
    });
  }
}
