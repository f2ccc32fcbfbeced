import { DomainError } from "#common";
import { BUILT_IN_FACTORS, type FootprintResult } from "#footprint";
import { pactDecimal } from "./decimal.js";

export const PACT_SPEC_VERSION = "3.0.0";

/** The `CarbonFootprint` members CarbonTrace fills (PACT Technical Specifications v3). */
export interface PactCarbonFootprint {
  readonly declaredUnitOfMeasurement: string;
  readonly declaredUnitAmount: string;
  readonly productMassPerDeclaredUnit: string;
  readonly referencePeriodStart: string;
  readonly referencePeriodEnd: string;
  readonly geographyCountry?: string;
  readonly boundaryProcessesDescription: string;
  readonly pcfExcludingBiogenicUptake: string;
  readonly pcfIncludingBiogenicUptake: string;
  readonly fossilGhgEmissions: string;
  readonly fossilCarbonContent: string;
  readonly biogenicCarbonContent?: string;
  readonly recycledCarbonContent?: string;
  readonly packagingEmissionsIncluded: boolean;
  readonly ipccCharacterizationFactors: readonly string[];
  readonly crossSectoralStandards: readonly string[];
  readonly exemptedEmissionsPercent: string;
  readonly exemptedEmissionsDescription: string;
  readonly allocationRulesDescription: string;
  readonly secondaryEmissionFactorSources?: ReadonlyArray<{ readonly name: string; readonly version: string }>;
  readonly primaryDataShare: string;
  readonly dqi: { readonly technologicalDQR: string; readonly geographicalDQR: string; readonly temporalDQR: string };
}

export interface PactDataModelExtension {
  readonly specVersion: string;
  readonly dataSchema: string;
  readonly documentation?: string;
  readonly data: Record<string, unknown>;
}

export interface PactProductFootprint {
  readonly id: string;
  readonly specVersion: string;
  readonly precedingPfIds?: readonly string[];
  readonly created: string;
  readonly status: "Active" | "Deprecated";
  readonly validityPeriodStart: string;
  readonly validityPeriodEnd: string;
  readonly companyName: string;
  readonly companyIds: readonly string[];
  readonly productDescription: string;
  readonly productIds: readonly string[];
  readonly productClassifications?: readonly string[];
  readonly productNameCompany: string;
  readonly comment?: string;
  readonly pcf: PactCarbonFootprint;
  readonly extensions?: readonly PactDataModelExtension[];
}

/** Carbon in the product per declared unit, kg of carbon (not CO2). */
export interface CarbonContent {
  readonly fossilKg: number;
  readonly biogenicKg?: number;
  readonly recycledKg?: number;
}

export interface ProofLinks {
  /** GS1 Digital Link URI of the lot. */
  readonly lot: string;
  /** Where the lot's proof bundle is served (absolute URL). */
  readonly proofBundle: string;
  /** Where the calculation behind the footprint is served (absolute URL). */
  readonly calculation: string;
  /** Absolute URL of the extension's JSON Schema and of its documentation. */
  readonly dataSchema: string;
  readonly documentation: string;
  /** Every event of the calculation was anchored when the footprint was published. */
  readonly anchored: boolean;
  readonly eventCount: number;
}

export interface FootprintPublication {
  readonly id: string;
  readonly created: Date;
  readonly status: "Active" | "Deprecated";
  readonly precedingPfIds: readonly string[];
  readonly company: { readonly name: string; readonly ids: readonly string[] };
  readonly product: {
    readonly description: string;
    readonly nameCompany: string;
    readonly ids: readonly string[];
    readonly classifications: readonly string[];
  };
  readonly comment?: string;
  readonly validity: { readonly start: Date; readonly end: Date };
  readonly geographyCountry?: string;
  readonly massPerDeclaredUnitKg: number;
  readonly carbonContent: CarbonContent;
  readonly result: FootprintResult;
  readonly proof: ProofLinks;
}

/** UN/CEFACT unit codes of a lot → PACT declared units. */
const DECLARED_UNITS: Readonly<Record<string, string>> = {
  EA: "piece",
  H87: "piece",
  C62: "piece",
  KGM: "kilogram",
  LTR: "liter",
  MTQ: "cubic meter",
  KWH: "kilowatt hour",
  MTK: "square meter",
};

/** ISO 3166-1 alpha-2 (PACT `geographyCountry`). */
const COUNTRY = /^[A-Z]{2}$/;

/**
 * A lot's footprint as a PACT v3 ProductFootprint. Emissions are per declared unit (one piece or one kg of the
 * lot); every number comes from the engine's result, never typed in, and the extension links the footprint to
 * the lot's proof bundle so that a recipient can verify the events behind it.
 */
export function toProductFootprint(publication: FootprintPublication): PactProductFootprint {
  const { result } = publication;
  const declaredUnit = DECLARED_UNITS[result.declaredUnit.unit];
  if (declaredUnit === undefined) {
    throw new DomainError(
      "PACT.UNSUPPORTED_UNIT",
      "invalid",
      `A lot counted in "${result.declaredUnit.unit}" has no PACT declared unit`,
      { unit: result.declaredUnit.unit, supported: Object.keys(DECLARED_UNITS) },
    );
  }
  const perUnit = pactDecimal(result.perUnitKg);
  const geography =
    publication.geographyCountry !== undefined && COUNTRY.test(publication.geographyCountry)
      ? { geographyCountry: publication.geographyCountry }
      : {};
  const carbon = publication.carbonContent;
  const sources = secondarySources(result);
  return {
    id: publication.id,
    specVersion: PACT_SPEC_VERSION,
    ...(publication.precedingPfIds.length > 0 ? { precedingPfIds: [...publication.precedingPfIds] } : {}),
    created: publication.created.toISOString(),
    status: publication.status,
    validityPeriodStart: publication.validity.start.toISOString(),
    validityPeriodEnd: publication.validity.end.toISOString(),
    companyName: publication.company.name,
    companyIds: [...publication.company.ids],
    productDescription: publication.product.description,
    productIds: [...publication.product.ids],
    ...(publication.product.classifications.length > 0
      ? { productClassifications: [...publication.product.classifications] }
      : {}),
    productNameCompany: publication.product.nameCompany,
    ...(publication.comment === undefined ? {} : { comment: publication.comment }),
    pcf: {
      declaredUnitOfMeasurement: declaredUnit,
      declaredUnitAmount: "1",
      productMassPerDeclaredUnit: pactDecimal(publication.massPerDeclaredUnitKg),
      referencePeriodStart: result.referencePeriod.start,
      referencePeriodEnd: result.referencePeriod.end,
      ...geography,
      boundaryProcessesDescription: boundaryDescription(result),
      pcfExcludingBiogenicUptake: perUnit,
      pcfIncludingBiogenicUptake: perUnit,
      fossilGhgEmissions: perUnit,
      fossilCarbonContent: pactDecimal(carbon.fossilKg),
      ...(carbon.biogenicKg === undefined ? {} : { biogenicCarbonContent: pactDecimal(carbon.biogenicKg) }),
      ...(carbon.recycledKg === undefined ? {} : { recycledCarbonContent: pactDecimal(carbon.recycledKg) }),
      packagingEmissionsIncluded: false,
      ipccCharacterizationFactors: characterizationFactors(result),
      crossSectoralStandards: ["ISO14067", "GHGP-Product", "PACT-3.0"],
      exemptedEmissionsPercent: "0",
      exemptedEmissionsDescription:
        "No exemption applied: every activity recorded in the lot's events is counted; activities no event records are outside the boundary.",
      allocationRulesDescription:
        "Physical allocation by mass between co-products of one event and between lots handled by one event; a consumed input lot passes on its footprint in proportion to the quantity consumed; recycled inputs carry no burden from their first life (cut-off).",
      ...(sources.length > 0 ? { secondaryEmissionFactorSources: sources } : {}),
      primaryDataShare: pactDecimal(result.primaryDataShare, 2),
      dqi: {
        technologicalDQR: pactDecimal(result.dqi.technologicalDQR, 2),
        geographicalDQR: pactDecimal(result.dqi.geographicalDQR, 2),
        temporalDQR: pactDecimal(result.dqi.temporalDQR, 2),
      },
    },
    extensions: [proofExtension(publication)],
  };
}

function boundaryDescription(result: FootprintResult): string {
  const stages = result.stages.map((stage) => `${stage.stage} ${pactDecimal(stage.perUnitKg)} kgCO2e`).join("; ");
  return `Cradle-to-gate of the lot, from the events of its supply chain, per declared unit by stage (role/business step): ${stages === "" ? "none" : stages}.`;
}

/** Method rules the engine names as factors (renewable certificates, recycled cut-off): no data, no source database. */
const METHOD_FACTORS = new Set(BUILT_IN_FACTORS.map((factor) => factor.id));

function dataFactors(result: FootprintResult): FootprintResult["factorsUsed"] {
  return result.factorsUsed.filter((factor) => !METHOD_FACTORS.has(factor.id));
}

/** The IPCC report whose GWPs each factor source states; sources stating none are read as AR5 (their era's basis). */
function characterizationFactors(result: FootprintResult): string[] {
  const reports = new Set<string>();
  for (const factor of dataFactors(result)) {
    const stated = /\bAR([4-6])\b/.exec(`${factor.source} ${factor.unit} ${factor.name}`);
    reports.add(stated === null ? "AR5" : `AR${stated[1] ?? "5"}`);
  }
  return reports.size === 0 ? ["AR5"] : [...reports].sort();
}

function secondarySources(result: FootprintResult): Array<{ name: string; version: string }> {
  const seen = new Map<string, { name: string; version: string }>();
  for (const factor of dataFactors(result)) {
    const name = factor.source.trim();
    if (name === "") continue;
    const version = String(factor.year);
    seen.set(`${name}\u0000${version}`, { name, version });
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

function proofExtension(publication: FootprintPublication): PactDataModelExtension {
  const { proof, result } = publication;
  return {
    specVersion: "2.0.0",
    dataSchema: proof.dataSchema,
    documentation: proof.documentation,
    data: {
      lot: proof.lot,
      proofBundle: proof.proofBundle,
      calculation: proof.calculation,
      factorLibraryVersion: result.libraryVersion,
      anchored: proof.anchored,
      eventCount: proof.eventCount,
      totalKgCO2e: pactDecimal(result.totalKg),
      stages: result.stages.map((stage) => ({
        stage: stage.stage,
        kgCO2ePerDeclaredUnit: pactDecimal(stage.perUnitKg),
      })),
    },
  };
}
