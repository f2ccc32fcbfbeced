import { DomainError } from "#common";
import { eventHashOf } from "#epcis";
import type { EpcisEvent, ParsedDocument } from "./document.js";
import { custodyActionsOf, glnOf, locationGlnsOf, type CustodyAction } from "./custody.js";
import { canonicalIdentifier, lotOf } from "./identifiers.js";
import { checkYield, lotMovementsOf, type LotMovement } from "./lot-movements.js";
import { roleFor, type SupplyChainRole } from "./role-policy.js";
import { evidenceCidsOf, readExtension, type CarbonTraceExtension } from "./vocabulary.js";

/** The indexed columns of an event. */
export interface EventSummary {
  readonly eventType: string;
  readonly action: string | null;
  readonly bizStep: string | null;
  readonly disposition: string | null;
  readonly readPoint: string | null;
  readonly bizLocation: string | null;
  readonly eventTime: Date;
  readonly eventTimeZoneOffset: string;
}

/** An identifier the event mentions, for MATCH_epc / MATCH_anyEPCClass. */
export interface EventReference {
  readonly field: string;
  readonly position: number;
  readonly uri: string;
  readonly isClass: boolean;
  readonly quantity: string | null;
  readonly uom: string | null;
}

export interface PreparedEvent {
  /** Position in the document's event list. */
  readonly index: number;
  readonly eventHash: string;
  readonly eventId: string;
  /** The event as it will be stored: as written, with eventID set when it had none. */
  readonly body: EpcisEvent;
  readonly extension: CarbonTraceExtension;
  readonly role: SupplyChainRole;
  readonly movements: readonly LotMovement[];
  /** What the event does to each lot it names, for the custody rule (empty for an error declaration). */
  readonly custody: readonly CustodyAction[];
  /** GLNs of the places the event names (bizLocation, readPoint): they must not be another participant's. */
  readonly locationGlns: readonly string[];
  /** GLNs the event names as destinations (destinationList). */
  readonly destinationGlns: readonly string[];
  /** Ids of the lots its author declares to have no provenance here (`ct:externalLots`). */
  readonly externalLots: readonly string[];
  readonly references: readonly EventReference[];
  readonly evidenceCids: readonly string[];
  /** Present when the event declares an earlier capture of itself erroneous. */
  readonly errorDeclaration: Readonly<Record<string, unknown>> | undefined;
  readonly summary: EventSummary;
}

const INSTANCE_FIELDS = ["epcList", "childEPCs", "inputEPCList", "outputEPCList"] as const;
const CLASS_FIELDS = ["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"] as const;
const CBV = "https://ref.gs1.org/cbv/";

/**
 * Checks everything about a document's events that needs no database: size, our extension, who may record
 * them, yield; computes hashes, lot movements and query references. All-or-nothing: the first problem throws.
 * `hashes`: the events' hashes computed beforehand (on a worker thread), where known; the others are computed here.
 */
export function prepareEvents(
  document: ParsedDocument,
  heldRoles: readonly SupplyChainRole[],
  maxEvents: number,
  hashes: ReadonlyArray<string | null> = [],
): PreparedEvent[] {
  checkEventCount(document, maxEvents);
  const prepared: PreparedEvent[] = [];
  const seen = new Map<string, boolean>();
  const ids = new Map<string, string>();
  document.events.forEach((event, index) => {
    const eventHash = hashes[index] ?? eventHashOf(event, document.namespaces);
    const declares = isObject(event.errorDeclaration);
    const earlier = seen.get(eventHash);
    if (earlier !== undefined && earlier !== declares) {
      throw new DomainError(
        "CAPTURE.DECLARATION_WITH_EVENT",
        "invalid",
        `Event ${index} declares erroneous an event the same document records: capture the event and its ` +
          "error declaration in separate documents",
        { eventIndex: index, eventHash },
      );
    }
    if (earlier !== undefined) return; // the same event twice in one document is one event
    seen.set(eventHash, declares);
    const eventId = typeof event.eventID === "string" ? event.eventID : eventHash;
    const other = ids.get(eventId);
    if (other !== undefined) {
      throw new DomainError(
        "CAPTURE.EVENT_ID_CONFLICT",
        "conflict",
        `Event ${index} reuses the eventID ${eventId} of a different event in the same document`,
        { eventIndex: index, eventId },
      );
    }
    ids.set(eventId, eventHash);
    prepared.push(prepareEvent(event, index, eventHash, eventId, document, heldRoles));
  });
  return prepared;
}

/** A document has at least one event and at most `maxEvents` (checked before any event is hashed). */
export function checkEventCount(document: ParsedDocument, maxEvents: number): void {
  if (document.events.length === 0) {
    throw new DomainError("CAPTURE.NO_EVENTS", "invalid", "The document contains no events");
  }
  if (document.events.length > maxEvents) {
    throw new DomainError(
      "CAPTURE.TOO_MANY_EVENTS",
      "too-large",
      `The document contains ${document.events.length} events; at most ${maxEvents} per capture`,
      { limit: maxEvents },
    );
  }
}

function prepareEvent(
  event: EpcisEvent,
  index: number,
  eventHash: string,
  eventId: string,
  document: ParsedDocument,
  heldRoles: readonly SupplyChainRole[],
): PreparedEvent {
  const extension = readExtension(event, document.namespaces, index);
  const summary = summarise(event, index);
  const role = roleFor(
    heldRoles,
    { eventType: summary.eventType, bizStep: summary.bizStep ?? undefined, process: extension.process },
    index,
  );
  const errorDeclaration = isObject(event.errorDeclaration) ? event.errorDeclaration : undefined;
  if (errorDeclaration === undefined) checkYield(event, extension, index);
  return {
    index,
    eventHash,
    eventId,
    body: typeof event.eventID === "string" ? event : { ...event, eventID: eventId },
    extension,
    role,
    movements: errorDeclaration === undefined ? lotMovementsOf(event, extension) : [],
    custody: errorDeclaration === undefined ? custodyActionsOf(event) : [],
    locationGlns: locationGlnsOf(event),
    destinationGlns: destinationGlnsOf(event),
    externalLots: externalLotsOf(extension, index),
    references: referencesOf(event),
    evidenceCids: evidenceCidsOf(extension),
    errorDeclaration,
    summary,
  };
}

function summarise(event: EpcisEvent, index: number): EventSummary {
  const eventTime = new Date(String(event.eventTime));
  if (Number.isNaN(eventTime.getTime())) {
    throw new DomainError("CAPTURE.EVENT_TIME_INVALID", "invalid", `Event ${index} has no valid eventTime`, {
      eventIndex: index,
    });
  }
  return {
    eventType: String(event.type),
    action: typeof event.action === "string" ? event.action : null,
    bizStep: expandCbv(event.bizStep, "BizStep-"),
    disposition: expandCbv(event.disposition, "Disp-"),
    readPoint: idOf(event.readPoint),
    bizLocation: idOf(event.bizLocation),
    eventTime,
    eventTimeZoneOffset: typeof event.eventTimeZoneOffset === "string" ? event.eventTimeZoneOffset : "+00:00",
  };
}

/** Bare CBV terms (`shipping`) become their URIs, so both spellings are stored and queried alike. */
export function expandCbv(value: unknown, kind: "BizStep-" | "Disp-"): string | null {
  if (typeof value !== "string") return null;
  return /^[a-z_]+$/.test(value) ? `${CBV}${kind}${value}` : value;
}

function idOf(value: unknown): string | null {
  if (!isObject(value) || typeof value.id !== "string") return null;
  return canonicalIdentifier(value.id);
}

function referencesOf(event: EpcisEvent): EventReference[] {
  const references: EventReference[] = [];
  if (typeof event.parentID === "string") {
    references.push({
      field: "parentID",
      position: 0,
      uri: canonicalIdentifier(event.parentID),
      isClass: false,
      quantity: null,
      uom: null,
    });
  }
  for (const field of INSTANCE_FIELDS) {
    const list = event[field];
    if (!Array.isArray(list)) continue;
    list.forEach((epc, position) => {
      if (typeof epc === "string") {
        references.push({ field, position, uri: canonicalIdentifier(epc), isClass: false, quantity: null, uom: null });
      }
    });
  }
  for (const field of CLASS_FIELDS) {
    const list = event[field];
    if (!Array.isArray(list)) continue;
    list.forEach((element, position) => {
      if (!isObject(element) || typeof element.epcClass !== "string") return;
      references.push({
        field,
        position,
        uri: canonicalIdentifier(element.epcClass),
        isClass: true,
        quantity: typeof element.quantity === "number" ? String(element.quantity) : null,
        uom: typeof element.uom === "string" ? element.uom : null,
      });
    });
  }
  return references;
}

function externalLotsOf(extension: CarbonTraceExtension, index: number): string[] {
  return extension.externalLots.map((epcClass) => {
    const lot = lotOf(epcClass);
    if (lot === undefined) {
      throw new DomainError(
        "CAPTURE.EXTENSION_INVALID",
        "invalid",
        `Event ${index}: ct:externalLots names "${epcClass}", which is not a lot (GTIN and lot number)`,
        { eventIndex: index, epcClass },
      );
    }
    return lot.id;
  });
}

function destinationGlnsOf(event: EpcisEvent): string[] {
  const list = Array.isArray(event.destinationList) ? (event.destinationList as unknown[]) : [];
  return list
    .map((entry) => (isObject(entry) && typeof entry.destination === "string" ? glnOf(entry.destination) : undefined))
    .filter((gln): gln is string => gln !== undefined);
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
