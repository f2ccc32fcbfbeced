import { DomainError } from "#common";

/** Stable codes this lib throws; tests and clients match on them. */
export const LABEL_ERRORS = {
  uriInvalid: "LABEL.URI_INVALID",
  uriTooLong: "LABEL.URI_TOO_LONG",
  errorCorrectionInvalid: "LABEL.ERROR_CORRECTION_INVALID",
  statusInvalid: "LABEL.STATUS_INVALID",
  optionInvalid: "LABEL.OPTION_INVALID",
} as const;

export function labelError(code: string, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
  return new DomainError(code, "invalid", message, details, cause === undefined ? undefined : { cause });
}
