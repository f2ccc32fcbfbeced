import { signDocument } from "#proof";
import { epcisDocument, lotUri, RPET_GTINS, withCheckDigit } from "#scenario";
import type { SigningParticipant } from "./participants.js";

type Json = Record<string, unknown>;

/** A supplier baling a new lot of bottles, as the reference scenario records it (~0.6 kB of JSON). */
function commissioningEvent(lot: string, i: number): Json {
  return {
    type: "ObjectEvent",
    eventTime: `2025-09-01T${String(8 + (i % 10)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:00.000+08:00`,
    eventTimeZoneOffset: "+08:00",
    action: "ADD",
    bizStep: "commissioning",
    disposition: "active",
    readPoint: { id: "urn:epc:id:sgln:6901234.00001.1" },
    bizLocation: { id: "urn:epc:id:sgln:6901234.00001.0" },
    quantityList: [{ epcClass: lotUri(RPET_GTINS.bales, lot), quantity: 1000 + i, uom: "KGM" }],
    "ct:process": "baling",
    "ct:activity": {
      "ct:electricity": [{ "ct:kWh": 50 + (i % 20), "ct:gridRegion": "CN-ZJ", "ct:basis": "measured" }],
    },
  };
}

/** A lot moving between bench partners: its class URI and the quantity (kg) handed over. */
export interface Consigned {
  readonly epcClass: string;
  readonly kg: number;
}

/**
 * Lots handed from one partner to another, as the shipper (`shipping`, addressed to the receiver) or the receiver
 * (`receiving`, from the shipper) records it: under the authority rules only a lot's maker, or a partner a shipment
 * of it was addressed to, may use it. Partners are named by their GLN without the check digit.
 */
export function consignment(
  bizStep: "shipping" | "receiving",
  lots: readonly Consigned[],
  from: string,
  to: string,
  eventTime: string,
): Json {
  const party = (gln: string): string => {
    const full = withCheckDigit(gln);
    return `urn:epc:id:pgln:${full.slice(0, 7)}.${full.slice(7, 12)}`;
  };
  return {
    type: "ObjectEvent",
    eventTime,
    eventTimeZoneOffset: "+08:00",
    action: "OBSERVE",
    bizStep,
    quantityList: lots.map((lot) => ({ epcClass: lot.epcClass, quantity: lot.kg, uom: "KGM" })),
    ...(bizStep === "shipping"
      ? { destinationList: [{ type: "owning_party", destination: party(to) }] }
      : { sourceList: [{ type: "owning_party", source: party(from) }] }),
  };
}

/** `count` commissioning events of new lots `<lotPrefix>x<i>`, in one EPCIS document. */
export function commissioningEvents(lotPrefix: string, count: number): Json[] {
  return Array.from({ length: count }, (_, i) => commissioningEvent(`${lotPrefix}x${String(i)}`, i));
}

/**
 * The events in one EPCIS document signed by the participant's own key (EIP-712 over each CBV event hash, in the
 * service's signing domain), serialised as it is posted. Callers sign before they start a clock.
 */
export async function signedDocument(participant: SigningParticipant, events: readonly Json[]): Promise<string> {
  return JSON.stringify(await signDocument(epcisDocument(events), participant.wallet, participant.domain));
}

/** `documents` signed documents of `eventsPerDocument` new lots each (lots `<prefix>x<document>x<event>`). */
export async function signedDocuments(
  participant: SigningParticipant,
  prefix: string,
  documents: number,
  eventsPerDocument: number,
): Promise<string[]> {
  const bodies: string[] = [];
  for (let d = 0; d < documents; d++) {
    bodies.push(await signedDocument(participant, commissioningEvents(`${prefix}x${String(d)}`, eventsPerDocument)));
  }
  return bodies;
}

/** Posts one serialised document to POST /capture; returns the stored events, in document order. */
export async function postDocument(
  participant: SigningParticipant,
  body: string,
): Promise<ReadonlyArray<{ eventID: string; outcome: string }>> {
  const job = await participant.client.json<{
    running: boolean;
    events: ReadonlyArray<{ eventID: string; outcome: string }>;
  }>("POST", "/capture", body, { "content-type": "application/ld+json" });
  // POST /capture answers once its transaction committed; a running job would mean events not stored yet.
  if (job.running) throw new Error("a capture job is still running after its 202");
  return job.events;
}
