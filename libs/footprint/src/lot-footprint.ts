import { DomainError, isDomainError } from "#common";
import { chooseFactor, type FactorChoice } from "./factor-choice.js";
import { allocate, emptyLot, indexGraph } from "./lot-graph.js";
import type {
  Contribution,
  EmissionFactor,
  FactorLibrary,
  FootprintEvent,
  FootprintGraph,
  FootprintResult,
  StageResult,
} from "./model.js";
import { instantOf, yearOf } from "./time.js";

const CBV_BIZ_STEP_PREFIXES = ["https://ref.gs1.org/cbv/BizStep-", "urn:epcglobal:cbv:bizstep:"];

/** The bare CBV business step ("shipping" of https://ref.gs1.org/cbv/BizStep-shipping), or null. */
export function bareBizStep(bizStep: string | null): string | null {
  if (bizStep === null) return null;
  const prefix = CBV_BIZ_STEP_PREFIXES.find((candidate) => bizStep.startsWith(candidate));
  return prefix === undefined ? bizStep : bizStep.slice(prefix.length);
}

/** The stage an event's emissions belong to: `${role}/${bare bizStep}`, "none" for an event without a step. */
export function stageOf(event: FootprintEvent): string {
  return `${event.role}/${bareBizStep(event.bizStep) ?? "none"}`;
}

/**
 * The footprint of the graph's target lot (ISO 14067, GHG Protocol Product Standard): every activity of every
 * event that reaches the lot, priced with the library's factors and allocated by mass and by consumption share,
 * summed by stage and per declared unit, with the data quality of the result.
 */
export function computeLotFootprint(graph: FootprintGraph, library: FactorLibrary): FootprintResult {
  const lotGraph = indexGraph(graph);
  const target = lotGraph.lots.get(graph.target);
  if (target === undefined) {
    throw new DomainError("FOOTPRINT.LOT_UNKNOWN", "invalid", `Unknown lot ${graph.target}`, { lot: graph.target });
  }
  if (!(target.produced > 0)) throw emptyLot(target.id);
  const allocation = allocate(lotGraph, target.id);
  const events = inTimeOrder(
    [...allocation.eventWeights.keys()]
      .map((hash) => lotGraph.events.get(hash)?.event)
      .filter((event): event is FootprintEvent => event !== undefined),
  );
  const priced = events.flatMap((event) =>
    priceEvent(event, allocation.eventWeights.get(event.eventHash) ?? 0, library),
  );
  const contributions = priced.map((entry) => entry.contribution);
  const stages = stagesOf(contributions, events, target.produced);
  const totalKg = stages.reduce((sum, stage) => sum + stage.kg, 0);
  return {
    lot: target.id,
    libraryVersion: library.version,
    totalKg,
    declaredUnit: { unit: target.unit, amount: target.produced },
    perUnitKg: totalKg / target.produced,
    stages,
    contributions,
    factorsUsed: factorsUsedBy(priced),
    externalInputs: allocation.externalInputs,
    primaryDataShare: primaryDataShareOf(contributions),
    dqi: dqiOf(contributions),
    referencePeriod: referencePeriodOf(contributions, events, target.id),
  };
}

interface Priced {
  readonly contribution: Contribution;
  readonly choice: FactorChoice;
}

/** Each activity of one event priced, with `weight` (the event's share in the target) applied. */
function priceEvent(event: FootprintEvent, weight: number, library: FactorLibrary): Priced[] {
  const year = yearOf(event.eventTime);
  const stage = stageOf(event);
  return event.activities.map((activity, index) => {
    const choice = withEventContext(event, index, () =>
      chooseFactor(activity, { year, ...(event.region === undefined ? {} : { eventRegion: event.region }) }, library),
    );
    const contribution: Contribution = {
      eventHash: event.eventHash,
      stage,
      activity: activity.kind,
      index,
      amount: choice.amount,
      unit: choice.unit,
      factorId: choice.factor.id,
      selection: choice.selection,
      eventKg: choice.kg,
      lotKg: choice.kg * weight,
      basis: activity.basis,
      primaryData: choice.primaryData,
      dqr: choice.dqr,
    };
    return { contribution, choice };
  });
}

/** A factor choice error names the event and activity it came from, so the partner can correct that record. */
function withEventContext<T>(event: FootprintEvent, index: number, choose: () => T): T {
  try {
    return choose();
  } catch (error) {
    if (!isDomainError(error)) throw error;
    throw new DomainError(
      error.code,
      error.kind,
      `${error.message} (event ${event.eventHash}, activity ${index})`,
      { ...error.details, eventHash: event.eventHash, activityIndex: index },
      { cause: error },
    );
  }
}

/** Events by time (time zones taken into account), then by hash so that equal times keep a stable order. */
function inTimeOrder(events: readonly FootprintEvent[]): FootprintEvent[] {
  const instants = new Map(events.map((event) => [event.eventHash, instantOf(event.eventTime)]));
  const instant = (event: FootprintEvent): number => instants.get(event.eventHash) ?? 0;
  return [...events].sort((a, b) => instant(a) - instant(b) || (a.eventHash < b.eventHash ? -1 : 1));
}

/** Stages in the order of their first event; each stage's kg is the sum of its contributions' lotKg. */
function stagesOf(
  contributions: readonly Contribution[],
  events: readonly FootprintEvent[],
  declaredAmount: number,
): StageResult[] {
  const eventsByHash = new Map(events.map((event) => [event.eventHash, event]));
  const stages = new Map<string, { role: string; bizStep: string | null; kg: number }>();
  for (const contribution of contributions) {
    const event = eventsByHash.get(contribution.eventHash);
    if (event === undefined) continue;
    const stage = stages.get(contribution.stage) ?? { role: event.role, bizStep: bareBizStep(event.bizStep), kg: 0 };
    stage.kg += contribution.lotKg;
    stages.set(contribution.stage, stage);
  }
  // Contributions are in event time order, so a stage's insertion order is the order of its first event.
  return [...stages].map(([stage, { role, bizStep, kg }]) => ({
    stage,
    role,
    bizStep,
    kg,
    perUnitKg: kg / declaredAmount,
  }));
}

type UsedFactor = EmissionFactor & { readonly proxy: boolean; readonly proxyReason?: string };

/** Every factor once, by id; a factor reached through the proxy table at least once is flagged a proxy. */
function factorsUsedBy(priced: readonly Priced[]): UsedFactor[] {
  const used = new Map<string, UsedFactor>();
  for (const { choice } of priced) {
    const known = used.get(choice.factor.id);
    if (known?.proxy === true) continue;
    used.set(
      choice.factor.id,
      choice.proxyReason === undefined
        ? (known ?? { ...choice.factor, proxy: false })
        : { ...choice.factor, proxy: true, proxyReason: choice.proxyReason },
    );
  }
  return [...used.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Percent of the footprint from primary data (the partners' own measured or calculated activity); 0 for zero. */
function primaryDataShareOf(contributions: readonly Contribution[]): number {
  const total = contributions.reduce((sum, contribution) => sum + contribution.lotKg, 0);
  if (total === 0) return 0;
  const primary = contributions
    .filter((contribution) => contribution.primaryData)
    .reduce((sum, contribution) => sum + contribution.lotKg, 0);
  return (100 * primary) / total;
}

/** PACT DQRs, weighted by each contribution's kg in the lot, to one decimal; all 1 for a zero footprint. */
function dqiOf(contributions: readonly Contribution[]): FootprintResult["dqi"] {
  const total = contributions.reduce((sum, contribution) => sum + contribution.lotKg, 0);
  if (total === 0) return { technologicalDQR: 1, geographicalDQR: 1, temporalDQR: 1 };
  const weighted = (pick: (dqr: Contribution["dqr"]) => number): number =>
    Math.round((10 * contributions.reduce((sum, c) => sum + pick(c.dqr) * c.lotKg, 0)) / total) / 10;
  return {
    technologicalDQR: weighted((dqr) => dqr.technological),
    geographicalDQR: weighted((dqr) => dqr.geographical),
    temporalDQR: weighted((dqr) => dqr.temporal),
  };
}

/**
 * First and last event time of the events that contributed; when no event carried activity data, of the events
 * that reach the lot at all (a lot nothing reaches has no footprint to report).
 */
function referencePeriodOf(
  contributions: readonly Contribution[],
  events: readonly FootprintEvent[],
  lot: string,
): FootprintResult["referencePeriod"] {
  const contributing = new Set(contributions.map((contribution) => contribution.eventHash));
  const chosen = contributing.size > 0 ? events.filter((event) => contributing.has(event.eventHash)) : events;
  const first = chosen[0];
  const last = chosen[chosen.length - 1];
  if (first === undefined || last === undefined) {
    throw new DomainError(
      "FOOTPRINT.NO_EVENTS",
      "invalid",
      `No event reaches lot ${lot}: there is nothing to compute`,
      {
        lot,
      },
    );
  }
  return { start: first.eventTime, end: last.eventTime };
}
