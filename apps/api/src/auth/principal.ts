import type { ParticipantRecord } from "#database";
import type { ConsoleSession } from "../console/console-access.service.js";

/**
 * Who is calling: the administrator, or a registered participant (by API key, or a person signed in to the
 * console: then `session`).
 */
export type Principal =
  | { readonly kind: "admin" }
  | { readonly kind: "participant"; readonly participant: ParticipantRecord; readonly session?: ConsoleSession };

/** "pact": PACT Technical Specifications routes, authenticated their own way (client credentials, then PACT tokens). */
export type Access = "public" | "authenticated" | "admin" | "participant" | "pact";

declare module "express" {
  interface Request {
    principal?: Principal;
  }
}
