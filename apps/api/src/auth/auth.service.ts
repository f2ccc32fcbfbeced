import { Inject, Injectable } from "@nestjs/common";
import { DomainError } from "#common";
import { parseApiKey, secretMatches, tokenMatches } from "#custody";
import { ParticipantRepository } from "#database";
import type { ServiceSecrets } from "#runtime";
import { SECRETS } from "../runtime.ports.js";
import type { Principal } from "./principal.js";

@Injectable()
export class AuthService {
  constructor(
    @Inject(SECRETS) private readonly secrets: ServiceSecrets,
    private readonly participants: ParticipantRepository,
  ) {}

  /** The principal a bearer token stands for; AUTH.INVALID_CREDENTIALS for anything else. */
  async authenticate(token: string): Promise<Principal> {
    if (tokenMatches(token, this.secrets.adminApiKey)) return { kind: "admin" };
    const parsed = parseApiKey(token);
    const key = parsed === undefined ? undefined : await this.participants.findApiKey(parsed.id);
    if (parsed === undefined || key === undefined || !secretMatches(parsed.secret, key.secretSha256)) {
      throw new DomainError("AUTH.INVALID_CREDENTIALS", "unauthenticated", "The API key is not valid (or was revoked)");
    }
    return { kind: "participant", participant: key.participant };
  }
}
