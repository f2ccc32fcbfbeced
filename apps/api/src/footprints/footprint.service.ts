import { createHash } from "node:crypto";
import { Inject, Injectable } from "@nestjs/common";
import { DomainError } from "#common";
import {
  FootprintRepository,
  LotRepository,
  ParticipantRepository,
  type BaselineRecord,
  type CalculationRecord,
  type ParticipantRecord,
  type PublishedFootprint,
} from "#database";
import {
  carbonContentOf,
  checkIntensities,
  compareWithBaseline,
  computeLotFootprint,
  modelStageOf,
  parseBaselineScenario,
  suggestReductions,
  type BaselineScenario,
  type FootprintGraph,
  type FootprintResult,
  type ProductModel,
} from "#footprint";
import { lotProductIds, toProductFootprint, type CarbonContent } from "#pact";
import { FactorLibraryService } from "../factors/factor-library.service.js";
import { ModelsService } from "../models/models.service.js";
import { LotAccess } from "../proofs/lot-access.js";
import { footprintGraphOf } from "./footprint-graph.js";
import type { PublishFootprintDto } from "./footprints.dto.js";

/** The footprint rows the service reads and writes. */
export type FootprintRows = Pick<
  FootprintRepository,
  "findCalculation" | "saveCalculation" | "calculation" | "baseline" | "declareBaseline" | "publish" | "footprintsOfLot"
>;

/** PACT's default validity when the data owner gives none: three years. */
const DEFAULT_VALIDITY_YEARS = 3;

export interface CalculationView extends Record<string, unknown> {
  readonly id: string;
  /** The lot's GS1 Digital Link URI. */
  readonly lot: string;
  readonly createdAt: string;
  /** Every event behind the numbers is in a batch anchored on the ledger (now). */
  readonly anchored: boolean;
  readonly eventCount: number;
  readonly libraryVersion: string;
  readonly totalKg: number;
  readonly perUnitKg: number;
}

/** A lot's footprint from its anchored events: computed, stored per inputs, compared, and published over PACT. */
@Injectable()
export class FootprintService {
  constructor(
    @Inject(LotRepository) private readonly lots: Pick<LotRepository, "footprintInputs">,
    @Inject(FootprintRepository) private readonly footprints: FootprintRows,
    @Inject(FactorLibraryService) private readonly factors: Pick<FactorLibraryService, "library">,
    private readonly access: LotAccess,
    @Inject(ParticipantRepository) private readonly participants: Pick<ParticipantRepository, "brandOwnerOf">,
    @Inject(ModelsService) private readonly models: Pick<ModelsService, "forGtin">,
  ) {}

  /** The registered GS1 Company Prefix a GTIN belongs to (its brand owner's longest matching one), if any. */
  private async companyPrefixOf(gtin: string): Promise<string | undefined> {
    const owner = await this.participants.brandOwnerOf(gtin);
    return owner?.companyPrefixes
      .filter((prefix) => gtin.slice(1).startsWith(prefix))
      .sort((a, b) => b.length - a.length)[0];
  }

  /**
   * Computes the lot's footprint with a library version (default: the latest) and stores it; the same events,
   * baseline and library give the same stored calculation (same id).
   */
  async calculate(lotId: string, libraryVersion?: number): Promise<CalculationView> {
    return (await this.calculateWithGraph(lotId, libraryVersion)).view;
  }

  /**
   * `calculate`, with the lot graph it priced (for figures such as recycled content from the same inputs).
   * `upstreamLots`: the lots upstream of this one, when the caller has just read them (one walk per request).
   */
  async calculateWithGraph(
    lotId: string,
    libraryVersion?: number,
    upstreamLots?: readonly string[],
  ): Promise<{ view: CalculationView; graph: FootprintGraph }> {
    const lot = await this.access.requireLot(lotId);
    const inputs = await this.lots.footprintInputs(lot.id, upstreamLots);
    const graph = footprintGraphOf(lot.id, inputs);
    const library = await this.factors.library(libraryVersion);
    const declared = await this.footprints.baseline(lot.id);
    const baseline = declared === undefined ? undefined : parseBaselineScenario(declared.scenario);
    const key = {
      lotId: lot.id,
      libraryVersion: Number(library.version),
      inputsSha256: inputsSha256({ graph, baseline: baseline ?? null, libraryVersion: library.version }),
    };
    // Same events, baseline and library: the stored result is the answer, without computing it again.
    const record =
      (await this.footprints.findCalculation(key)) ??
      (await this.footprints.saveCalculation({ ...key, ...this.compute(graph, library, baseline) })).record;
    const view = viewOf(
      record,
      { anchored: inputs.events.every((event) => event.anchored), eventCount: inputs.events.length },
      graph,
      await this.models.forGtin(lot.gtin),
    );
    return { view, graph };
  }

  private compute(
    graph: FootprintGraph,
    library: Awaited<ReturnType<FactorLibraryService["library"]>>,
    baseline: BaselineScenario | undefined,
  ): Pick<CalculationRecord, "totalKg" | "perUnitKg" | "result"> {
    const result = computeLotFootprint(graph, library);
    const comparison = baseline === undefined ? undefined : compareWithBaseline(result, baseline, library);
    const suggestions = suggestReductions(graph, result, library);
    return {
      totalKg: String(result.totalKg),
      perUnitKg: String(result.perUnitKg),
      result: { ...result, baseline: baseline ?? null, comparison: comparison ?? null, suggestions },
    };
  }

  /** A stored calculation, as it was computed. */
  async calculation(id: string): Promise<Record<string, unknown>> {
    const record = await this.footprints.calculation(id);
    if (record === undefined) {
      throw new DomainError("FOOTPRINT.CALCULATION_NOT_FOUND", "not-found", `There is no footprint calculation ${id}`, {
        id,
      });
    }
    return { id: record.id, lot: record.lotId, createdAt: record.createdAt.toISOString(), ...record.result };
  }

  async baseline(lotId: string): Promise<BaselineRecord> {
    const lot = await this.access.requireLot(lotId);
    const baseline = await this.footprints.baseline(lot.id);
    if (baseline === undefined) {
      throw new DomainError("FOOTPRINT.NO_BASELINE", "not-found", `Lot ${lot.id} has no declared baseline`, {
        lot: lot.id,
      });
    }
    return baseline;
  }

  /** Declares the conventional product to compare with; only a producer of the lot (or the administrator). */
  async declareBaseline(
    lotId: string,
    body: unknown,
    participant: ParticipantRecord | undefined,
  ): Promise<BaselineRecord> {
    const lot = await this.access.requireLot(lotId);
    if (participant !== undefined) await this.access.requireProducer(lot.id, participant);
    const scenario: BaselineScenario = parseBaselineScenario(body);
    // Priced now, so that a baseline no factor can price is refused rather than breaking later calculations.
    compareWithBaseline(zeroResult(), scenario, await this.factors.library());
    return this.footprints.declareBaseline(lot.id, { ...scenario }, participant?.id ?? null);
  }

  /**
   * Publishes the lot's footprint as a PACT ProductFootprint, with the data owner's product details: only a
   * producer of the lot, and only once every event behind it is anchored (a recipient can then verify all).
   */
  async publish(
    lotId: string,
    participant: ParticipantRecord,
    body: PublishFootprintDto,
    baseUrl: string,
  ): Promise<Record<string, unknown>> {
    const lot = await this.access.requireLot(lotId);
    const { massPerUnitKg } = await this.access.requireProducer(lot.id, participant);
    const calculation = await this.calculate(lot.id);
    if (!calculation.anchored) {
      throw new DomainError(
        "FOOTPRINT.NOT_ANCHORED",
        "conflict",
        "Some events behind this footprint are not anchored yet: publish once anchoring has caught up (GET /anchoring)",
        { lot: lot.id },
      );
    }
    const stored = await this.footprints.calculation(calculation.id);
    if (stored === undefined) throw new Error(`calculation ${calculation.id} vanished`);
    const result = stored.result as unknown as FootprintResult;
    const mass = productMass(result, body.productMassPerDeclaredUnitKg ?? massPerUnitKg);
    const carbon = carbonContent(body, mass);
    const created = new Date();
    const validityEnd = validityEndOf(body.validityPeriodEnd, result.referencePeriod.end, created);
    const lotPath = `${baseUrl}/lots/${lot.gtin}/${encodeURIComponent(lot.lotNumber)}`;
    const companyIds = companyIdsOf(participant);
    const productIds = lotProductIds(lot.gtin, lot.lotNumber, await this.companyPrefixOf(lot.gtin));
    const classifications = body.productClassifications ?? [];
    const { published } = await this.footprints.publish({
      lotId: lot.id,
      calculationId: stored.id,
      ownerId: participant.id,
      build: (id, precedingPfIds) => {
        const document = toProductFootprint({
          id,
          created,
          status: "Active",
          precedingPfIds,
          company: { name: participant.organisation, ids: companyIds },
          product: {
            description: body.productDescription,
            nameCompany: body.productNameCompany,
            ids: productIds,
            classifications,
          },
          ...(body.comment === undefined ? {} : { comment: body.comment }),
          validity: { start: created, end: validityEnd },
          ...(participant.country === null ? {} : { geographyCountry: participant.country }),
          massPerDeclaredUnitKg: mass,
          carbonContent: carbon,
          result,
          proof: {
            lot: lot.id,
            proofBundle: `${lotPath}/bundle`,
            calculation: `${baseUrl}/footprints/calculations/${stored.id}`,
            dataSchema: `${baseUrl}/ns/pact/proof/1.0.0/schema.json`,
            documentation: `${baseUrl}/docs`,
            anchored: true,
            eventCount: calculation.eventCount,
          },
        });
        return {
          document: document as unknown as Record<string, unknown>,
          index: {
            productIds,
            companyIds,
            classifications,
            geography: participant.country === null ? [] : [participant.country],
            validityStart: created,
            validityEnd,
          },
        };
      },
    });
    return published.document;
  }

  async published(lotId: string): Promise<PublishedFootprint[]> {
    const lot = await this.access.requireLot(lotId);
    return this.footprints.footprintsOfLot(lot.id);
  }
}

/**
 * A stored calculation as the API answers it, read with the product's model when it has one: each stage's name
 * in the model's words, and every reported intensity against the range the model expects (out-of-range values
 * are flagged for a certifier's spot check; they never change the figures). Neither is stored with the
 * calculation: a new model version renames and rechecks without recomputing.
 */
function viewOf(
  record: CalculationRecord,
  status: { anchored: boolean; eventCount: number },
  graph: FootprintGraph,
  model: ProductModel | undefined,
): CalculationView {
  const result = record.result as unknown as FootprintResult & Record<string, unknown>;
  return {
    id: record.id,
    createdAt: record.createdAt.toISOString(),
    anchored: status.anchored,
    eventCount: status.eventCount,
    ...result,
    stages: result.stages.map((stage) => ({
      ...stage,
      name: model === undefined ? null : (modelStageOf(model, stage.role, undefined)?.name ?? null),
    })),
    model: model === undefined ? null : { id: model.id, version: model.version, name: model.name },
    intensityChecks:
      model === undefined ? [] : graph.events.flatMap((event) => checkIntensities(model, event, graph.lots)),
  };
}

/** PACT's productMassPerDeclaredUnit: 1 for a kilogram; a piece's mass from the events (ct:unitMasses) or the owner. */
function productMass(result: FootprintResult, pieceMassKg: number | undefined): number {
  if (result.declaredUnit.unit === "KGM") return 1;
  if (pieceMassKg === undefined || !(pieceMassKg > 0)) {
    throw new DomainError(
      "FOOTPRINT.MASS_UNKNOWN",
      "invalid",
      "The mass of one item is unknown: declare it in the producing event (ct:unitMasses) or give productMassPerDeclaredUnitKg",
    );
  }
  return pieceMassKg;
}

function carbonContent(body: PublishFootprintDto, massKg: number): CarbonContent {
  if (body.carbonContent !== undefined) return body.carbonContent;
  if (body.polymer !== undefined) return carbonContentOf(body.polymer, massKg, body.recycledShare ?? 0);
  throw new DomainError(
    "FOOTPRINT.CARBON_CONTENT_REQUIRED",
    "invalid",
    "PACT needs the product's carbon content: give `polymer` (and `recycledShare`) or `carbonContent` in kg of carbon per declared unit",
  );
}

/** PACT companyIds: the participant's own UUID, and its registered identifier as a URN. */
function companyIdsOf(participant: ParticipantRecord): string[] {
  const own = `urn:uuid:${participant.id}`;
  return participant.identifierScheme === "other"
    ? [own]
    : [own, `urn:${participant.identifierScheme}:${participant.identifier.toLowerCase()}`];
}

/**
 * PACT's data model: a footprint is valid until at most 3 years after the end of its reference period, and by
 * default exactly then. A chosen end must be in the future and within that bound; a footprint whose reference
 * period ended more than 3 years ago can no longer be published.
 */
function validityEndOf(requested: string | undefined, referencePeriodEnd: string, created: Date): Date {
  const reference = Date.parse(referencePeriodEnd);
  const latest = yearsAfter(Number.isNaN(reference) ? created : new Date(reference), DEFAULT_VALIDITY_YEARS);
  const end = requested === undefined ? latest : new Date(requested);
  if (end.getTime() <= created.getTime()) {
    throw new DomainError(
      "FOOTPRINT.VALIDITY_INVALID",
      "invalid",
      requested === undefined
        ? `The reference period ended ${referencePeriodEnd}, more than ${String(DEFAULT_VALIDITY_YEARS)} years ago: this footprint can no longer be published as valid`
        : "validityPeriodEnd must be in the future",
      { latest: latest.toISOString() },
    );
  }
  if (end.getTime() > latest.getTime()) {
    throw new DomainError(
      "FOOTPRINT.VALIDITY_INVALID",
      "invalid",
      `validityPeriodEnd may be at most ${String(DEFAULT_VALIDITY_YEARS)} years after the reference period's end: ${latest.toISOString()} at the latest`,
      { latest: latest.toISOString() },
    );
  }
  return end;
}

function yearsAfter(date: Date, years: number): Date {
  const later = new Date(date);
  later.setUTCFullYear(later.getUTCFullYear() + years);
  return later;
}

/**
 * What identifies a calculation's inputs. The graph is built from ordered queries over immutable events, so its
 * JSON is deterministic and serves as its own canonical form (RFC 8785 would cost a tenth of a second on a
 * 10,000-event graph for nothing).
 */
function inputsSha256(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value), "utf8").digest("hex");
}

/** A zero footprint, to price a baseline on its own when it is declared. */
function zeroResult(): FootprintResult {
  return {
    lot: "",
    libraryVersion: "",
    totalKg: 0,
    declaredUnit: { unit: "EA", amount: 1 },
    perUnitKg: 0,
    stages: [],
    contributions: [],
    factorsUsed: [],
    externalInputs: [],
    primaryDataShare: 0,
    dqi: { technologicalDQR: 1, geographicalDQR: 1, temporalDQR: 1 },
    referencePeriod: { start: "", end: "" },
  };
}
