import { type CanActivate, type ExecutionContext, Injectable } from "@nestjs/common";
import type { Request } from "express";
import type { PactClientRecord } from "#database";
import { AuthFailureLimiter } from "../auth/auth-failures.js";
import { PactAuthService } from "./pact-auth.service.js";

declare module "express" {
  interface Request {
    pactClient?: PactClientRecord;
  }
}

/** PACT routes: a valid, unexpired access token from `POST /auth/token`, and nothing else. */
@Injectable()
export class PactGuard implements CanActivate {
  constructor(
    private readonly auth: PactAuthService,
    private readonly failures: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    request.pactClient = await this.failures.guard(request, () =>
      this.auth.authenticate(request.headers.authorization),
    );
    return true;
  }
}
