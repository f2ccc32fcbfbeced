import { applyDecorators } from "@nestjs/common";
import { ApiProperty, ApiResponse } from "@nestjs/swagger";
import type { PactError } from "#pact";

const PACT_CODES: ReadonlyArray<PactError["code"]> = [
  "BadRequest",
  "AccessDenied",
  "TokenExpired",
  "NotFound",
  "InternalError",
  "NotImplemented",
];

/** PACT v3 "Error responses": what PactErrorFilter writes. */
export class PactErrorDto {
  @ApiProperty({ enum: PACT_CODES })
  code!: PactError["code"];

  @ApiProperty()
  message!: string;
}

/** RFC 6749 §5.2 token errors: what OAuthErrorFilter writes. */
export class OAuthErrorDto {
  @ApiProperty({ enum: ["invalid_request", "invalid_client", "unsupported_grant_type", "slow_down", "server_error"] })
  error!: string;

  @ApiProperty()
  error_description!: string;
}

const PACT_ERROR = "PACT error (`code`, `message`)";

/**
 * The PACT actions' errors in PACT's own format, including requests refused before the action (a body too large,
 * of an unsupported type, too many failed authentications): every answer under /3 is PACT's.
 */
export const ApiPactErrors = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ...[400, 401, 403, 404, 413, 415, 429].map((status) =>
      ApiResponse({ status, type: PactErrorDto, description: PACT_ERROR }),
    ),
  );

/** The token endpoint's errors in OAuth 2.0's format. */
export const ApiOAuthErrors = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ...[400, 401, 429].map((status) =>
      ApiResponse({ status, type: OAuthErrorDto, description: "OAuth 2.0 error (`error`, `error_description`)" }),
    ),
  );
