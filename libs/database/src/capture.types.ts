import type { PreparedEvent } from "#capture";

export interface EventToStore {
  readonly prepared: PreparedEvent;
  readonly signer: string;
  readonly signature: string;
  readonly custodial: boolean;
  /** For an error declaration: the id it is stored and anchored under. */
  readonly declarationId: string | undefined;
}

export interface CaptureInput {
  readonly participantId: string;
  /** The EPCIS recordTime of every event this capture stores (millisecond precision, like the page cursors). */
  readonly recordTime: Date;
  readonly documentSha256: string;
  /** The document's @context, stored with each event (its extensions are namespaced by it). */
  readonly context: unknown;
  readonly events: readonly EventToStore[];
}

/**
 * created: stored now; exists: the same event (hash), signed by the same key, was captured before (or the same
 * declaration); retracted: an error declaration applied.
 */
export type EventOutcome = "created" | "exists" | "retracted";

export interface CaptureResult {
  readonly captureId: string;
  readonly createdAt: Date;
  readonly events: ReadonlyArray<{ eventHash: string; eventId: string; outcome: EventOutcome }>;
}
