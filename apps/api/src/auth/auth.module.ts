import { Global, Module } from "@nestjs/common";
import { APP_GUARD } from "@nestjs/core";
import { AuthGuard } from "./auth.guard.js";
import { AuthService } from "./auth.service.js";

/** Authentication on every route (AuthGuard as the global guard). */
@Global()
@Module({ providers: [AuthService, { provide: APP_GUARD, useClass: AuthGuard }], exports: [AuthService] })
export class AuthModule {}
