import type { ParticipantRecord } from "#database";

/** Who is calling: the administrator, or a registered participant (by API key). */
export type Principal =
  { readonly kind: "admin" } | { readonly kind: "participant"; readonly participant: ParticipantRecord };

export type Access = "public" | "authenticated" | "admin" | "participant";

declare module "express" {
  interface Request {
    principal?: Principal;
  }
}
