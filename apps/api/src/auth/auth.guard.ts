import { type CanActivate, type ExecutionContext, Injectable } from "@nestjs/common";
import { Reflector } from "@nestjs/core";
import type { Request } from "express";
import { DomainError } from "#common";
import { ACCESS_KEY } from "./access.decorator.js";
import { AuthFailureLimiter } from "./auth-failures.js";
import { AuthService } from "./auth.service.js";
import type { Access } from "./principal.js";
import { ConsoleAccessService } from "../console/console-access.service.js";
import { sessionCookieOf } from "../console/session-cookie.js";

/**
 * Authenticates `Authorization: Bearer <key>` on every route and enforces its @Allow level. A route without
 * one requires some authenticated caller: nothing is public by accident. Without an Authorization header, the
 * partner console's session cookie authenticates on non-public routes; a change it asks for (POST, PUT, PATCH,
 * DELETE) must carry the session's anti-CSRF token in `X-CSRF-Token`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly failures: AuthFailureLimiter,
    private readonly consoleAccess: ConsoleAccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access =
      this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ??
      "authenticated";
    // PACT routes carry PACT access tokens, checked (and answered in PACT's error format) by PactGuard.
    if (access === "pact") return true;
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers.authorization;
    if (header !== undefined) {
      request.principal = await this.failures.guard(request, () => this.auth.authenticate(bearerToken(header)));
    }
    if (access === "public") return true;
    // Public routes never look at the cookie (it goes with every request to this site, journey pages included).
    const cookie = header === undefined ? sessionCookieOf(request) : undefined;
    if (cookie !== undefined) {
      const session = await this.failures.guard(request, () => this.consoleAccess.authenticate(cookie));
      if (!SAFE_METHODS.has(request.method) && !this.consoleAccess.csrfMatches(session, csrfHeader(request))) {
        throw new DomainError(
          "AUTH.CSRF_TOKEN_INVALID",
          "forbidden",
          "A change from a console session needs its anti-CSRF token in `X-CSRF-Token` (from GET /console/session)",
        );
      }
      request.principal = { kind: "participant", participant: session.participant, session };
    }
    const principal = request.principal;
    if (principal === undefined) {
      throw new DomainError(
        "AUTH.UNAUTHENTICATED",
        "unauthenticated",
        "This request needs an API key: send `Authorization: Bearer <key>`",
      );
    }
    if (access === "admin" && principal.kind !== "admin") {
      throw new DomainError("AUTH.FORBIDDEN", "forbidden", "Only the administrator may do this");
    }
    if (access === "participant" && principal.kind !== "participant") {
      throw new DomainError("AUTH.FORBIDDEN", "forbidden", "Only a participant (with its own API key) may do this");
    }
    return true;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function csrfHeader(request: Request): string | undefined {
  const value = request.headers["x-csrf-token"];
  return typeof value === "string" ? value : undefined;
}

function bearerToken(header: string): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match?.[1] === undefined) {
    throw new DomainError("AUTH.INVALID_CREDENTIALS", "unauthenticated", "Use `Authorization: Bearer <key>`");
  }
  return match[1];
}
