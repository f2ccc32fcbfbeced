import type { BundleDeclaration, BundleEvent, ProofBundle } from "#proof";

export interface JourneyQuantity {
  readonly direction: "in" | "out" | "seen";
  /** The lot's class-level id (LGTIN URN or Digital Link). */
  readonly lot: string;
  readonly quantity: number | null;
  readonly uom: string | null;
}

/** One event on the journey timeline, in plain terms. */
export interface JourneyStep {
  readonly eventHash: string;
  readonly eventId: string | null;
  readonly eventType: string;
  readonly time: string;
  readonly timeZoneOffset: string | null;
  readonly role: string;
  /** Bare CBV business step ("commissioning"), or null. */
  readonly bizStep: string | null;
  readonly participant: {
    readonly address: string;
    readonly organisation: string;
    readonly name: { readonly en: string; readonly zh: string };
  } | null;
  /** Self-signed by the partner's own key, or signed by the service with the partner's custodial key. */
  readonly signing: "self" | "custodial";
  readonly place: string | null;
  readonly quantities: readonly JourneyQuantity[];
  readonly evidence: ReadonlyArray<{ readonly cid: string; readonly mediaType: string; readonly url: string }>;
  readonly anchor: { readonly status: string; readonly txHash: string | null; readonly blockNumber: number | null };
  /** Set when the partner that recorded this step declared it erroneous: it no longer counts. */
  readonly correction: JourneyCorrection | null;
}

/** An error declaration, as a consumer reads it: who corrected the record, when, and why. */
export interface JourneyCorrection {
  /** When the partner declared it erroneous (its declarationTime), else when the declaration was recorded. */
  readonly declaredAt: string;
  /** CBV error reason (`incorrect_data`, `did_not_occur`), bare. */
  readonly reason: string | null;
  readonly by: { readonly organisation: string; readonly name: { readonly en: string; readonly zh: string } } | null;
  /** Ids of the events that replace it, if the declaration names any. */
  readonly correctiveEventIds: readonly string[];
}

/** The lot's events as a timeline (oldest first); a step its partner declared erroneous carries its correction. */
export function timelineOf(bundle: ProofBundle, evidenceBase: string): JourneyStep[] {
  const participants = new Map(bundle.participants.map((p) => [p.address.toLowerCase(), p]));
  const declarations = new Map((bundle.declarations ?? []).map((d) => [d.eventHash, d]));
  return bundle.events
    .map((item) => {
      const declaration = item.retracted ? declarations.get(item.eventHash) : undefined;
      return {
        ...stepOf(item, participants.get(item.signer.toLowerCase()), bundle, evidenceBase),
        correction:
          declaration === undefined
            ? null
            : correctionOf(declaration, participants.get(declaration.signer.toLowerCase())),
      };
    })
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

function correctionOf(
  declaration: BundleDeclaration,
  participant: ProofBundle["participants"][number] | undefined,
): JourneyCorrection {
  const content = (declaration.event.errorDeclaration ?? {}) as Record<string, unknown>;
  const corrective = Array.isArray(content.correctiveEventIDs) ? content.correctiveEventIDs : [];
  return {
    declaredAt: text(content.declarationTime) ?? declaration.recordTime,
    reason: text(content.reason)?.replace(/^.*ErrDeclReason-/, "") ?? null,
    by: participant === undefined ? null : { organisation: participant.organisation, name: participant.displayName },
    correctiveEventIds: corrective.filter((id): id is string => typeof id === "string"),
  };
}

function stepOf(
  item: BundleEvent,
  participant: ProofBundle["participants"][number] | undefined,
  bundle: ProofBundle,
  evidenceBase: string,
): Omit<JourneyStep, "correction"> {
  const event = item.event;
  return {
    eventHash: item.eventHash,
    eventId: text(event.eventID),
    eventType: text(event.type) ?? "Event",
    time: text(event.eventTime) ?? item.recordTime,
    timeZoneOffset: text(event.eventTimeZoneOffset),
    role: item.role,
    bizStep: bareBizStep(text(event.bizStep)),
    participant:
      participant === undefined
        ? null
        : { address: participant.address, organisation: participant.organisation, name: participant.displayName },
    signing: item.custodial ? "custodial" : "self",
    place: idOf(event.bizLocation) ?? idOf(event.readPoint),
    quantities: [
      ...quantitiesOf(event.inputQuantityList, "in"),
      ...quantitiesOf(event.outputQuantityList, "out"),
      ...quantitiesOf(event.quantityList, "seen"),
      ...quantitiesOf((event.extension as Record<string, unknown> | undefined)?.quantityList, "seen"),
    ],
    evidence: bundle.evidence
      .filter((file) => file.events.includes(item.eventHash))
      .map((file) => ({ cid: file.cid, mediaType: file.mediaType, url: `${evidenceBase}${file.cid}` })),
    anchor: {
      status: item.anchor.status,
      txHash: item.anchor.batch?.txHash ?? null,
      blockNumber: item.anchor.batch?.blockNumber ?? null,
    },
  };
}

function quantitiesOf(list: unknown, direction: JourneyQuantity["direction"]): JourneyQuantity[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    if (typeof entry !== "object" || entry === null) return [];
    const element = entry as Record<string, unknown>;
    const lot = text(element.epcClass);
    if (lot === null) return [];
    return [
      {
        direction,
        lot,
        quantity: typeof element.quantity === "number" ? element.quantity : null,
        uom: text(element.uom),
      },
    ];
  });
}

function bareBizStep(bizStep: string | null): string | null {
  if (bizStep === null) return null;
  const match = /(?:BizStep-|bizstep:)([A-Za-z_]+)$/.exec(bizStep);
  return match?.[1] ?? bizStep;
}

function idOf(value: unknown): string | null {
  return typeof value === "object" && value !== null ? text((value as Record<string, unknown>).id) : null;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
