import { isDomainError } from "#common";
import { chooseFactor, type FactorChoice } from "./factor-choice.js";
import { indexOf } from "./library.js";
import { computeLotFootprint } from "./lot-footprint.js";
import { indexGraph, type LotGraph } from "./lot-graph.js";
import type {
  Activity,
  BaselineScenario,
  Comparison,
  Contribution,
  FactorLibrary,
  FootprintEvent,
  FootprintGraph,
  EmissionFactor,
  FootprintResult,
  MaterialActivity,
  Suggestion,
  TransportActivity,
} from "./model.js";
import { yearOf } from "./time.js";

/** The stage and event hash of baseline contributions: a scenario, not a recorded event. */
const BASELINE = "baseline";

/**
 * Compares a footprint with the conventional product (ISO 14067 comparisons need the same declared unit): the
 * baseline's activities are per declared unit and are priced by the same factor rules, at the baseline's year.
 */
export function compareWithBaseline(
  result: FootprintResult,
  baseline: BaselineScenario,
  library: FactorLibrary,
): Comparison {
  const baselineContributions = baseline.activities.map((activity, index) => {
    const choice = chooseFactor(activity, { year: baseline.year }, library);
    const contribution: Contribution = {
      eventHash: BASELINE,
      stage: BASELINE,
      activity: activity.kind,
      index,
      amount: choice.amount,
      unit: choice.unit,
      factorId: choice.factor.id,
      selection: choice.selection,
      eventKg: choice.kg,
      lotKg: choice.kg,
      basis: activity.basis,
      primaryData: choice.primaryData,
      dqr: choice.dqr,
    };
    return contribution;
  });
  const baselinePerUnitKg = baselineContributions.reduce((sum, contribution) => sum + contribution.lotKg, 0);
  const reductionPerUnitKg = baselinePerUnitKg - result.perUnitKg;
  return {
    baselinePerUnitKg,
    actualPerUnitKg: result.perUnitKg,
    reductionPerUnitKg,
    reductionPercent: baselinePerUnitKg === 0 ? 0 : (100 * reductionPerUnitKg) / baselinePerUnitKg,
    baselineContributions,
  };
}

/**
 * Reductions the same engine can quantify from the lot's own data, largest saving per declared unit first:
 * renewable electricity for the stage whose grid electricity emits most; recycled instead of virgin material for
 * each virgin material input; rail instead of road for each road leg.
 */
export function suggestReductions(
  graph: FootprintGraph,
  result: FootprintResult,
  library: FactorLibrary,
): Suggestion[] {
  const lotGraph = indexGraph(graph);
  const context: SuggestionContext = { graph, lotGraph, result, library, footprints: new Map() };
  const suggestions = [
    ...greenElectricity(context),
    ...result.contributions.flatMap((contribution) => recycledMaterial(context, contribution)),
    ...result.contributions.flatMap((contribution) => modalShift(context, contribution)),
  ];
  return suggestions.sort(
    (a, b) => b.savingPerUnitKg - a.savingPerUnitKg || a.stage.localeCompare(b.stage) || a.kind.localeCompare(b.kind),
  );
}

interface SuggestionContext {
  readonly graph: FootprintGraph;
  readonly lotGraph: LotGraph;
  readonly result: FootprintResult;
  readonly library: FactorLibrary;
  /** Footprints of recycled input lots, computed once each. */
  readonly footprints: Map<string, FootprintResult>;
}

/** Renewable electricity (certificates) for the stage with the largest grid electricity emissions in the lot. */
function greenElectricity(context: SuggestionContext): Suggestion[] {
  const byStage = new Map<string, { kg: number; kWh: number }>();
  for (const contribution of context.result.contributions) {
    if (contribution.activity !== "electricity" || !(contribution.lotKg > 0)) continue;
    const stage = byStage.get(contribution.stage) ?? { kg: 0, kWh: 0 };
    stage.kg += contribution.lotKg;
    stage.kWh += contribution.amount;
    byStage.set(contribution.stage, stage);
  }
  // Stages are in time order, so on a tie the earlier stage wins.
  const largest = [...byStage].reduce<[string, { kg: number; kWh: number }] | undefined>(
    (best, entry) => (best === undefined || entry[1].kg > best[1].kg ? entry : best),
    undefined,
  );
  if (largest === undefined) return [];
  const [stage, { kg, kWh }] = largest;
  const saving = kg / context.result.declaredUnit.amount;
  return [
    {
      kind: "green-electricity",
      stage,
      description:
        `Stage ${stage}: cover its ${format(kWh)} kWh of grid electricity with renewable energy attribute ` +
        `certificates (market-based, 0 kg CO2e/kWh). That electricity puts ${format(kg)} kg CO2e into this lot: ` +
        `${format(saving)} kg CO2e per ${unitName(context)}.`,
      savingPerUnitKg: saving,
    },
  ];
}

/**
 * Recycled instead of virgin material: the virgin input's share in the lot, minus the same mass at the footprint
 * per kg of the recycled lots the same event consumed (traced lots: in CarbonTrace only recovered material is
 * traced upstream), or, when it consumed none, at the secondary factor for recycled material nobody traced (the
 * same rule the footprint applies to such material). No such factor means no suggestion rather than a guess.
 */
function recycledMaterial(context: SuggestionContext, contribution: Contribution): Suggestion[] {
  const found = activityOf(context, contribution);
  if (found === undefined || found.activity.kind !== "material") return [];
  const { event, activity } = found;
  if (activity.origin !== "virgin" || !(contribution.lotKg > 0) || !(contribution.eventKg > 0)) return [];
  const allocatedMassKg = activity.massKg * (contribution.lotKg / contribution.eventKg);
  const recycled = recycledFootprintPerKg(context, event) ?? untracedRecycledPerKg(activity, event, context.library);
  if (recycled === undefined) return [];
  const saving = (contribution.lotKg - allocatedMassKg * recycled.perKg) / context.result.declaredUnit.amount;
  if (!(saving > 0)) return [];
  const basis =
    "lots" in recycled
      ? `the recycled lots this event consumed (${recycled.lots.join(", ")}) carry ${format(recycled.perKg)} kg CO2e/kg (their own traced footprint)`
      : `recycled material without a traced lot is counted at ${format(recycled.perKg)} kg CO2e/kg (${recycled.factorId}, a secondary figure); buying it as a traced lot shows its real footprint`;
  return [
    {
      kind: "recycled-material",
      stage: contribution.stage,
      description:
        `Stage ${contribution.stage}: replace ${format(activity.massKg)} kg of virgin ${activity.material} with recycled ` +
        `material. Its ${format(allocatedMassKg)} kg in this lot cause ${format(contribution.lotKg)} kg CO2e; ` +
        `${basis}: ${format(saving)} kg CO2e per ${unitName(context)}.`,
      savingPerUnitKg: saving,
    },
  ];
}

/** kg CO2e per kg of the same material, recycled, with no lot behind it (undefined: no factor can price it). */
function untracedRecycledPerKg(
  activity: MaterialActivity,
  event: FootprintEvent,
  library: FactorLibrary,
): { perKg: number; factorId: string } | undefined {
  const recycled: MaterialActivity = {
    kind: "material",
    material: activity.material,
    origin: "recycled",
    massKg: activity.massKg,
    basis: activity.basis,
    ...(activity.region === undefined ? {} : { region: activity.region }),
  };
  const choice = choiceFor(recycled, event, library);
  return choice === undefined ? undefined : { perKg: choice.kg / activity.massKg, factorId: choice.factor.id };
}

/** kg CO2e per kg of the traced (recycled) lots an event consumed, by their own footprints. */
function recycledFootprintPerKg(
  context: SuggestionContext,
  event: FootprintEvent,
): { perKg: number; lots: string[] } | undefined {
  const inputs = context.lotGraph.events.get(event.eventHash)?.consumed ?? [];
  let kg = 0;
  let massKg = 0;
  const lots: string[] = [];
  for (const input of inputs) {
    const lot = context.lotGraph.lots.get(input.lotId);
    if (lot === undefined || (context.lotGraph.producersOf.get(lot.id) ?? []).length === 0) continue;
    const inputMassKg = input.massKg ?? (lot.unit === "KGM" ? input.amount : undefined);
    if (inputMassKg === undefined || !(inputMassKg > 0)) continue;
    kg += (input.amount / lot.produced) * footprintOf(context, lot.id).totalKg;
    massKg += inputMassKg;
    lots.push(lot.id);
  }
  return lots.length === 0 ? undefined : { perKg: kg / massKg, lots };
}

function footprintOf(context: SuggestionContext, lot: string): FootprintResult {
  const known = context.footprints.get(lot);
  if (known !== undefined) return known;
  const result = computeLotFootprint({ ...context.graph, target: lot }, context.library);
  context.footprints.set(lot, result);
  return result;
}

/** Rail instead of road for a road leg: saving = lotKg × (1 − rail factor ÷ road factor). */
function modalShift(context: SuggestionContext, contribution: Contribution): Suggestion[] {
  const found = activityOf(context, contribution);
  if (found === undefined || found.activity.kind !== "transport") return [];
  const { event, activity } = found;
  if (activity.mode !== "road" || !(contribution.lotKg > 0)) return [];
  const road = indexOf(context.library).byId.get(contribution.factorId);
  const rail = railFactor(activity, event, context.library);
  if (road === undefined || rail === undefined || !(road.kgPerUnit > 0)) return [];
  const saving = (contribution.lotKg * (1 - rail.kgPerUnit / road.kgPerUnit)) / context.result.declaredUnit.amount;
  if (!(saving > 0)) return [];
  return [
    {
      kind: "modal-shift",
      stage: contribution.stage,
      description:
        `Stage ${contribution.stage}: move the ${format(activity.distanceKm)} km road leg carrying ` +
        `${format(activity.massKg)} kg (${format(contribution.amount)} t.km) to rail: ${format(rail.kgPerUnit)} instead ` +
        `of ${format(road.kgPerUnit)} kg CO2e/t.km (${rail.id}, ${road.id}). The leg puts ${format(contribution.lotKg)} kg ` +
        `CO2e into this lot: ${format(saving)} kg CO2e per ${unitName(context)}.`,
      savingPerUnitKg: saving,
    },
  ];
}

/**
 * The rail factor for the same leg, by the same rules (region and year). No rail factor at all means no modal
 * shift can be quantified: the suggestion is left out rather than guessed.
 */
function railFactor(
  activity: TransportActivity,
  event: FootprintEvent,
  library: FactorLibrary,
): EmissionFactor | undefined {
  const rail: TransportActivity = {
    kind: "transport",
    mode: "rail",
    distanceKm: activity.distanceKm,
    massKg: activity.massKg,
    basis: activity.basis,
    ...(activity.region === undefined ? {} : { region: activity.region }),
  };
  return choiceFor(rail, event, library)?.factor;
}

/** The factor choice the footprint rules make for an activity of this event; undefined when none can price it. */
function choiceFor(activity: Activity, event: FootprintEvent, library: FactorLibrary): FactorChoice | undefined {
  try {
    const context = {
      year: yearOf(event.eventTime),
      ...(event.region === undefined ? {} : { eventRegion: event.region }),
    };
    return chooseFactor(activity, context, library);
  } catch (error) {
    if (isDomainError(error) && error.code === "FOOTPRINT.FACTOR_MISSING") return undefined;
    throw error;
  }
}

function activityOf(
  context: SuggestionContext,
  contribution: Contribution,
): { event: FootprintEvent; activity: Activity } | undefined {
  const event = context.lotGraph.events.get(contribution.eventHash)?.event;
  const activity = event?.activities[contribution.index];
  return event === undefined || activity === undefined ? undefined : { event, activity };
}

function unitName(context: SuggestionContext): string {
  const unit = context.result.declaredUnit.unit;
  return unit === "KGM" ? "kg of product" : unit === "EA" ? "item" : unit;
}

/** Numbers for people: three significant digits, whole numbers from 1,000 up. */
function format(value: number): string {
  return Math.abs(value) >= 1000 ? Math.round(value).toString() : String(Number(value.toPrecision(3)));
}
