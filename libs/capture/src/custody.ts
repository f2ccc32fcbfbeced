import { DomainError } from "#common";
import { add, compare, isPositive, negate, toText, ZERO, type Decimal } from "./decimal.js";
import { canonicalIdentifier, lotOf, type LotIdentifier } from "./identifiers.js";
import { bareBizStep, ENDING_STEPS, MAKING_STEPS, quantities } from "./quantity-lists.js";
import { normaliseQuantity, type TrackedUnit } from "./units.js";

/**
 * Custody: who may write about a lot. The rule (docs/authority.md) follows EPCIS source/destination semantics:
 * - the participant that first produces a lot (or first names one that has no provenance here) is its originator
 *   and holds what it made; only the originator may produce more of it;
 * - a holder ships part or all of what it holds: the quantity leaves its holding and, when the event's
 *   destinationList names a registered participant, is in transit to that participant;
 * - only the participant a shipment is addressed to may receive it, at most what is in transit to it;
 * - any other event naming a lot (using it up, storing, inspecting it…) needs the author to hold that quantity.
 * The same pure functions run at capture (against the database) and in the verifier (replaying a bundle).
 */
export type CustodyStep = "produce" | "consume" | "ship" | "receive" | "handle";

export interface CustodyAction {
  readonly lot: LotIdentifier;
  readonly step: CustodyStep;
  /** The quantity the event names, in `unit`; undefined when it names the lot without a quantity. */
  readonly amount: Decimal | undefined;
  readonly unit: TrackedUnit | undefined;
}

export interface Holding {
  readonly held: Decimal;
  readonly inTransit: Decimal;
}

/** What custody knows about one lot; `party` keys are participant ids (capture) or signer addresses (verifier). */
export interface LotCustody {
  readonly lotId: string;
  /** The lot's tracked unit, once known. */
  readonly unit: TrackedUnit | undefined;
  /** Who produced the lot first or named it first without provenance; undefined while no one has. */
  readonly originator: string | undefined;
  readonly holdings: ReadonlyMap<string, Holding>;
}

/** A change of one party's holding of one lot: what capture stores, and reverses when the event is retracted. */
export interface CustodyDelta {
  readonly lotId: string;
  readonly party: string;
  readonly held: Decimal;
  readonly inTransit: Decimal;
}

export interface CustodyContext {
  /** Who records the event. */
  readonly actor: string;
  /** The participant the event ships to (its destinationList resolved), if any. */
  readonly receiver: string | undefined;
  /** Position of the event in its document (for error messages). */
  readonly eventIndex: number;
  /** How to name a party in an error message. */
  readonly describe?: (party: string) => string;
}

export function emptyCustody(lotId: string): LotCustody {
  return { lotId, unit: undefined, originator: undefined, holdings: new Map() };
}

const SHIPPING_STEPS = new Set(["shipping"]);
const RECEIVING_STEPS = new Set(["receiving", "accepting"]);
const NOTHING: Holding = { held: ZERO, inTransit: ZERO };

/**
 * Every lot an event names in a quantity list, with what the event does to it. Unlike lot movements this
 * includes lots named without a quantity: naming a lot at all needs custody of it.
 */
export function custodyActionsOf(event: Readonly<Record<string, unknown>>): CustodyAction[] {
  const actions: CustodyAction[] = [];
  const add = (field: string, step: CustodyStep): void => {
    for (const element of quantities(event, field)) {
      const lot = lotOf(element.epcClass);
      if (lot === undefined) continue;
      const quantity = element.quantity === undefined ? undefined : normaliseQuantity(element.quantity, element.uom);
      const named = { lot, amount: quantity?.amount, unit: quantity?.unit };
      // Using up or making an unknown quantity moves nothing: the author must still hold (or originate) the lot.
      actions.push({ ...named, step: quantity === undefined && step === "consume" ? "handle" : step });
    }
  };
  const step = bareBizStep(event.bizStep);
  if (event.type === "TransformationEvent") {
    add("inputQuantityList", "consume");
    add("outputQuantityList", "produce");
    return actions;
  }
  const observed: CustodyStep = SHIPPING_STEPS.has(step) ? "ship" : RECEIVING_STEPS.has(step) ? "receive" : "handle";
  if (event.type === "ObjectEvent") {
    add(
      "quantityList",
      event.action === "ADD" && MAKING_STEPS.has(step)
        ? "produce"
        : event.action === "DELETE" && ENDING_STEPS.has(step)
          ? "consume"
          : observed,
    );
    return actions;
  }
  add("quantityList", observed);
  add("childQuantityList", observed);
  return actions;
}

/**
 * The next custody state of a lot after one action, and the holding changes that lead there. Throws a
 * LOT.* DomainError when the actor may not do it. A lot no one has named yet is declared by its first
 * author (its originator), with the quantity that author names.
 */
export function stepCustody(
  state: LotCustody,
  action: CustodyAction,
  context: CustodyContext,
): { state: LotCustody; deltas: CustodyDelta[] } {
  const { actor } = context;
  if (state.unit !== undefined && action.unit !== undefined && action.unit !== state.unit) {
    throw new DomainError(
      "MASS_BALANCE.UNIT_MISMATCH",
      "conflict",
      `Event ${context.eventIndex} states lot ${state.lotId} in ${action.unit}, but the lot is tracked in ${state.unit}`,
      { eventIndex: context.eventIndex, lot: state.lotId, unit: action.unit, lotUnit: state.unit },
    );
  }
  const changes = new Changes(state, action.unit);
  const amount = action.amount ?? ZERO;
  if (state.originator === undefined) {
    if (action.amount === undefined && action.step !== "produce") return { state, deltas: [] };
    changes.originate(actor);
    changes.move(actor, amount, ZERO);
    if (action.step === "produce" || action.step === "receive" || action.step === "handle") return changes.result();
  } else if (action.step === "produce") {
    if (state.originator !== actor) throw notOriginator(state, context);
    changes.move(actor, amount, ZERO);
    return changes.result();
  }
  const holding = changes.holdingOf(actor);
  switch (action.step) {
    case "consume":
      requireHeld(state, holding, amount, context, "use");
      changes.move(actor, negate(amount), ZERO);
      break;
    case "ship": {
      const shipped = action.amount ?? holding.held;
      requireHeld(state, holding, shipped, context, "ship");
      changes.move(actor, negate(shipped), ZERO);
      if (context.receiver === actor) changes.move(actor, shipped, ZERO);
      else if (context.receiver !== undefined) changes.move(context.receiver, ZERO, shipped);
      break;
    }
    case "receive": {
      const received = action.amount ?? holding.inTransit;
      if (!isPositive(holding.inTransit) || compare(received, holding.inTransit) > 0) {
        throw noShipment(state, holding, received, context);
      }
      changes.move(actor, received, negate(received));
      break;
    }
    case "handle":
      if (!isPositive(add(holding.held, holding.inTransit))) throw notHolder(state, context, "record events about");
      if (compare(amount, add(holding.held, holding.inTransit)) > 0) {
        throw exceeds(state, holding, amount, context, "record");
      }
      break;
  }
  return changes.result();
}

/** The participant a shipping event sends to: possessing party, else location, else owning party. */
export function receiverOf(
  event: Readonly<Record<string, unknown>>,
  partyOfGln: (gln: string) => string | undefined,
): string | undefined {
  const destinations = Array.isArray(event.destinationList) ? event.destinationList : [];
  const byType = new Map<string, string>();
  for (const entry of destinations) {
    if (typeof entry !== "object" || entry === null) continue;
    const { type, destination } = entry as { type?: unknown; destination?: unknown };
    if (typeof type !== "string" || typeof destination !== "string") continue;
    const gln = glnOf(destination);
    const party = gln === undefined ? undefined : partyOfGln(gln);
    const kind = type.replace(/^https:\/\/ref\.gs1\.org\/cbv\/SDT-/, "");
    if (party !== undefined && !byType.has(kind)) byType.set(kind, party);
  }
  return byType.get("possessing_party") ?? byType.get("location") ?? byType.get("owning_party");
}

/** The GLNs of the places an event says it happened at (bizLocation and readPoint). */
export function locationGlnsOf(event: Readonly<Record<string, unknown>>): string[] {
  const glns: string[] = [];
  for (const field of ["bizLocation", "readPoint"]) {
    const value = event[field];
    const id = typeof value === "object" && value !== null ? (value as { id?: unknown }).id : undefined;
    const gln = typeof id === "string" ? glnOf(id) : undefined;
    if (gln !== undefined && !glns.includes(gln)) glns.push(gln);
  }
  return glns;
}

/** The GLN in a party or location identifier: SGLN or PGLN URN, or a Digital Link with AI 414 or 417. */
export function glnOf(identifier: string): string | undefined {
  const match = /^https:\/\/id\.gs1\.org\/41[47]\/(\d{13})(?:$|\/)/.exec(canonicalIdentifier(identifier));
  return match?.[1];
}

/** Applies deltas to a custody state (the verifier's replay, and reversal of a retracted event). */
export function applyDeltas(state: LotCustody, deltas: readonly CustodyDelta[]): LotCustody {
  const holdings = new Map(state.holdings);
  for (const delta of deltas) {
    if (delta.lotId !== state.lotId) continue;
    const current = holdings.get(delta.party) ?? NOTHING;
    holdings.set(delta.party, {
      held: add(current.held, delta.held),
      inTransit: add(current.inTransit, delta.inTransit),
    });
  }
  return { ...state, holdings };
}

class Changes {
  private originator: string | undefined;
  private readonly deltas = new Map<string, { held: Decimal; inTransit: Decimal }>();

  constructor(
    private readonly state: LotCustody,
    private readonly unit: TrackedUnit | undefined,
  ) {
    this.originator = state.originator;
  }

  originate(party: string): void {
    this.originator = party;
  }

  holdingOf(party: string): Holding {
    const base = this.state.holdings.get(party) ?? NOTHING;
    const delta = this.deltas.get(party);
    return delta === undefined
      ? base
      : { held: add(base.held, delta.held), inTransit: add(base.inTransit, delta.inTransit) };
  }

  move(party: string, held: Decimal, inTransit: Decimal): void {
    const previous = this.deltas.get(party) ?? NOTHING;
    this.deltas.set(party, { held: add(previous.held, held), inTransit: add(previous.inTransit, inTransit) });
  }

  result(): { state: LotCustody; deltas: CustodyDelta[] } {
    const deltas = [...this.deltas.entries()]
      .filter(([, d]) => d.held.digits !== 0n || d.inTransit.digits !== 0n)
      .map(([party, d]) => ({ lotId: this.state.lotId, party, held: d.held, inTransit: d.inTransit }));
    const next = applyDeltas({ ...this.state, originator: this.originator }, deltas);
    return { state: { ...next, unit: this.state.unit ?? this.unit }, deltas };
  }
}

function requireHeld(
  state: LotCustody,
  holding: Holding,
  amount: Decimal,
  context: CustodyContext,
  verb: string,
): void {
  if (!isPositive(holding.held)) {
    if (isPositive(holding.inTransit)) throw inTransit(state, holding, context, verb);
    throw notHolder(state, context, verb);
  }
  if (compare(amount, holding.held) > 0) throw exceeds(state, holding, amount, context, verb);
}

function who(context: CustodyContext, party: string | undefined): string {
  if (party === undefined) return "nobody";
  return context.describe?.(party) ?? party;
}

function notOriginator(state: LotCustody, context: CustodyContext): DomainError {
  return new DomainError(
    "LOT.NOT_ORIGINATOR",
    "forbidden",
    `Event ${context.eventIndex} produces more of lot ${state.lotId}, which ${who(context, state.originator)} ` +
      "produced: only the participant that made a lot may add to it (use a lot number of your own)",
    { eventIndex: context.eventIndex, lot: state.lotId, originator: who(context, state.originator) },
  );
}

function notHolder(state: LotCustody, context: CustodyContext, verb: string): DomainError {
  return new DomainError(
    "LOT.NOT_HOLDER",
    "forbidden",
    `Event ${context.eventIndex} would ${verb} lot ${state.lotId}, but this participant does not hold any of it ` +
      `(it was made by ${who(context, state.originator)}): only a participant that made a lot or received it ` +
      "in a shipment addressed to it may record events about it",
    { eventIndex: context.eventIndex, lot: state.lotId, originator: who(context, state.originator) },
  );
}

function inTransit(state: LotCustody, holding: Holding, context: CustodyContext, verb: string): DomainError {
  return new DomainError(
    "LOT.NOT_RECEIVED",
    "conflict",
    `Event ${context.eventIndex} would ${verb} lot ${state.lotId}, but the ${toText(holding.inTransit)} shipped ` +
      "to this participant has not been received yet: record the receiving event first",
    { eventIndex: context.eventIndex, lot: state.lotId, inTransit: toText(holding.inTransit) },
  );
}

function exceeds(
  state: LotCustody,
  holding: Holding,
  amount: Decimal,
  context: CustodyContext,
  verb: string,
): DomainError {
  const holds = add(holding.held, verb === "record" ? holding.inTransit : ZERO);
  return new DomainError(
    "LOT.EXCEEDS_HOLDING",
    "conflict",
    `Event ${context.eventIndex} would ${verb} ${toText(amount)} ${state.unit ?? ""} of lot ${state.lotId}, ` +
      `but this participant holds only ${toText(holds)}`,
    { eventIndex: context.eventIndex, lot: state.lotId, requested: toText(amount), held: toText(holds) },
  );
}

function noShipment(state: LotCustody, holding: Holding, received: Decimal, context: CustodyContext): DomainError {
  return new DomainError(
    "LOT.NO_SHIPMENT",
    "conflict",
    isPositive(holding.inTransit)
      ? `Event ${context.eventIndex} receives ${toText(received)} of lot ${state.lotId}, but only ` +
          `${toText(holding.inTransit)} was shipped to this participant`
      : `Event ${context.eventIndex} receives lot ${state.lotId}, but no shipment of it is addressed to this ` +
          "participant: the shipper must name it in the shipping event's destinationList",
    { eventIndex: context.eventIndex, lot: state.lotId, inTransit: toText(holding.inTransit) },
  );
}
