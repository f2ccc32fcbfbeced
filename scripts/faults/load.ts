import { setTimeout as sleep } from "node:timers/promises";
import { commissioningEvents, signedDocument } from "../bench/documents.js";
import type { SigningParticipant } from "../bench/participants.js";
import { ApiError, CarbonTraceClient } from "#client";

/** What the load client saw: every event the service acknowledged, and every answer it should not have given. */
export interface LoadFigures {
  /** Event hashes the service answered 202 for (created or already stored): each must be stored and anchored. */
  readonly acknowledged: ReadonlySet<string>;
  readonly documentsAcknowledged: number;
  /** Answers that say the service is down or busy (503, 408, no connection): the client retries them. */
  readonly retried: number;
  /** 5xx other than 503: never due, whatever the fault. */
  readonly serverErrors: readonly Failure[];
  /** 4xx other than 408/429 for a valid signed document: never due either. */
  readonly refused: readonly Failure[];
}

/** An answer that should not have been given, with the round it came in. */
export interface Failure {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly during: string;
}

const EVENTS_PER_DOCUMENT = 10;
const CLIENTS = 2;
/** Longer than any deadline of the service (20 s database reply, 15 s chain RPC). */
const REQUEST_TIMEOUT_MS = 60_000;
/** How long a client waits before sending a document again after the service did not take it. */
const RETRY_MS = 250;

/**
 * Clients posting signed documents of new lots, as partners would, for as long as the run lasts. A document the
 * service did not acknowledge (no answer, 503) is sent again, unchanged, until it is: capture is idempotent per
 * event, so what the first try stored comes back as already stored.
 */
export class LoadClient {
  private running = true;
  private readonly acknowledged = new Set<string>();
  private documentsAcknowledged = 0;
  private retried = 0;
  private readonly serverErrors: Failure[] = [];
  private readonly refused: Failure[] = [];
  /** What is happening now (the round), recorded with any failure. */
  phase = "start";
  private readonly loops: Array<Promise<void>>;
  private sequence = 0;
  /** The partner's API client, with a deadline on every request. */
  readonly client: CarbonTraceClient;

  constructor(
    private readonly participant: SigningParticipant,
    baseUrl: string,
    private readonly run: string,
  ) {
    // Every request has a deadline: a client that waits forever on a stalled service would hang the whole run.
    this.client = new CarbonTraceClient({
      baseUrl,
      apiKey: participant.token,
      fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
    });
    this.loops = Array.from({ length: CLIENTS }, (_, client) => this.loop(client));
  }

  async stop(): Promise<LoadFigures> {
    this.running = false;
    await Promise.all(this.loops);
    return {
      acknowledged: this.acknowledged,
      documentsAcknowledged: this.documentsAcknowledged,
      retried: this.retried,
      serverErrors: this.serverErrors,
      refused: this.refused,
    };
  }

  /** Events acknowledged so far. */
  get count(): number {
    return this.acknowledged.size;
  }

  private async loop(client: number): Promise<void> {
    while (this.running) {
      const document = await this.nextDocument(client);
      // Once sent, a document is sent until acknowledged, even after stop: its events may already be stored.
      while (!(await this.post(document))) await sleep(RETRY_MS);
    }
  }

  /** A document of new lots `F<run>c<client>d<n>x<i>`, as the bench's supplier commissions them. */
  private nextDocument(client: number): Promise<string> {
    const prefix = `F${this.run}c${String(client)}d${String(this.sequence++)}`;
    return signedDocument(this.participant, commissioningEvents(prefix, EVENTS_PER_DOCUMENT));
  }

  /** True once the service acknowledged the document; false when it should be sent again. */
  private async post(body: string): Promise<boolean> {
    let answer: { running: boolean; events: ReadonlyArray<{ eventHash: string }> };
    try {
      answer = await this.client.json("POST", "/capture", body, { "content-type": "application/ld+json" });
    } catch (error) {
      if (!(error instanceof ApiError) || RETRIED_STATUSES.has(error.status)) {
        this.retried += 1; // no answer (connection refused or reset), or "try again"
        return false;
      }
      const failure = { status: error.status, code: error.code, detail: error.message, during: this.phase };
      if (error.status >= 500) this.serverErrors.push(failure);
      else this.refused.push(failure);
      return true; // not sent again: the answer says it will never be taken
    }
    if (answer.running) {
      this.retried += 1;
      return false;
    }
    for (const event of answer.events) this.acknowledged.add(event.eventHash);
    this.documentsAcknowledged += 1;
    return true;
  }
}

/** Answers that mean "not now": the service is down, busy or slow. */
const RETRIED_STATUSES = new Set([408, 429, 503]);
