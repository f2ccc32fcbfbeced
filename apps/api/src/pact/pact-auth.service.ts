import { createHash, randomBytes } from "node:crypto";
import { Injectable } from "@nestjs/common";
import { DomainError } from "#common";
import { KeyVault, secretMatches } from "#custody";
import { PactRepository, type DeliveryRecord, type PactClientRecord, type PactEventRecord } from "#database";
import { OutboundPolicy } from "../common/outbound.js";

/** Seconds an access token stays valid. */
export const TOKEN_LIFETIME_S = 3600;

const CLIENT_ID = /^ctpc_[0-9a-f]{16}$/;

export interface IssuedClient {
  readonly client: PactClientRecord;
  /** Shown once. */
  readonly clientSecret: string;
}

/** Whose clients a caller manages: a participant's id, or undefined for the administrator (every client). */
export type ClientOwner = string | undefined;

export interface CallbackCredentials {
  /** Base URL of the recipient's PACT host (its `/auth/token` and `/3/events` are under it). */
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** OAuth2 client credentials (RFC 6749 §4.4) for PACT data recipients, and the opaque tokens they get. */
@Injectable()
export class PactAuthService {
  constructor(
    private readonly repository: PactRepository,
    private readonly vault: KeyVault,
    private readonly outbound: OutboundPolicy,
  ) {}

  async createClient(input: {
    readonly name: string;
    readonly ownerId: string | null;
    readonly callback?: CallbackCredentials;
  }): Promise<IssuedClient> {
    // The service will call this host with credentials: only https to a public address (or an allowed origin).
    if (input.callback !== undefined) await this.outbound.checkResolved(input.callback.url);
    const clientSecret = randomBytes(32).toString("base64url");
    const client = await this.repository.createClient({
      clientId: `ctpc_${randomBytes(8).toString("hex")}`,
      secretSha256: sha256(clientSecret),
      name: input.name,
      ownerId: input.ownerId,
      ...(input.callback === undefined
        ? {}
        : {
            callback: {
              url: input.callback.url,
              clientId: input.callback.clientId,
              sealedSecret: this.vault.sealSecret(input.callback.clientSecret, `pact-callback:${input.callback.url}`),
            },
          }),
    });
    return { client, clientSecret };
  }

  clients(owner: ClientOwner): Promise<PactClientRecord[]> {
    return this.repository.clients(owner);
  }

  async revokeClient(owner: ClientOwner, id: string): Promise<void> {
    await this.owned(owner, id);
    await this.repository.revokeClient(id);
  }

  /** Events a client sent, newest first, each with the delivery of its answer (if one was made). */
  async clientEvents(
    owner: ClientOwner,
    id: string,
  ): Promise<Array<{ event: PactEventRecord; answer: DeliveryRecord | undefined }>> {
    const client = await this.owned(owner, id);
    const events = await this.repository.events(client.id);
    return Promise.all(events.map(async (event) => ({ event, answer: await this.repository.delivery(event.id) })));
  }

  /** A client the owner may manage; another participant's looks the same as none (no probing of ids). */
  private async owned(owner: ClientOwner, id: string): Promise<PactClientRecord> {
    const client = await this.repository.client(id);
    if (client === undefined || (owner !== undefined && client.ownerId !== owner)) {
      throw new DomainError("PACT.CLIENT_NOT_FOUND", "not-found", `There is no PACT client ${id} of yours`, { id });
    }
    return client;
  }

  /** The recipient-host credentials of a client, unsealed; undefined when it has none. */
  async callbackOf(client: PactClientRecord): Promise<CallbackCredentials | undefined> {
    if (client.callbackUrl === null || client.callbackClientId === null) return undefined;
    const sealed = await this.repository.callbackSecret(client.id);
    if (sealed === undefined) return undefined;
    return {
      url: client.callbackUrl,
      clientId: client.callbackClientId,
      clientSecret: this.vault.openSecret(sealed, `pact-callback:${client.callbackUrl}`),
    };
  }

  /** Checks `Authorization: Basic` client credentials and issues a token (OAUTH.* errors per RFC 6749 §5.2). */
  async token(
    authorization: string | undefined,
    grantType: unknown,
  ): Promise<{ access_token: string; token_type: "Bearer"; expires_in: number }> {
    const credentials = basicCredentials(authorization);
    if (grantType !== "client_credentials") {
      throw new DomainError(
        "OAUTH.UNSUPPORTED_GRANT_TYPE",
        "invalid",
        'Only grant_type "client_credentials" is supported (send it form-encoded)',
      );
    }
    const client = CLIENT_ID.test(credentials.id) ? await this.repository.clientByClientId(credentials.id) : undefined;
    if (client === undefined || client.revokedAt !== null || !secretMatches(credentials.secret, client.secretSha256)) {
      throw new DomainError("OAUTH.INVALID_CLIENT", "unauthenticated", "Client authentication failed");
    }
    const token = `ctpt_${randomBytes(32).toString("base64url")}`;
    await this.repository.issueToken(
      client.id,
      sha256(token).toString("hex"),
      new Date(Date.now() + TOKEN_LIFETIME_S * 1000),
    );
    return { access_token: token, token_type: "Bearer", expires_in: TOKEN_LIFETIME_S };
  }

  /** The client a bearer token stands for; PACT.INVALID_TOKEN or PACT.TOKEN_EXPIRED otherwise. */
  async authenticate(authorization: string | undefined): Promise<PactClientRecord> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (match?.[1] === undefined) {
      throw new DomainError("PACT.INVALID_TOKEN", "unauthenticated", "Send `Authorization: Bearer <access token>`");
    }
    const owner = await this.repository.tokenOwner(sha256(match[1]).toString("hex"));
    if (owner === undefined) throw new DomainError("PACT.INVALID_TOKEN", "unauthenticated", "Invalid token provided");
    if (owner.expiresAt.getTime() <= Date.now()) {
      throw new DomainError("PACT.TOKEN_EXPIRED", "unauthenticated", "The specified access token has expired");
    }
    return owner.client;
  }
}

function basicCredentials(authorization: string | undefined): { id: string; secret: string } {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? "");
  const decoded = match?.[1] === undefined ? undefined : Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded?.indexOf(":") ?? -1;
  if (decoded === undefined || colon < 0) {
    throw new DomainError(
      "OAUTH.INVALID_CLIENT",
      "unauthenticated",
      "Authenticate with HTTP Basic: base64(client_id:client_secret) in the Authorization header",
    );
  }
  // RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
  return {
    id: safeDecode(decoded.slice(0, colon)),
    secret: safeDecode(decoded.slice(colon + 1)),
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
