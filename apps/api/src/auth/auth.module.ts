import { Global, Module } from "@nestjs/common";
import { APP_GUARD } from "@nestjs/core";
import { AuthFailureLimiter } from "./auth-failures.js";
import { AuthGuard } from "./auth.guard.js";
import { AuthService } from "./auth.service.js";
import { ConsoleAccessService } from "../console/console-access.service.js";

/**
 * Authentication on every route (AuthGuard as the global guard): API keys, and console sessions by cookie with
 * their anti-CSRF token; with brakes on repeated failures.
 */
@Global()
@Module({
  providers: [AuthService, AuthFailureLimiter, ConsoleAccessService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, AuthFailureLimiter, ConsoleAccessService],
})
export class AuthModule {}
