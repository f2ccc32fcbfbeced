import { Inject, Injectable } from "@nestjs/common";
import { readExtension, toText, type PreparedEvent } from "#capture";
import { DomainError, isDomainError } from "#common";
import { LotRepository, ParticipantRepository, type FootprintInputs, type ParticipantRecord } from "#database";
import { namespacesOfContext } from "#epcis";
import {
  checkIntensities,
  computeLotFootprint,
  intensityWarning,
  reviewIntensities,
  type FootprintEvent,
  type IntensityCheck,
  type Localized,
  type ProductModel,
  type ReviewedIntensity,
} from "#footprint";
import { activitiesOf } from "#proof";
import { CaptureService } from "../capture/capture.service.js";
import { FactorLibraryService } from "../factors/factor-library.service.js";
import { footprintGraphOf } from "../footprints/footprint-graph.js";
import { ModelsService } from "./models.service.js";

/** Lots of each GTIN a review reads, newest first: a bounded read whatever the history. */
export const REVIEW_LOTS_PER_GTIN = 200;

/** A document's intensities before signing, each with a warning in words when it is worth a second look. */
export interface DocumentCheck {
  readonly model: { readonly id: string; readonly version: number };
  readonly checks: ReadonlyArray<ReviewedIntensity & { readonly warning: Localized | null }>;
  /** kg CO₂e this step's own activities add to the lot it makes (whole lot and per declared unit). */
  readonly footprint: {
    readonly lot: string;
    readonly totalKg: number;
    readonly perUnitKg: number;
    readonly declaredUnit: { readonly unit: string; readonly amount: number };
  } | null;
}

/** The engine's view of an event not yet captured (what the footprint would read once it is). */
function footprintEventOf(event: PreparedEvent): FootprintEvent {
  const consumed = new Set(event.movements.filter((m) => m.direction === "consumed").map((m) => m.lot.id));
  const bizStep = typeof event.body.bizStep === "string" ? event.body.bizStep : null;
  return {
    eventHash: event.eventHash,
    eventTime: typeof event.body.eventTime === "string" ? event.body.eventTime : "",
    role: event.role,
    bizStep,
    ...(event.extension.process === undefined ? {} : { process: event.extension.process }),
    activities: activitiesOf(event.extension, consumed),
    movements: event.movements.map((m) => ({
      lotId: m.lot.id,
      direction: m.direction,
      amount: Number(toText(m.amount)),
      ...(m.massKg === undefined ? {} : { massKg: Number(toText(m.massKg)) }),
    })),
  };
}

/** One value a certifier should look at, with who reported it and the evidence to compare it with. */
export interface SpotCheck extends ReviewedIntensity {
  readonly organisation: string | null;
  readonly evidence: ReadonlyArray<{ readonly cid: string; readonly kind: string | null; readonly url: string }>;
}

export interface ModelReview {
  readonly model: { readonly id: string; readonly version: number };
  /** Lots and events read (the newest {@link REVIEW_LOTS_PER_GTIN} lots of each GTIN, with their upstream). */
  readonly lots: number;
  readonly events: number;
  readonly checked: number;
  /** Values outside the model's range, required activities not reported, and outliers among peers. */
  readonly spotChecks: readonly SpotCheck[];
}

/**
 * A certifier's spot-check list for a product model: every intensity the chain's partners reported for the
 * model's lots, against the model's range and against the same stage at other participants ("industry
 * matching"), listing those worth a look with their evidence. Only certifiers and the administrator read it: it
 * sets partners' figures side by side.
 */
@Injectable()
export class ReviewService {
  constructor(
    private readonly models: ModelsService,
    private readonly capture: CaptureService,
    private readonly factors: FactorLibraryService,
    @Inject(LotRepository) private readonly lots: Pick<LotRepository, "lotsOfProduct" | "footprintInputsOfLots">,
    @Inject(ParticipantRepository) private readonly participants: Pick<ParticipantRepository, "findById">,
  ) {}

  async review(id: string, reader: ParticipantRecord | undefined, evidenceBase: string): Promise<ModelReview> {
    if (reader !== undefined && !reader.roles.some((r) => r.role === "certifier" && r.chainStatus === "granted")) {
      throw new DomainError(
        "MODEL.REVIEW_FORBIDDEN",
        "forbidden",
        "Only certifiers and the administrator read a model's spot-check list: it sets partners' figures side by side",
        { id },
      );
    }
    const { model } = await this.models.get(id);
    const { lots, events, recorded, checks } = await this.recordedChecks(model);
    const reviewed = reviewIntensities(checks);
    const flagged = reviewed.filter((check) => check.status !== "in-range" || check.peerStatus === "outlier");
    const names = await this.organisations(flagged.map((check) => check.participant));
    return {
      model: { id: model.id, version: model.version },
      lots,
      events,
      checked: reviewed.length,
      spotChecks: flagged.map((check) => {
        const event = recorded.get(check.eventHash);
        const evidence =
          event === undefined ? [] : readExtension(event.body, namespacesOfContext(event.context)).evidence;
        return {
          ...check,
          organisation: names.get(check.participant) ?? null,
          evidence: evidence.map((file) => ({
            cid: file.cid,
            kind: file.kind ?? null,
            url: `${evidenceBase}/evidence/${encodeURIComponent(file.cid)}`,
          })),
        };
      }),
    };
  }

  /**
   * What a partner is about to record, checked before it signs: each intensity of the document's events against
   * the model's range and against the same stage at other participants, with a warning in words (zh, en) for
   * each value worth a second look. Nothing is stored; the document is read as capture would read it (roles,
   * CarbonTrace extension, quantities), so what capture would refuse is refused here with the same code.
   */
  async check(id: string, document: unknown, author: ParticipantRecord | undefined): Promise<DocumentCheck> {
    const { model } = await this.models.get(id);
    // A partner's document is rehearsed too: mass balance and custody as capture would find them.
    const prepared =
      author === undefined
        ? this.capture.prepareUnsigned(undefined, document)
        : await this.capture.rehearse(author, document);
    const me = author?.id ?? "admin";
    const lots = prepared.flatMap((event) =>
      event.movements.map((m) => ({ id: m.lot.id, unit: m.unit, produced: 0, external: false })),
    );
    const own = prepared.flatMap((event) =>
      checkIntensities(model, footprintEventOf(event), lots).map((check) => ({ ...check, participant: me })),
    );
    const { checks } = await this.recordedChecks(model);
    const reviewed = reviewIntensities([...checks, ...own]).slice(checks.length);
    return {
      model: { id: model.id, version: model.version },
      checks: reviewed.map((check) => ({ ...check, warning: intensityWarning(model, check) })),
      footprint: await this.stepFootprint(prepared),
    };
  }

  /**
   * What the document's own activities add to the lot it makes (its inputs' footprints not included): the
   * engine on a graph of these events alone, with the latest factor library. Null when it makes no lot, or when
   * an activity has no factor (capture accepts it; the lot's footprint will say what is missing).
   */
  private async stepFootprint(prepared: readonly PreparedEvent[]): Promise<DocumentCheck["footprint"]> {
    const events = prepared.map(footprintEventOf);
    const made = events.flatMap((event) => event.movements.filter((m) => m.direction === "produced"))[0];
    if (made === undefined) return null;
    const units = new Map(prepared.flatMap((event) => event.movements.map((m) => [m.lot.id, m.unit] as const)));
    const amounts = new Map<string, number>();
    for (const movement of events.flatMap((event) => event.movements)) {
      if (movement.direction !== "observed")
        amounts.set(movement.lotId, (amounts.get(movement.lotId) ?? 0) + movement.amount);
    }
    const lots = [...amounts].map(([id, amount]) => ({
      id,
      unit: units.get(id) ?? "KGM",
      produced: amount,
      // What the step takes in comes from earlier steps: outside this graph.
      external: !events.some((e) => e.movements.some((m) => m.lotId === id && m.direction === "produced")),
    }));
    try {
      const result = computeLotFootprint({ target: made.lotId, events, lots }, await this.factors.library());
      return {
        lot: made.lotId,
        totalKg: result.totalKg,
        perUnitKg: result.perUnitKg,
        declaredUnit: result.declaredUnit,
      };
    } catch (error) {
      if (isDomainError(error) && error.kind !== "internal") return null;
      throw error;
    }
  }

  /** Every intensity recorded for the model's newest lots (and their upstream), with who recorded it. */
  private async recordedChecks(model: ProductModel): Promise<{
    lots: number;
    events: number;
    recorded: Map<string, FootprintInputs["events"][number]>;
    checks: Array<IntensityCheck & { participant: string }>;
  }> {
    const lots = (
      await Promise.all(model.gtins.map((gtin) => this.lots.lotsOfProduct(gtin, REVIEW_LOTS_PER_GTIN)))
    ).flat();
    const inputs = await this.lots.footprintInputsOfLots(lots.map((lot) => lot.id));
    const graph = footprintGraphOf("", inputs);
    const recorded = new Map(inputs.events.map((event) => [event.eventHash, event]));
    const checks = graph.events.flatMap((event) =>
      checkIntensities(model, event, graph.lots).map((check) => ({
        ...check,
        participant: recorded.get(event.eventHash)?.participantId ?? "",
      })),
    );
    return { lots: lots.length, events: graph.events.length, recorded, checks };
  }

  private async organisations(ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)].filter((id) => id !== "");
    const found = await Promise.all(unique.map((id) => this.participants.findById(id)));
    return new Map(found.flatMap((p) => (p === undefined ? [] : [[p.id, p.organisation] as const])));
  }
}
