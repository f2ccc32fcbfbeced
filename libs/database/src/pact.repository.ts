import type { DataSource } from "typeorm";
import { isUuid } from "#common";
import { rows } from "./sql.js";
import { PactClientEntity } from "./entities/pact-client.entity.js";
import { PactDeliveryEntity } from "./entities/pact-delivery.entity.js";
import { PactEventEntity } from "./entities/pact-event.entity.js";

export interface PactClientRecord {
  readonly id: string;
  readonly clientId: string;
  readonly secretSha256: Buffer;
  readonly name: string;
  readonly ownerId: string | null;
  readonly callbackUrl: string | null;
  readonly callbackClientId: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export interface NewPactClient {
  readonly clientId: string;
  readonly secretSha256: Buffer;
  readonly name: string;
  readonly ownerId: string | null;
  readonly callback?: { readonly url: string; readonly clientId: string; readonly sealedSecret: Buffer };
}

export interface PactEventRecord {
  readonly id: string;
  readonly client: string;
  readonly eventId: string;
  readonly type: string;
  readonly source: string;
  readonly body: Record<string, unknown>;
  readonly receivedAt: Date;
}

export interface DeliveryRecord {
  readonly id: string;
  readonly requestId: string;
  readonly target: string;
  readonly body: Record<string, unknown>;
  readonly status: "pending" | "delivered" | "abandoned";
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lastError: string | null;
  readonly deliveredAt: Date | null;
  readonly createdAt: Date;
}

/** PACT clients and their tokens, received events, and answers to deliver. */
export class PactRepository {
  constructor(private readonly dataSource: DataSource) {}

  async createClient(client: NewPactClient): Promise<PactClientRecord> {
    const saved = await this.dataSource.getRepository(PactClientEntity).save({
      clientId: client.clientId,
      secretSha256: client.secretSha256,
      name: client.name,
      ownerId: client.ownerId,
      callbackUrl: client.callback?.url ?? null,
      callbackClientId: client.callback?.clientId ?? null,
      callbackSecret: client.callback?.sealedSecret ?? null,
    });
    return toClient(saved);
  }

  async clientByClientId(clientId: string): Promise<PactClientRecord | undefined> {
    const row = await this.dataSource.getRepository(PactClientEntity).findOneBy({ clientId });
    return row === null ? undefined : toClient(row);
  }

  async client(id: string): Promise<PactClientRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const row = await this.dataSource.getRepository(PactClientEntity).findOneBy({ id });
    return row === null ? undefined : toClient(row);
  }

  /** Clients of a data owner (undefined: every client). */
  async clients(ownerId?: string): Promise<PactClientRecord[]> {
    const rows = await this.dataSource
      .getRepository(PactClientEntity)
      .find({ where: ownerId === undefined ? {} : { ownerId }, order: { createdAt: "ASC" } });
    return rows.map(toClient);
  }

  /** The sealed secret for posting answers to the client's own host. */
  async callbackSecret(id: string): Promise<Buffer | undefined> {
    const row = await this.dataSource
      .getRepository(PactClientEntity)
      .createQueryBuilder("c")
      .addSelect("c.callbackSecret")
      .where("c.id = :id", { id })
      .getOne();
    return row?.callbackSecret ?? undefined;
  }

  /** Revokes a client and deletes its tokens; false if it was unknown or already revoked. */
  async revokeClient(id: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const revoked = await rows<{ id: string }>(
        manager,
        `UPDATE "pact_client" SET "revoked_at" = now() WHERE "id" = $1 AND "revoked_at" IS NULL RETURNING "id"`,
        [id],
      );
      await manager.query(`DELETE FROM "pact_token" WHERE "client" = $1`, [id]);
      return revoked.length > 0;
    });
  }

  async issueToken(client: string, tokenSha256: string, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "pact_token" ("token_sha256", "client", "expires_at") VALUES ($1, $2, $3)`,
      [tokenSha256, client, expiresAt],
    );
    // Tokens expire; their rows need not outlive them by long.
    await this.dataSource.query(`DELETE FROM "pact_token" WHERE "expires_at" < now() - interval '1 day'`);
  }

  /** The client a token was issued to, and when it expires; undefined if unknown or the client was revoked. */
  async tokenOwner(tokenSha256: string): Promise<{ client: PactClientRecord; expiresAt: Date } | undefined> {
    const [row] = await this.dataSource.query<Array<{ client: string; expires_at: Date }>>(
      `SELECT t."client", t."expires_at" FROM "pact_token" t JOIN "pact_client" c ON c."id" = t."client"
       WHERE t."token_sha256" = $1 AND c."revoked_at" IS NULL`,
      [tokenSha256],
    );
    if (row === undefined) return undefined;
    const client = await this.client(row.client);
    return client === undefined ? undefined : { client, expiresAt: row.expires_at };
  }

  /** Stores a received event once per (client, event id); `created` false for a repeat. */
  async recordEvent(
    event: Omit<PactEventRecord, "id" | "receivedAt" | "body"> & { readonly body: object },
  ): Promise<{ record: PactEventRecord; created: boolean }> {
    const inserted = await this.dataSource.query<Array<{ id: string }>>(
      `INSERT INTO "pact_event" ("client", "event_id", "type", "source", "body") VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT ON CONSTRAINT "UQ_pact_event_client_event" DO NOTHING RETURNING "id"`,
      [event.client, event.eventId, event.type, event.source, JSON.stringify(event.body)],
    );
    const row = await this.dataSource
      .getRepository(PactEventEntity)
      .findOneByOrFail({ client: event.client, eventId: event.eventId });
    return { record: toEvent(row), created: inserted.length > 0 };
  }

  async eventById(id: string): Promise<PactEventRecord | undefined> {
    const row = await this.dataSource.getRepository(PactEventEntity).findOneBy({ id });
    return row === null ? undefined : toEvent(row);
  }

  async events(client?: string, limit = 100): Promise<PactEventRecord[]> {
    const rows = await this.dataSource
      .getRepository(PactEventEntity)
      .find({ where: client === undefined ? {} : { client }, order: { receivedAt: "DESC" }, take: limit });
    return rows.map(toEvent);
  }

  /** Queues the answer to a request event (once: a repeated request is answered once). */
  async enqueueDelivery(requestId: string, target: string, body: object): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "pact_delivery" ("request_id", "target", "body", "status", "next_attempt_at")
       VALUES ($1, $2, $3::jsonb, 'pending', now()) ON CONFLICT ON CONSTRAINT "UQ_pact_delivery_request" DO NOTHING`,
      [requestId, target, JSON.stringify(body)],
    );
  }

  /**
   * Claims up to `limit` due deliveries for `leaseSeconds`: they are not due again until then, so a crash while
   * posting only delays a retry (delivery is at least once; the event id lets the recipient drop repeats).
   */
  async claimDue(limit: number, leaseSeconds: number): Promise<DeliveryRecord[]> {
    const claimed = await rows<{ id: string }>(
      this.dataSource,
      `UPDATE "pact_delivery" SET "next_attempt_at" = now() + make_interval(secs => $2)
       WHERE "id" IN (SELECT "id" FROM "pact_delivery" WHERE "status" = 'pending' AND "next_attempt_at" <= now()
                      ORDER BY "next_attempt_at" LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING "id"`,
      [limit, leaseSeconds],
    );
    if (claimed.length === 0) return [];
    const deliveries = await this.dataSource
      .getRepository(PactDeliveryEntity)
      .createQueryBuilder("d")
      .where("d.id IN (:...ids)", { ids: claimed.map((row) => row.id) })
      .orderBy("d.created_at")
      .getMany();
    return deliveries.map(toDelivery);
  }

  /** Records the outcome of one attempt. */
  async settle(id: string, outcome: DeliveryOutcome): Promise<void> {
    await this.dataSource.query(
      `UPDATE "pact_delivery" SET "status" = $2, "attempts" = "attempts" + 1,
         "next_attempt_at" = COALESCE($3, "next_attempt_at"), "last_error" = $4,
         "delivered_at" = CASE WHEN $2 = 'delivered' THEN now() ELSE NULL END
       WHERE "id" = $1`,
      [id, outcome.status, outcome.nextAttemptAt ?? null, outcome.error ?? null],
    );
  }

  async delivery(requestId: string): Promise<DeliveryRecord | undefined> {
    const row = await this.dataSource.getRepository(PactDeliveryEntity).findOneBy({ requestId });
    return row === null ? undefined : toDelivery(row);
  }
}

export interface DeliveryOutcome {
  readonly status: "pending" | "delivered" | "abandoned";
  readonly nextAttemptAt?: Date;
  readonly error?: string;
}

function toClient(row: PactClientEntity): PactClientRecord {
  return {
    id: row.id,
    clientId: row.clientId,
    secretSha256: row.secretSha256,
    name: row.name,
    ownerId: row.ownerId,
    callbackUrl: row.callbackUrl,
    callbackClientId: row.callbackClientId,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  };
}

function toEvent(row: PactEventEntity): PactEventRecord {
  return {
    id: row.id,
    client: row.client,
    eventId: row.eventId,
    type: row.type,
    source: row.source,
    body: row.body,
    receivedAt: row.receivedAt,
  };
}

function toDelivery(row: PactDeliveryEntity): DeliveryRecord {
  return {
    id: row.id,
    requestId: row.requestId,
    target: row.target,
    body: row.body,
    status: row.status === "delivered" ? "delivered" : row.status === "abandoned" ? "abandoned" : "pending",
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt,
    createdAt: row.createdAt,
  };
}
