/**
 * The CBV 2.0 code lists an EPCIS JSON-LD document may write as bare strings (`"bizStep": "shipping"`), with the
 * IRI each expands to under the EPCIS 2.0 context (`https://ref.gs1.org/cbv/BizStep-shipping`).
 */
export interface Vocabulary {
  readonly base: string;
  readonly terms: ReadonlySet<string>;
}

const CBV = "https://ref.gs1.org/cbv/";
const GS1_VOC = "https://gs1.org/voc/";

function vocabulary(base: string, terms: readonly string[]): Vocabulary {
  return { base, terms: new Set(terms) };
}

export const BIZ_STEPS = vocabulary(`${CBV}BizStep-`, [
  "accepting",
  "arriving",
  "assembling",
  "collecting",
  "commissioning",
  "consigning",
  "creating_class_instance",
  "cycle_counting",
  "decommissioning",
  "departing",
  "destroying",
  "disassembling",
  "dispensing",
  "encoding",
  "entering_exiting",
  "holding",
  "inspecting",
  "installing",
  "killing",
  "loading",
  "other",
  "packing",
  "picking",
  "receiving",
  "removing",
  "repackaging",
  "repairing",
  "replacing",
  "reserving",
  "retail_selling",
  "sampling",
  "sensor_reporting",
  "shipping",
  "staging_outbound",
  "stock_taking",
  "stocking",
  "storing",
  "transporting",
  "unloading",
  "unpacking",
  "void_shipping",
]);

export const DISPOSITIONS = vocabulary(`${CBV}Disp-`, [
  "active",
  "available",
  "completeness_verified",
  "completeness_inferred",
  "conformant",
  "container_closed",
  "container_open",
  "damaged",
  "destroyed",
  "dispensed",
  "disposed",
  "encoded",
  "expired",
  "in_progress",
  "in_transit",
  "inactive",
  "mismatch_instance",
  "mismatch_class",
  "mismatch_quantity",
  "needs_replacement",
  "no_pedigree_match",
  "non_conformant",
  "non_sellable_other",
  "partially_dispensed",
  "recalled",
  "reserved",
  "retail_sold",
  "returned",
  "sellable_accessible",
  "sellable_not_accessible",
  "stolen",
  "unavailable",
  "unknown",
]);

export const BUSINESS_TRANSACTION_TYPES = vocabulary(`${CBV}BTT-`, [
  "bol",
  "cert",
  "desadv",
  "inv",
  "pedigree",
  "po",
  "poc",
  "prodorder",
  "recadv",
  "rma",
  "testprd",
  "testres",
  "upevt",
]);

export const SOURCE_DESTINATION_TYPES = vocabulary(`${CBV}SDT-`, ["owning_party", "possessing_party", "location"]);

export const ERROR_REASONS = vocabulary(`${CBV}ER-`, ["did_not_occur", "incorrect_data"]);

export const COMPONENTS = vocabulary(`${CBV}Comp-`, [
  "x",
  "y",
  "z",
  "axial_distance",
  "azimuth",
  "height",
  "spherical_radius",
  "polar_angle",
  "elevation_angle",
  "easting",
  "northing",
  "latitude",
  "longitude",
  "altitude",
]);

export const SENSOR_ALERTS = vocabulary(GS1_VOC, ["ALARM_CONDITION", "ERROR_CONDITION"]);

export const MEASUREMENT_TYPES = vocabulary(GS1_VOC, [
  "AbsoluteHumidity",
  "AbsorbedDose",
  "AbsorbedDoseRate",
  "Acceleration",
  "Radioactivity",
  "Altitude",
  "AmountOfSubstance",
  "AmountOfSubstancePerUnitVolume",
  "Angle",
  "AngularAcceleration",
  "AngularMomentum",
  "AngularVelocity",
  "Area",
  "Capacitance",
  "Conductance",
  "Conductivity",
  "Count",
  "Density",
  "Dimensionless",
  "DoseEquivalent",
  "DoseEquivalentRate",
  "DynamicViscosity",
  "ElectricCharge",
  "ElectricCurrent",
  "ElectricCurrentDensity",
  "ElectricFieldStrength",
  "Energy",
  "Exposure",
  "Force",
  "Frequency",
  "Illuminance",
  "Inductance",
  "Irradiance",
  "KinematicViscosity",
  "Length",
  "LinearMomentum",
  "Luminance",
  "LuminousFlux",
  "LuminousIntensity",
  "MagneticFlux",
  "MagneticFluxDensity",
  "MagneticVectorPotential",
  "Mass",
  "MassConcentration",
  "MassFlowRate",
  "MassPerAreaTime",
  "MemoryCapacity",
  "MolalityOfSolute",
  "MolarEnergy",
  "MolarMass",
  "MolarVolume",
  "Power",
  "Pressure",
  "RadiantFlux",
  "RadiantIntensity",
  "RelativeHumidity",
  "Resistance",
  "Resistivity",
  "SolidAngle",
  "SpecificVolume",
  "Speed",
  "SurfaceDensity",
  "SurfaceTension",
  "Temperature",
  "Time",
  "Torque",
  "Voltage",
  "Volume",
  "VolumeFlowRate",
  "VolumeFraction",
  "VolumetricFlux",
  "Wavenumber",
]);

/** IRIs under these roots are the CBV / GS1 web vocabulary that bare strings may abbreviate. */
export function isWebVocabularyIri(value: string): boolean {
  return value.startsWith("https://ref.gs1.org/cbv") || value.startsWith("https://gs1.org/voc");
}

const URN_ROOT = "urn:epcglobal:cbv:";
const URN_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  [`${URN_ROOT}bizstep:`, `${CBV}BizStep-`],
  [`${URN_ROOT}disp:`, `${CBV}Disp-`],
  [`${URN_ROOT}btt:`, `${CBV}BTT-`],
  [`${URN_ROOT}sdt:`, `${CBV}SDT-`],
  [`${URN_ROOT}er:`, `${CBV}ER-`],
];

/** CBV 1.x URNs (`urn:epcglobal:cbv:bizstep:shipping`) → CBV 2.0 web URIs, wherever they occur in the text. */
export function withWebVocabulary(text: string): string {
  // Every value of every event passes here; almost none holds a CBV 1.x URN.
  if (!text.includes(URN_ROOT)) return text;
  return URN_PREFIXES.reduce((result, [urn, web]) => result.replaceAll(urn, web), text);
}
