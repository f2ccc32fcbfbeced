import { Global, Module } from "@nestjs/common";
import { APP_GUARD } from "@nestjs/core";
import { AuthFailureLimiter } from "./auth-failures.js";
import { AuthGuard } from "./auth.guard.js";
import { AuthService } from "./auth.service.js";

/** Authentication on every route (AuthGuard as the global guard), with brakes on repeated failures. */
@Global()
@Module({
  providers: [AuthService, AuthFailureLimiter, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, AuthFailureLimiter],
})
export class AuthModule {}
