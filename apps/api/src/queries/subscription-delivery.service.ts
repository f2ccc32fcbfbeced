import { createHmac } from "node:crypto";
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { DomainError } from "#common";
import {
  EventRepository,
  QueryRepository,
  type SubscriptionDeliveryOutcome,
  type SubscriptionDeliveryRecord,
  type SubscriptionRecord,
} from "#database";
import { EPCIS_HEADERS } from "../capture/capture.controller.js";
import { OutboundPolicy } from "../common/outbound.js";
import { parseEventQuery } from "../events/event-query.js";
import { joined, QueriesService, subscriptionDocument } from "./queries.service.js";
import { nextRun, type QuerySchedule } from "./schedule.js";

/** Like PACT answers: retried with exponential backoff, abandoned after 72 hours. */
const GIVE_UP_AFTER_MS = 72 * 3600 * 1000;
const FIRST_RETRY_MS = 5_000;
const LONGEST_RETRY_MS = 3600 * 1000;
const REQUEST_TIMEOUT_MS = 10_000;
const POLL_MS = 1_000;
/** Events in one delivered document; a scheduled run with more sends several, one per pass. */
const EVENTS_PER_DOCUMENT = 500;

/** The GS1-Signature of a body: HMAC-SHA256 keyed with the subscriber's signatureToken, hex (docs/subscriptions.md). */
export function gs1Signature(token: string, body: string): string {
  return `sha256=${createHmac("sha256", token).update(body, "utf8").digest("hex")}`;
}

/**
 * Webhook subscriptions at work: turns newly recorded matching events (stream) or a due schedule into queued
 * EPCISQueryDocuments, each subscription's position moved in the same transaction, then posts queued documents
 * with the binding's headers (GS1-EPCIS-Version, GS1-CBV-Version, and GS1-Signature when the subscriber gave a
 * token) through the outbound policy, retrying with backoff. Several instances may run: work is leased.
 */
@Injectable()
export class SubscriptionDeliveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger("subscriptions");
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly queries: QueryRepository,
    private readonly events: EventRepository,
    private readonly service: QueriesService,
    private readonly outbound: OutboundPolicy,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass now (tests, and the poll loop): how many documents were queued and how many delivery attempts made. */
  async runOnce(): Promise<{ queued: number; attempted: number }> {
    let queued = 0;
    for (const subscription of await this.queries.claimSubscriptions(20, 30)) {
      if (await this.collect(subscription)) queued += 1;
    }
    const due = await this.queries.claimDueDeliveries(10, 60);
    for (const delivery of due) await this.queries.settle(delivery.id, await this.attempt(delivery));
    return { queued, attempted: due.length };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.log.error("subscription pass failed", { error: String(error) }))
        .finally(() => this.schedule());
    }, POLL_MS);
    this.timer.unref();
  }

  /** Queues what the subscription has not been sent yet; true when a document was queued. */
  private async collect(subscription: SubscriptionRecord): Promise<boolean> {
    const query = await this.queries.queryById(subscription.queryId);
    if (query === undefined) {
      await this.queries.release(subscription.id);
      return false;
    }
    const found = await this.events.find({
      ...parseEventQuery(joined(query.parameters)),
      afterSeq: subscription.afterSeq,
      limit: EVENTS_PER_DOCUMENT,
    });
    const afterSeq = found.at(-1)?.seq ?? subscription.afterSeq;
    if (subscription.stream) {
      if (found.length === 0) {
        await this.queries.release(subscription.id);
        return false;
      }
      await this.queries.enqueue(subscription.id, this.body(query.name, subscription, found), {
        afterSeq,
        nextRunAt: null,
      });
      return true;
    }
    // A scheduled run: what matched since the last one; more than a document's worth runs again at once.
    const nextRunAt =
      found.length === EVENTS_PER_DOCUMENT
        ? new Date()
        : (nextRun(subscription.schedule as QuerySchedule, new Date()) ?? null);
    const send = found.length > 0 || subscription.reportIfEmpty;
    await this.queries.enqueue(subscription.id, send ? this.body(query.name, subscription, found) : undefined, {
      afterSeq,
      nextRunAt,
    });
    return send;
  }

  private body(
    queryName: string,
    subscription: SubscriptionRecord,
    events: Parameters<typeof subscriptionDocument>[2],
  ): string {
    return JSON.stringify(subscriptionDocument(queryName, subscription.id, events));
  }

  private async attempt(delivery: SubscriptionDeliveryRecord): Promise<SubscriptionDeliveryOutcome> {
    const subscription = await this.queries.subscriptionById(delivery.subscriptionId);
    if (subscription === undefined) return { status: "abandoned", error: "unsubscribed" };
    try {
      const token = this.service.tokenOf(subscription);
      const response = await this.outbound.fetch(subscription.dest, {
        method: "POST",
        headers: {
          "content-type": "application/ld+json",
          ...EPCIS_HEADERS,
          ...(token === undefined ? {} : { "GS1-Signature": gs1Signature(token, delivery.body) }),
        },
        body: delivery.body,
        timeoutMs: REQUEST_TIMEOUT_MS,
      });
      if (response.ok) return { status: "delivered" };
      throw new Error(`${subscription.dest} answered ${String(response.status)}`);
    } catch (error) {
      if (error instanceof DomainError && error.code === "OUTBOUND.NOT_ALLOWED") {
        this.log.warn("subscription delivery abandoned: its destination may not be called", {
          dest: subscription.dest,
          error: error.message,
        });
        return { status: "abandoned", error: error.message };
      }
      return retryOrAbandon(delivery, error instanceof Error ? error.message : String(error), this.log);
    }
  }
}

function retryOrAbandon(delivery: SubscriptionDeliveryRecord, error: string, log: Logger): SubscriptionDeliveryOutcome {
  if (Date.now() - delivery.createdAt.getTime() >= GIVE_UP_AFTER_MS) {
    log.warn("subscription delivery abandoned after 72 hours", { delivery: delivery.id, error });
    return { status: "abandoned", error };
  }
  const delay = Math.min(FIRST_RETRY_MS * 2 ** delivery.attempts, LONGEST_RETRY_MS) * (0.5 + Math.random());
  log.warn("subscription delivery failed; will retry", { delivery: delivery.id, error, retryInMs: Math.round(delay) });
  return { status: "pending", nextAttemptAt: new Date(Date.now() + delay), error };
}
