import { DomainError } from "#common";
import type { FootprintEvent, FootprintGraph, FootprintLot } from "./model.js";

/** One event's movements of one lot in one direction, summed. */
export interface LotFlow {
  readonly lotId: string;
  readonly amount: number;
  /** Known only when every movement summed into it has a mass. */
  readonly massKg: number | undefined;
}

export interface GraphEvent {
  readonly event: FootprintEvent;
  readonly produced: readonly LotFlow[];
  readonly consumed: readonly LotFlow[];
  readonly observed: readonly LotFlow[];
}

/** The lot graph looked up both ways: lot → the events that made or handled it, event → its flows. */
export interface LotGraph {
  readonly lots: ReadonlyMap<string, FootprintLot>;
  readonly events: ReadonlyMap<string, GraphEvent>;
  readonly producersOf: ReadonlyMap<string, readonly GraphEvent[]>;
  readonly observersOf: ReadonlyMap<string, readonly GraphEvent[]>;
}

/** Indexes a footprint graph; repeated lot ids or event hashes make it invalid. */
export function indexGraph(graph: FootprintGraph): LotGraph {
  const lots = new Map<string, FootprintLot>();
  for (const lot of graph.lots) {
    if (lots.has(lot.id)) throw invalidGraph(`Lot ${lot.id} appears twice`, { lot: lot.id });
    lots.set(lot.id, lot);
  }
  const events = new Map<string, GraphEvent>();
  const producersOf = new Map<string, GraphEvent[]>();
  const observersOf = new Map<string, GraphEvent[]>();
  for (const event of graph.events) {
    if (events.has(event.eventHash)) {
      throw invalidGraph(`Event ${event.eventHash} appears twice`, { eventHash: event.eventHash });
    }
    const indexed: GraphEvent = {
      event,
      produced: flowsOf(event, "produced"),
      consumed: flowsOf(event, "consumed"),
      observed: flowsOf(event, "observed"),
    };
    events.set(event.eventHash, indexed);
    for (const flow of indexed.produced) append(producersOf, flow.lotId, indexed);
    for (const flow of indexed.observed) append(observersOf, flow.lotId, indexed);
  }
  return { lots, events, producersOf, observersOf };
}

function flowsOf(event: FootprintEvent, direction: "produced" | "consumed" | "observed"): LotFlow[] {
  const flows = new Map<string, LotFlow>();
  for (const movement of event.movements) {
    if (movement.direction !== direction) continue;
    if (!Number.isFinite(movement.amount) || movement.amount < 0) {
      throw invalidGraph(`Event ${event.eventHash} moves an invalid amount of lot ${movement.lotId}`, {
        eventHash: event.eventHash,
        lot: movement.lotId,
      });
    }
    const previous = flows.get(movement.lotId);
    const massKg =
      previous === undefined
        ? movement.massKg
        : previous.massKg === undefined || movement.massKg === undefined
          ? undefined
          : previous.massKg + movement.massKg;
    flows.set(movement.lotId, {
      lotId: movement.lotId,
      amount: (previous?.amount ?? 0) + movement.amount,
      massKg,
    });
  }
  return [...flows.values()];
}

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function invalidGraph(message: string, details: Readonly<Record<string, unknown>>): DomainError {
  return new DomainError("FOOTPRINT.GRAPH_INVALID", "invalid", message, details);
}

/** What reaches the target: the share of each event's emissions it carries, and its untraced inputs. */
export interface Allocation {
  /** Event hash → fraction of that event's emissions that ends up in the target (only events that reach it). */
  readonly eventWeights: ReadonlyMap<string, number>;
  /** Lots without provenance, with the share of the target's material that comes from them. */
  readonly externalInputs: ReadonlyArray<{ readonly lot: string; readonly share: number }>;
}

type Node = { readonly kind: "lot"; readonly id: string } | { readonly kind: "event"; readonly id: string };

/**
 * Allocates the upstream graph of `target`. The footprint of a lot is
 *   F(L) = Σ_e producing L share_e(L) × [E(e) + Σ_i consumed by e (consumed_e(i) / produced(i)) × F(i)]
 *        + Σ_o observing L share_o(L) × E(o),
 * which is linear in the events' emissions E: F(target) = Σ_e w(e) × E(e). The weights w are found by pushing
 * the target's demand (1) upstream in topological order, so each lot and each event is visited once — the
 * memoised form of the recursion, linear in the size of the graph and free of deep call stacks.
 */
export function allocate(graph: LotGraph, target: string): Allocation {
  const state: AllocationState = {
    demand: new Map([[target, 1]]),
    material: new Map([[target, 1]]),
    production: new Map(),
    observation: new Map(),
    materialIn: new Map(),
    unknownInputShares: new Set(),
    externalInputs: [],
  };
  for (const node of upstreamOrder(graph, target)) {
    if (node.kind === "lot") visitLot(graph, state, node.id);
    else visitEvent(graph, state, node.id);
  }
  return {
    eventWeights: weightsOf(state.production, state.observation),
    externalInputs: checked(state.externalInputs, state.unknownInputShares),
  };
}

/** What has reached each node so far; a node's entries are complete when the topological order reaches it. */
interface AllocationState {
  /** Lot → fraction of its footprint that ends up in the target. */
  readonly demand: Map<string, number>;
  /** Lot → fraction of the target's material that is this lot (NaN: unknown). */
  readonly material: Map<string, number>;
  /** Event → fraction of its emissions the target carries through what it produced … */
  readonly production: Map<string, number>;
  /** … and through what it handled. */
  readonly observation: Map<string, number>;
  /** Event → fraction of the target's material that went through it. */
  readonly materialIn: Map<string, number>;
  readonly unknownInputShares: Set<string>;
  readonly externalInputs: Array<{ lot: string; share: number }>;
}

/** A lot hands its demand to the events that made it (by output share) and handled it (by handled share). */
function visitLot(graph: LotGraph, state: AllocationState, id: string): void {
  const lot = lotOf(graph, id);
  const lotDemand = state.demand.get(id) ?? 0;
  const lotMaterial = state.material.get(id) ?? 0;
  const producers = graph.producersOf.get(id) ?? [];
  const madeByEvents = producers.reduce((sum, producer) => sum + producedAmount(producer, id), 0);
  const made = lot.external ? lot.produced : madeByEvents;
  for (const producer of producers) {
    const hash = producer.event.eventHash;
    if (lotDemand > 0) add(state.production, hash, lotDemand * outputShare(producer, id));
    // NaN (an unknown input share downstream) must travel on, so the test is `!== 0`, not `> 0`.
    if (lotMaterial !== 0 && made > 0) add(state.materialIn, hash, (lotMaterial * producedAmount(producer, id)) / made);
  }
  for (const observer of graph.observersOf.get(id) ?? []) {
    if (lotDemand > 0) add(state.observation, observer.event.eventHash, lotDemand * observedShare(observer, id));
  }
  const untraced = untracedFraction(lot, producers.length, madeByEvents);
  if (untraced > 0) state.externalInputs.push({ lot: id, share: lotMaterial * untraced });
}

/** An event hands the demand on its outputs to its inputs, each by the part of the input lot it consumed. */
function visitEvent(graph: LotGraph, state: AllocationState, hash: string): void {
  const indexed = eventOf(graph, hash);
  const weight = state.production.get(hash) ?? 0;
  const materialShare = state.materialIn.get(hash) ?? 0;
  for (const input of indexed.consumed) {
    const lot = lotOf(graph, input.lotId);
    if (!(lot.produced > 0)) throw emptyLot(lot.id);
    if (weight > 0) add(state.demand, input.lotId, (weight * input.amount) / lot.produced);
    if (materialShare !== 0) {
      const share = inputShare(graph, indexed, input);
      if (Number.isNaN(share)) state.unknownInputShares.add(hash);
      add(state.material, input.lotId, materialShare * share);
    }
  }
}

/** Lots and events upstream of the target, each before everything it draws from; a cycle is an error. */
function upstreamOrder(graph: LotGraph, target: string): Node[] {
  const state = new Map<string, "open" | "done">();
  const postOrder: Node[] = [];
  const stack: Array<{ readonly node: Node; readonly next: readonly Node[]; position: number }> = [];
  const open = (node: Node): void => {
    state.set(keyOf(node), "open");
    stack.push({ node, next: successorsOf(graph, node), position: 0 });
  };
  open({ kind: "lot", id: target });
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame === undefined) break;
    const child = frame.next[frame.position];
    if (child === undefined) {
      state.set(keyOf(frame.node), "done");
      postOrder.push(frame.node);
      stack.pop();
      continue;
    }
    frame.position += 1;
    const seen = state.get(keyOf(child));
    if (seen === "open")
      throw cycleError(
        stack.map((entry) => entry.node),
        child,
      );
    if (seen === undefined) open(child);
  }
  return postOrder.reverse();
}

function successorsOf(graph: LotGraph, node: Node): Node[] {
  if (node.kind === "event") {
    const indexed = eventOf(graph, node.id);
    // Only what an event makes carries its inputs; an event that merely handles goods passes nothing upstream.
    if (indexed.produced.length === 0) return [];
    return indexed.consumed.map((flow) => ({ kind: "lot", id: flow.lotId }));
  }
  lotOf(graph, node.id);
  const hashes = new Set<string>();
  for (const indexed of [...(graph.producersOf.get(node.id) ?? []), ...(graph.observersOf.get(node.id) ?? [])]) {
    hashes.add(indexed.event.eventHash);
  }
  return [...hashes].map((id) => ({ kind: "event", id }));
}

function keyOf(node: Node): string {
  return `${node.kind}:${node.id}`;
}

function cycleError(path: readonly Node[], repeated: Node): DomainError {
  const start = path.findIndex((node) => keyOf(node) === keyOf(repeated));
  const lots = path
    .slice(start)
    .filter((node) => node.kind === "lot")
    .map((node) => node.id);
  return new DomainError("FOOTPRINT.CYCLE", "invalid", `The lot graph has a cycle through ${lots.join(" → ")}`, {
    lots,
  });
}

function lotOf(graph: LotGraph, id: string): FootprintLot {
  const lot = graph.lots.get(id);
  if (lot === undefined) throw new DomainError("FOOTPRINT.LOT_UNKNOWN", "invalid", `Unknown lot ${id}`, { lot: id });
  return lot;
}

function eventOf(graph: LotGraph, hash: string): GraphEvent {
  const indexed = graph.events.get(hash);
  if (indexed === undefined) throw invalidGraph(`Unknown event ${hash}`, { eventHash: hash });
  return indexed;
}

/** A lot that is declared, not made: its amount must be positive to be shared out. */
export function emptyLot(id: string): DomainError {
  return new DomainError("FOOTPRINT.LOT_EMPTY", "invalid", `Lot ${id} has no produced amount to share its burden`, {
    lot: id,
  });
}

function producedAmount(producer: GraphEvent, lotId: string): number {
  return producer.produced.find((flow) => flow.lotId === lotId)?.amount ?? 0;
}

/** Allocation by mass among an event's outputs (co-products): the lot's mass ÷ the event's output mass. */
function outputShare(producer: GraphEvent, lotId: string): number {
  return massShare(producer.event.eventHash, producer.produced, lotId, "produced");
}

/** The same allocation among the lots one custody event handled together (e.g. one shipment). */
function observedShare(observer: GraphEvent, lotId: string): number {
  return massShare(observer.event.eventHash, observer.observed, lotId, "observed");
}

function massShare(eventHash: string, flows: readonly LotFlow[], lotId: string, direction: string): number {
  if (flows.length === 1) return 1;
  const masses = flows.map((flow) => flow.massKg);
  const total = masses.reduce<number>((sum, mass) => sum + (mass ?? Number.NaN), 0);
  const own = flows.find((flow) => flow.lotId === lotId)?.massKg;
  if (own === undefined || !(total > 0)) {
    throw new DomainError(
      "FOOTPRINT.ALLOCATION_MASS_UNKNOWN",
      "invalid",
      `Event ${eventHash} ${direction} ${flows.length} lots without known masses: its emissions cannot be allocated by mass`,
      { eventHash, lots: flows.map((flow) => flow.lotId) },
    );
  }
  return own / total;
}

/**
 * The share of an event's input material that is one input lot: by mass, or by amount when all inputs are in the
 * same unit; NaN when neither is known (reported only if an untraced lot lies upstream).
 */
function inputShare(graph: LotGraph, indexed: GraphEvent, input: LotFlow): number {
  const inputs = indexed.consumed;
  if (inputs.length === 1) return 1;
  if (inputs.every((flow) => flow.massKg !== undefined)) {
    const total = inputs.reduce((sum, flow) => sum + (flow.massKg ?? 0), 0);
    return total > 0 ? (input.massKg ?? 0) / total : Number.NaN;
  }
  const units = new Set(inputs.map((flow) => lotOf(graph, flow.lotId).unit));
  if (units.size !== 1) return Number.NaN;
  const total = inputs.reduce((sum, flow) => sum + flow.amount, 0);
  return total > 0 ? input.amount / total : Number.NaN;
}

/** How much of a lot has no producing event: all of it without producers, the declared rest of an external lot. */
function untracedFraction(lot: FootprintLot, producers: number, madeByEvents: number): number {
  if (producers === 0) return 1;
  if (!lot.external || !(lot.produced > 0)) return 0;
  return Math.max(0, 1 - madeByEvents / lot.produced);
}

function checked(
  externalInputs: ReadonlyArray<{ lot: string; share: number }>,
  unknownInputShares: ReadonlySet<string>,
): ReadonlyArray<{ lot: string; share: number }> {
  if (externalInputs.every((input) => !Number.isNaN(input.share))) return externalInputs;
  throw new DomainError(
    "FOOTPRINT.ALLOCATION_MASS_UNKNOWN",
    "invalid",
    "The share of untraced input lots cannot be computed: events consume several lots without known masses",
    { events: [...unknownInputShares], lots: externalInputs.map((input) => input.lot) },
  );
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function weightsOf(
  production: ReadonlyMap<string, number>,
  observation: ReadonlyMap<string, number>,
): Map<string, number> {
  const weights = new Map<string, number>(production);
  for (const [hash, weight] of observation) add(weights, hash, weight);
  for (const [hash, weight] of weights) if (!(weight > 0)) weights.delete(hash);
  return weights;
}
