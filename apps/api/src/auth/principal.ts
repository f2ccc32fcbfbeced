import type { ParticipantRecord } from "#database";

/** Who is calling: the administrator, or a registered participant (by API key). */
export type Principal =
  { readonly kind: "admin" } | { readonly kind: "participant"; readonly participant: ParticipantRecord };

/** "pact": PACT Technical Specifications routes, authenticated their own way (client credentials, then PACT tokens). */
export type Access = "public" | "authenticated" | "admin" | "participant" | "pact";

declare module "express" {
  interface Request {
    principal?: Principal;
  }
}
