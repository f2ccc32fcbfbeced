import type { DataSource, EntityManager } from "typeorm";
import { NamedQueryEntity } from "./entities/named-query.entity.js";
import { SubscriptionDeliveryEntity } from "./entities/subscription-delivery.entity.js";
import { SubscriptionEntity } from "./entities/subscription.entity.js";
import { rows } from "./sql.js";

export interface NamedQueryRecord {
  readonly id: string;
  readonly owner: string;
  readonly name: string;
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  readonly createdAt: Date;
}

export interface SubscriptionRecord {
  readonly id: string;
  readonly queryId: string;
  readonly dest: string;
  readonly sealedToken: string | null;
  readonly stream: boolean;
  readonly schedule: Readonly<Record<string, string>> | null;
  readonly reportIfEmpty: boolean;
  readonly afterSeq: string;
  readonly nextRunAt: Date | null;
  readonly createdAt: Date;
}

export interface NewSubscription {
  readonly queryId: string;
  readonly dest: string;
  readonly sealedToken: string | null;
  readonly stream: boolean;
  readonly schedule: Readonly<Record<string, string>> | null;
  readonly reportIfEmpty: boolean;
  readonly afterSeq: string;
  readonly nextRunAt: Date | null;
}

export interface SubscriptionDeliveryRecord {
  readonly id: string;
  readonly subscriptionId: string;
  readonly body: string;
  readonly attempts: number;
  readonly createdAt: Date;
}

export interface SubscriptionDeliveryOutcome {
  readonly status: "pending" | "delivered" | "abandoned";
  readonly nextAttemptAt?: Date;
  readonly error?: string;
}

/** Named queries, their subscriptions and the deliveries' outbox; the only code querying them. */
export class QueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates a query; undefined when the owner already has one of that name. */
  async createQuery(
    owner: string,
    name: string,
    parameters: Readonly<Record<string, readonly string[]>>,
  ): Promise<NamedQueryRecord | undefined> {
    const created = await rows<{ id: string }>(
      this.dataSource,
      `INSERT INTO "epcis_named_query" ("owner", "name", "parameters") VALUES ($1, $2, $3)
       ON CONFLICT ON CONSTRAINT "UQ_epcis_named_query_owner_name" DO NOTHING RETURNING "id"`,
      [owner, name, JSON.stringify(parameters)],
    );
    const id = created[0]?.id;
    return id === undefined ? undefined : this.query(owner, name);
  }

  async query(owner: string, name: string): Promise<NamedQueryRecord | undefined> {
    const row = await this.dataSource.getRepository(NamedQueryEntity).findOneBy({ owner, name });
    return row === null ? undefined : toQuery(row);
  }

  /** The owner's queries by name, from `afterName` on. */
  async queries(owner: string, limit: number, afterName?: string): Promise<NamedQueryRecord[]> {
    const builder = this.dataSource
      .getRepository(NamedQueryEntity)
      .createQueryBuilder("q")
      .where("q.owner = :owner", { owner });
    if (afterName !== undefined) builder.andWhere("q.name > :afterName", { afterName });
    return (await builder.orderBy("q.name").limit(limit).getMany()).map(toQuery);
  }

  /** Deletes a query and (cascade) its subscriptions and their pending deliveries; false when there was none. */
  async deleteQuery(owner: string, name: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(NamedQueryEntity).delete({ owner, name });
    return (result.affected ?? 0) > 0;
  }

  async subscribe(input: NewSubscription): Promise<SubscriptionRecord> {
    const repository = this.dataSource.getRepository(SubscriptionEntity);
    const saved = await repository.save(
      repository.create({
        queryId: input.queryId,
        dest: input.dest,
        sealedToken: input.sealedToken,
        stream: input.stream,
        schedule: input.schedule === null ? null : { ...input.schedule },
        reportIfEmpty: input.reportIfEmpty,
        afterSeq: input.afterSeq,
        nextRunAt: input.nextRunAt,
        leaseUntil: null,
      }),
    );
    return toSubscription(await repository.findOneByOrFail({ id: saved.id }));
  }

  async subscriptions(queryId: string): Promise<SubscriptionRecord[]> {
    const found = await this.dataSource
      .getRepository(SubscriptionEntity)
      .find({ where: { queryId }, order: { createdAt: "ASC" } });
    return found.map(toSubscription);
  }

  async subscription(queryId: string, id: string): Promise<SubscriptionRecord | undefined> {
    const row = await this.dataSource.getRepository(SubscriptionEntity).findOneBy({ queryId, id });
    return row === null ? undefined : toSubscription(row);
  }

  async unsubscribe(queryId: string, id: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(SubscriptionEntity).delete({ queryId, id });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Leases subscriptions to turn new events into deliveries: every stream subscription, and scheduled ones whose
   * run is due. Another instance skips a leased one until the lease ends.
   */
  async claimSubscriptions(limit: number, leaseSeconds: number): Promise<SubscriptionRecord[]> {
    const claimed = await rows<{ id: string }>(
      this.dataSource,
      `UPDATE "epcis_subscription" SET "lease_until" = now() + make_interval(secs => $2)
       WHERE "id" IN (SELECT "id" FROM "epcis_subscription"
                      WHERE ("lease_until" IS NULL OR "lease_until" < now())
                        AND ("stream" OR "next_run_at" <= now())
                      ORDER BY "lease_until" NULLS FIRST, "created_at" LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING "id"`,
      [limit, leaseSeconds],
    );
    if (claimed.length === 0) return [];
    const found = await this.dataSource
      .getRepository(SubscriptionEntity)
      .createQueryBuilder("s")
      .where("s.id IN (:...ids)", { ids: claimed.map((row) => row.id) })
      .orderBy("s.created_at")
      .getMany();
    return found.map(toSubscription);
  }

  /**
   * Queues a document for a subscription and moves its position past the events in it, in one transaction, so an
   * event is sent once, and never lost. Releases the lease.
   */
  async enqueue(
    subscriptionId: string,
    body: string | undefined,
    next: { readonly afterSeq: string; readonly nextRunAt: Date | null },
  ): Promise<void> {
    await this.dataSource.transaction(async (manager: EntityManager) => {
      if (body !== undefined) {
        await manager.query(
          `INSERT INTO "epcis_subscription_delivery" ("subscription_id", "body", "status", "next_attempt_at")
           VALUES ($1, $2, 'pending', now())`,
          [subscriptionId, body],
        );
      }
      await manager.query(
        `UPDATE "epcis_subscription" SET "after_seq" = $2, "next_run_at" = $3, "lease_until" = now() WHERE "id" = $1`,
        [subscriptionId, next.afterSeq, next.nextRunAt],
      );
    });
  }

  /**
   * Ends a lease without change (nothing new). The lease's end stays as when it was last looked at, so that the
   * next pass takes those looked at longest ago first and no subscription waits behind the others.
   */
  async release(subscriptionId: string): Promise<void> {
    await this.dataSource.query(`UPDATE "epcis_subscription" SET "lease_until" = now() WHERE "id" = $1`, [
      subscriptionId,
    ]);
  }

  async claimDueDeliveries(limit: number, leaseSeconds: number): Promise<SubscriptionDeliveryRecord[]> {
    const claimed = await rows<{ id: string }>(
      this.dataSource,
      `UPDATE "epcis_subscription_delivery" SET "next_attempt_at" = now() + make_interval(secs => $2)
       WHERE "id" IN (SELECT "id" FROM "epcis_subscription_delivery"
                      WHERE "status" = 'pending' AND "next_attempt_at" <= now()
                      ORDER BY "next_attempt_at" LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING "id"`,
      [limit, leaseSeconds],
    );
    if (claimed.length === 0) return [];
    const found = await this.dataSource
      .getRepository(SubscriptionDeliveryEntity)
      .createQueryBuilder("d")
      .where("d.id IN (:...ids)", { ids: claimed.map((row) => row.id) })
      .orderBy("d.created_at")
      .getMany();
    return found.map((row) => ({
      id: row.id,
      subscriptionId: row.subscriptionId,
      body: row.body,
      attempts: row.attempts,
      createdAt: row.createdAt,
    }));
  }

  async settle(id: string, outcome: SubscriptionDeliveryOutcome): Promise<void> {
    await this.dataSource.query(
      `UPDATE "epcis_subscription_delivery" SET "status" = $2, "attempts" = "attempts" + 1,
         "next_attempt_at" = COALESCE($3, "next_attempt_at"), "last_error" = $4,
         "delivered_at" = CASE WHEN $2 = 'delivered' THEN now() ELSE NULL END
       WHERE "id" = $1`,
      [id, outcome.status, outcome.nextAttemptAt ?? null, outcome.error ?? null],
    );
  }

  /** A subscription with its query (for a delivery): undefined once unsubscribed. */
  async subscriptionById(id: string): Promise<SubscriptionRecord | undefined> {
    const row = await this.dataSource.getRepository(SubscriptionEntity).findOneBy({ id });
    return row === null ? undefined : toSubscription(row);
  }

  async queryById(id: string): Promise<NamedQueryRecord | undefined> {
    const row = await this.dataSource.getRepository(NamedQueryEntity).findOneBy({ id });
    return row === null ? undefined : toQuery(row);
  }

  /** Deliveries of a subscription, newest first (what its owner may look at). */
  async deliveries(
    subscriptionId: string,
    limit: number,
  ): Promise<Array<{ id: string; status: string; attempts: number; lastError: string | null; createdAt: Date }>> {
    const found = await this.dataSource
      .getRepository(SubscriptionDeliveryEntity)
      .find({ where: { subscriptionId }, order: { createdAt: "DESC" }, take: limit });
    return found.map((row) => ({
      id: row.id,
      status: row.status,
      attempts: row.attempts,
      lastError: row.lastError,
      createdAt: row.createdAt,
    }));
  }
}

function toQuery(row: NamedQueryEntity): NamedQueryRecord {
  return { id: row.id, owner: row.owner, name: row.name, parameters: row.parameters, createdAt: row.createdAt };
}

function toSubscription(row: SubscriptionEntity): SubscriptionRecord {
  return {
    id: row.id,
    queryId: row.queryId,
    dest: row.dest,
    sealedToken: row.sealedToken,
    stream: row.stream,
    schedule: row.schedule,
    reportIfEmpty: row.reportIfEmpty,
    afterSeq: row.afterSeq,
    nextRunAt: row.nextRunAt,
    createdAt: row.createdAt,
  };
}
