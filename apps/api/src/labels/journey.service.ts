import { Inject, Injectable } from "@nestjs/common";
import { DomainError, isDomainError } from "#common";
import { LotRepository, OffsetRepository, ParticipantRepository, type ProductRecord } from "#database";
import { labelUri, parseGtinPath, parseLabelPath, productUri } from "#digital-link";
import { recycledContentOf, type FootprintResult, type RecycledContent } from "#footprint";
import {
  assessClaim,
  claimText,
  DEFAULT_EQUIVALENCE_FACTORS,
  equivalentsOf,
  gramsToKg,
  type Claim,
  type ClaimBasis,
  type ClaimText,
  type Equivalent,
} from "#offsets";
import type { BundleAttestation, BundleClaim, ProofBundle } from "#proof";
import type { Config } from "#config";
import { FootprintService } from "../footprints/footprint.service.js";
import { ModelsService } from "../models/models.service.js";
import { OffsetService, type RetirementView } from "../offsets/offset.service.js";
import { ProofService } from "../proofs/proof.service.js";
import { CONFIG, PUBLIC_RPC_URL } from "../runtime.ports.js";
import type { VerificationOutcome } from "#proof";
import { lotIdOf } from "../common/urls.js";
import { timelineOf, type JourneyStep } from "./timeline.js";

export interface JourneyFootprint {
  readonly calculationId: string;
  readonly libraryVersion: string;
  readonly totalKg: number;
  readonly perUnitKg: number;
  readonly declaredUnit: { readonly unit: string; readonly amount: number };
  readonly stages: ReadonlyArray<{
    readonly stage: string;
    readonly role: string;
    readonly bizStep: string | null;
    readonly perUnitKg: number;
  }>;
  readonly primaryDataShare: number;
  readonly factorsUsed: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly source: string;
    readonly sourceUrl: string;
    readonly proxy: boolean;
  }>;
  readonly baseline: {
    readonly description: string;
    readonly perUnitKg: number;
    readonly reductionPerUnitKg: number;
    readonly reductionPercent: number;
  } | null;
}

/** Everything the journey page shows, as JSON for machines (the resolver's `application/json` answer). */
export interface JourneyView {
  readonly uri: string;
  readonly gtin: string;
  readonly lot: string;
  readonly lotId: string;
  readonly product: {
    readonly name: { readonly en: string; readonly zh: string };
    readonly description: ProductRecord["description"];
  } | null;
  /** The product model the lot is read with (stage names, expected activities), or null: generic names. */
  readonly model: JourneyModel | null;
  readonly steps: readonly JourneyStep[];
  readonly footprint: JourneyFootprint | null;
  /** Why there is no footprint yet, in plain words (e.g. an activity no factor can price). */
  readonly footprintProblem: { readonly code: string; readonly detail: string } | null;
  readonly claim: (Claim & { readonly text: { readonly en: ClaimText; readonly zh: ClaimText } }) | null;
  readonly offsets: readonly RetirementView[];
  readonly recycledContent: RecycledContent | null;
  readonly equivalents: readonly Equivalent[];
  readonly attestations: readonly JourneyAttestation[];
  readonly ledger: ProofBundle["ledger"];
  readonly verification: {
    readonly bundleUrl: string;
    readonly rpcUrl: string | null;
    /**
     * The service's own check of the lot's records against the ledger and the evidence (cached by bundle
     * digest): verified, failed (the claim is withheld), or incomplete (e.g. records waiting for anchoring).
     */
    readonly outcome: VerificationOutcome;
    readonly checks: number;
    readonly failed: ReadonlyArray<{ readonly check: string; readonly subject: string; readonly detail: string }>;
    readonly digest: string;
  };
  readonly links: {
    readonly bundle: string;
    readonly labelSvg: string;
    readonly labelPng: string;
    readonly qrSvg: string;
    readonly linkset: string;
  };
}

/** A product model as the journey names it: which version, and each stage's name and ledger role in order. */
export interface JourneyModel {
  readonly id: string;
  readonly version: number;
  readonly name: { readonly en: string; readonly zh: string };
  readonly stages: ReadonlyArray<{
    readonly key: string;
    readonly role: string;
    readonly name: { readonly en: string; readonly zh: string };
  }>;
}

/** A product page's content (GET /01/{gtin}). */
export interface ProductView {
  readonly gtin: string;
  readonly uri: string;
  readonly name: { readonly en: string; readonly zh: string } | null;
  readonly description: { readonly en: string | null; readonly zh: string | null } | null;
  readonly lots: ReadonlyArray<{ lot: string; uri: string; path: string; createdAt: string }>;
  /** The newest lot's claim in words, where it has one. */
  readonly latest: { readonly lot: string; readonly claim: { en: string; zh: string } | null } | null;
}

/** A certifier's attestation as the page shows it: who (by name), when, what, and the report to read. */
export type JourneyAttestation = BundleAttestation & {
  readonly certifierName: { readonly en: string; readonly zh: string } | null;
  readonly issuedAt: string | null;
  readonly reportUrl: string;
};

/** Builds a lot's journey from its proof bundle, footprint, offsets and product: the page and its JSON. */
@Injectable()
export class JourneyService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(PUBLIC_RPC_URL) private readonly rpcUrl: string | null,
    private readonly proofs: ProofService,
    private readonly footprints: FootprintService,
    private readonly offsetService: OffsetService,
    private readonly offsets: OffsetRepository,
    private readonly lotRows: LotRepository,
    private readonly participants: ParticipantRepository,
    private readonly models: ModelsService,
  ) {}

  /** The base URL labels print: PUBLIC_BASE_URL, else the host the request came to. */
  publicBaseUrl(requestBaseUrl: string): string {
    return this.config.public.baseUrl ?? requestBaseUrl;
  }

  /**
   * The Digital Link a lot's QR code carries: only the lot's identity is needed (it must exist), not its bundle,
   * footprint or claim, so a QR code costs the same however long the lot's history.
   */
  async qrUri(gtinParam: string, lotParam: string, requestBaseUrl: string): Promise<string> {
    const { gtin, lot } = parseLabelPath(gtinParam, lotParam);
    await this.proofs.requireLot(lotIdOf(gtin, lot));
    return labelUri(this.publicBaseUrl(requestBaseUrl), gtin, lot);
  }

  /**
   * A product's page (GS1 Digital Link with a GTIN only): its name, its newest lots (at most 50) and the newest
   * lot's claim in words. PRODUCT.NOT_FOUND when the product has neither a name nor a lot here.
   */
  async product(gtinParam: string, requestBaseUrl: string): Promise<ProductView> {
    const gtin = parseGtinPath(gtinParam);
    const [product, lots] = await Promise.all([this.offsets.product(gtin), this.lotRows.lotsOfProduct(gtin, 50)]);
    if (product === undefined && lots.length === 0) {
      throw new DomainError("PRODUCT.NOT_FOUND", "not-found", `There is no lot of product ${gtin} here`, { gtin });
    }
    const base = this.publicBaseUrl(requestBaseUrl);
    const newest = lots[0];
    return {
      gtin,
      uri: productUri(base, gtin),
      name: product?.name ?? null,
      description: product?.description ?? null,
      lots: lots.map((lot) => ({
        lot: lot.lotNumber,
        uri: labelUri(base, gtin, lot.lotNumber),
        path: `/01/${gtin}/10/${encodeURIComponent(lot.lotNumber)}`,
        createdAt: lot.createdAt.toISOString(),
      })),
      latest:
        newest === undefined
          ? null
          : { lot: newest.lotNumber, claim: await this.claimInWords(gtin, newest.lotNumber, requestBaseUrl) },
    };
  }

  /** The bundle's attestations with their certifiers' registered names and their reports' addresses. */
  private async namedAttestations(
    attestations: readonly BundleAttestation[],
    requestBaseUrl: string,
  ): Promise<JourneyAttestation[]> {
    const certifiers = await this.participants.findByAddresses([...new Set(attestations.map((a) => a.certifier))]);
    const nameOf = new Map(
      certifiers.map((c) => [c.address.toLowerCase(), { en: c.displayNameEn, zh: c.displayNameZh }]),
    );
    return attestations.map((attestation) => ({
      ...attestation,
      certifierName: nameOf.get(attestation.certifier.toLowerCase()) ?? null,
      issuedAt: typeof attestation.statement.issuedAt === "string" ? attestation.statement.issuedAt : null,
      reportUrl: `${requestBaseUrl}/evidence/${encodeURIComponent(attestation.reportCid)}`,
    }));
  }

  /** A lot's claim as the journey states it, or null when it has none (or cannot be computed now). */
  private async claimInWords(
    gtin: string,
    lot: string,
    requestBaseUrl: string,
  ): Promise<{ en: string; zh: string } | null> {
    try {
      const { claim } = await this.journey(gtin, lot, requestBaseUrl);
      if (claim === null) return null;
      return {
        en: `${claim.text.en.headline}. ${claim.text.en.sentence}`,
        zh: `${claim.text.zh.headline}。${claim.text.zh.sentence}`,
      };
    } catch (error) {
      if (isDomainError(error) && error.kind !== "internal") return null;
      throw error;
    }
  }

  async journey(gtinParam: string, lotParam: string, requestBaseUrl: string): Promise<JourneyView> {
    const { gtin, lot } = parseLabelPath(gtinParam, lotParam);
    const lotId = lotIdOf(gtin, lot);
    await this.proofs.requireLot(lotId);
    const base = this.publicBaseUrl(requestBaseUrl);
    const apiLot = `${requestBaseUrl}/lots/${gtin}/${encodeURIComponent(lot)}`;
    // One walk of the lot's graph: the footprint prices the same upstream lots the bundle lists.
    const { bundle, upstreamLots } = await this.proofs.bundleWithGraph(lotId, `${requestBaseUrl}/evidence/{cid}`);
    const [product, offsets, measured, report, model] = await Promise.all([
      this.offsets.product(gtin),
      this.offsetService.retirementsOfLot(lotId),
      this.measure(lotId, upstreamLots),
      this.proofs.verification(bundle, { fresh: false }),
      this.models.forGtin(gtin),
    ]);
    const footprint = measured.footprint;
    // Records that no longer match what was sealed carry no claim, whatever the numbers say.
    const claim =
      footprint === null || report.outcome === "failed"
        ? null
        : claimOf(bundle.claim, footprint.declaredUnit.unit === "KGM" ? "kg" : "unit");
    const labelPath = `${requestBaseUrl}/labels/${gtin}/${encodeURIComponent(lot)}`;
    return {
      uri: labelUri(base, gtin, lot),
      gtin,
      lot,
      lotId,
      product: product === undefined ? null : { name: product.name, description: product.description },
      model:
        model === undefined
          ? null
          : {
              id: model.id,
              version: model.version,
              name: model.name,
              stages: model.stages.map(({ key, role, name }) => ({ key, role, name })),
            },
      steps: timelineOf(bundle, `${requestBaseUrl}/evidence/`),
      footprint,
      footprintProblem: measured.problem,
      claim,
      offsets,
      recycledContent: measured.recycled,
      equivalents: footprint === null ? [] : equivalentsOf(footprint.perUnitKg, DEFAULT_EQUIVALENCE_FACTORS),
      attestations: await this.namedAttestations(bundle.attestations, requestBaseUrl),
      ledger: bundle.ledger,
      verification: {
        bundleUrl: `${apiLot}/bundle`,
        rpcUrl: this.publicRpcUrl(base),
        outcome: report.outcome,
        checks: report.checks.length,
        failed: report.checks
          .filter((check) => check.status === "fail")
          .map(({ check, subject, detail }) => ({ check, subject, detail })),
        digest: report.digest,
      },
      links: {
        bundle: `${apiLot}/bundle`,
        labelSvg: `${labelPath}.svg?layout=label`,
        labelPng: `${labelPath}.png?layout=label`,
        qrSvg: `${labelPath}.svg`,
        linkset: `${labelUri(requestBaseUrl, gtin, lot)}?linkType=all`,
      },
    };
  }

  /**
   * The public RPC URL (never the operator's RPC_URL, see PUBLIC_RPC_URL). An HTTPS page never reads the ledger
   * over plain http (mixed content would let anyone on the path answer for the ledger): then the page says the
   * ledger checks could not be done.
   */
  private publicRpcUrl(pageBase: string): string | null {
    const { rpcUrl } = this;
    if (rpcUrl === null) return null;
    const securePage = pageBase.startsWith("https:") || this.config.tls !== undefined;
    return securePage && !/^(https|wss):/i.test(rpcUrl) ? null : rpcUrl;
  }

  private async measure(
    lotId: string,
    upstreamLots: readonly string[],
  ): Promise<{
    footprint: JourneyFootprint | null;
    recycled: RecycledContent | null;
    problem: { code: string; detail: string } | null;
  }> {
    try {
      const { view, graph } = await this.footprints.calculateWithGraph(lotId, undefined, upstreamLots);
      return { footprint: footprintOf(view), recycled: recycledContentOf(graph), problem: null };
    } catch (error) {
      if (!isDomainError(error) || error.kind === "internal" || error.kind === "unavailable") throw error;
      return { footprint: null, recycled: null, problem: { code: error.code, detail: error.message } };
    }
  }
}

function footprintOf(calculation: Record<string, unknown>): JourneyFootprint {
  const result = calculation as unknown as FootprintResult & {
    id: string;
    comparison: { baselinePerUnitKg: number; reductionPerUnitKg: number; reductionPercent: number } | null;
    baseline: { description: string } | null;
  };
  return {
    calculationId: result.id,
    libraryVersion: result.libraryVersion,
    totalKg: result.totalKg,
    perUnitKg: result.perUnitKg,
    declaredUnit: result.declaredUnit,
    stages: result.stages.map((s) => ({ stage: s.stage, role: s.role, bizStep: s.bizStep, perUnitKg: s.perUnitKg })),
    primaryDataShare: result.primaryDataShare,
    factorsUsed: result.factorsUsed.map((f) => ({
      id: f.id,
      name: f.name,
      source: f.source,
      sourceUrl: f.sourceUrl,
      proxy: f.proxy,
    })),
    baseline:
      result.comparison === null || result.baseline === null
        ? null
        : {
            description: result.baseline.description,
            perUnitKg: result.comparison.baselinePerUnitKg,
            reductionPerUnitKg: result.comparison.reductionPerUnitKg,
            reductionPercent: result.comparison.reductionPercent,
          },
  };
}

/**
 * The label's claim is the one in the proof bundle: computed from the bundle's own events, library, baseline and
 * retirements, as a certifier's verifier recomputes it (grams, so nothing is lost on the way).
 */
function claimOf(stated: BundleClaim | null | undefined, basis: ClaimBasis): JourneyView["claim"] {
  if (stated === null || stated === undefined) return null;
  const kg = (grams: string): number => gramsToKg(BigInt(grams));
  const claim = assessClaim({
    footprintKg: kg(stated.footprintGrams),
    units: stated.units,
    baselineKg: stated.baselineGrams === null ? null : kg(stated.baselineGrams),
    retiredKg: kg(stated.retiredGrams),
  });
  return { ...claim, text: { en: claimText(claim, "en", basis), zh: claimText(claim, "zh", basis) } };
}
