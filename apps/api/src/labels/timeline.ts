import type { BundleEvent, ProofBundle } from "#proof";

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
}

/** The lot's events as a timeline (oldest first, retracted events left out). */
export function timelineOf(bundle: ProofBundle, evidenceBase: string): JourneyStep[] {
  const participants = new Map(bundle.participants.map((p) => [p.address.toLowerCase(), p]));
  return bundle.events
    .filter((item) => !item.retracted)
    .map((item) => stepOf(item, participants.get(item.signer.toLowerCase()), bundle, evidenceBase))
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

function stepOf(
  item: BundleEvent,
  participant: ProofBundle["participants"][number] | undefined,
  bundle: ProofBundle,
  evidenceBase: string,
): JourneyStep {
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
