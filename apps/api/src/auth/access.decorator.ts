import { createParamDecorator, type ExecutionContext, SetMetadata } from "@nestjs/common";
import type { Request } from "express";
import { DomainError } from "#common";
import type { Access, Principal } from "./principal.js";

export const ACCESS_KEY = "carbontrace:access";

/** Who may call a route. Routes without this decorator need an authenticated caller (deny by default). */
export const Allow = (access: Access): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_KEY, access);
export const Public = (): MethodDecorator & ClassDecorator => Allow("public");
export const AdminOnly = (): MethodDecorator & ClassDecorator => Allow("admin");
export const ParticipantOnly = (): MethodDecorator & ClassDecorator => Allow("participant");
/** PACT API routes: OAuth2 client-credential tokens instead of API keys. */
export const PactAccess = (): MethodDecorator & ClassDecorator => Allow("pact");

/** The authenticated caller of the current request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<Request>().principal;
  if (principal === undefined) {
    throw new DomainError("AUTH.UNAUTHENTICATED", "unauthenticated", "This request needs an API key");
  }
  return principal;
});
