import { DomainError } from "#common";
import { lotId } from "#digital-link";
import { CT_NAMESPACE } from "./vocabulary.js";

/**
 * A step as a partner says it in the console — "I made lot 2025-118, 1.2 t of bales, on 3 September at 14:00,
 * with 60 kWh" — turned into the EPCIS 2.0 document capture expects: Digital Link lot URIs, UN/CEFACT units,
 * an event time with its zone offset, the site as an SGLN, activity data in CarbonTrace's extension. Pure, so
 * that the browser builds exactly what the service would (and shows it before anything is signed).
 */

const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/** Units as people say them. */
export type SpokenUnit = "kg" | "t" | "pieces";

/** A quantity of one lot, as the partner reads it off the bag or the delivery note. */
export interface LotQuantity {
  readonly gtin: string;
  /** As printed on the bag or label (spaces around it are dropped). */
  readonly lotNumber: string;
  readonly quantity: number;
  readonly unit: SpokenUnit;
  /** kg per piece, for pieces (so that the lot has a mass). */
  readonly itemMassKg?: number;
}

/** What every step says besides its lots: when and where, what it used, and the files that show it. */
export interface StepCircumstances {
  /** Local date and time as the partner's phone shows them: `2025-09-03`, `14:00`. */
  readonly date: string;
  readonly time: string;
  /** The zone offset of that local time, `+08:00` (the browser knows it for that date). */
  readonly timeZoneOffset: string;
  /** The partner's GLN (13 digits): the site the step happened at. */
  readonly gln: string;
  /** `ct:process` of the stage, e.g. "baling". */
  readonly process?: string;
  readonly electricity?: { readonly kWh: number; readonly gridRegion: string; readonly meterPhotoCid?: string };
  readonly fuels?: ReadonlyArray<{
    readonly fuelType: string;
    readonly amount: number;
    readonly unit: "L" | "kg" | "m3";
  }>;
  /** Photos and documents already stored (CIDs), as evidence of this step. */
  readonly evidence?: ReadonlyArray<{ readonly cid: string; readonly kind: string }>;
}

export type ProducedLotStep = LotQuantity & StepCircumstances;

/** How a lot travelled (the freight modes the factor library has generic factors for). */
export type TransportMode = "road" | "rail" | "sea" | "inland_waterway";

export interface ShippedLotStep extends StepCircumstances {
  readonly lot: LotQuantity;
  /** The receiving partner's GLN (from the directory). */
  readonly toGln: string;
  /** The leg to the receiver; the mass carried is the shipment's. */
  readonly transport?: { readonly mode: TransportMode; readonly distanceKm: number; readonly region?: string };
}

export interface ReceivedLotStep extends StepCircumstances {
  /** What arrived: the shipment's quantity, or less when the partner records a difference. */
  readonly lot: LotQuantity;
  /** The shipper's GLN, when known. */
  readonly fromGln?: string;
}

export interface StoredLotStep extends StepCircumstances {
  readonly lot: LotQuantity;
}

export interface TransformedLotStep extends StepCircumstances {
  /** What was used up (the form's `input-<n>` fields). */
  readonly inputs: readonly LotQuantity[];
  /** What was made (the form's lot number and quantity). */
  readonly outputs: readonly LotQuantity[];
}

/** A problem with one field of the form, named so that the form can show it beside that field. */
function fieldProblem(field: string, message: string): DomainError {
  return new DomainError("CONSOLE.FIELD_INVALID", "invalid", message, { field });
}

/** The EPCIS document that records a lot made at the partner's site (an ObjectEvent ADD, commissioning). */
export function producedLotDocument(step: ProducedLotStep): Record<string, unknown> {
  const lot = lotQuantity(step, "");
  if (lot.massKg === undefined) noMass();
  return documentOf({
    type: "ObjectEvent",
    ...eventTimeOf(step, "The lot cannot be made in the future"),
    action: "ADD",
    bizStep: "commissioning",
    quantityList: [lot.quantity],
    ...where(step),
    ...unitMasses([lot]),
    ...activityOf(step),
    ...evidenceOf(step),
  });
}

/** A lot (or part of it) sent to a partner: an ObjectEvent OBSERVE shipping, addressed to the receiver's site. */
export function shippedLotDocument(step: ShippedLotStep): Record<string, unknown> {
  const lot = lotQuantity(step.lot, "");
  const to = partyOf(step.toGln, "to", "Choose the partner the lot goes to");
  const leg =
    step.transport === undefined
      ? []
      : [
          {
            "ct:mode": step.transport.mode,
            "ct:distanceKm": positive(step.transport.distanceKm, "distanceKm"),
            "ct:massKg": lot.massKg ?? noMass(),
            ...(step.transport.region === undefined ? {} : { "ct:region": step.transport.region }),
            "ct:basis": "measured",
          },
        ];
  const activity = activityOf(step, leg);
  return documentOf({
    type: "ObjectEvent",
    ...eventTimeOf(step, "A shipment cannot leave in the future"),
    action: "OBSERVE",
    bizStep: "shipping",
    quantityList: [lot.quantity],
    ...where(step),
    destinationList: [
      { type: "owning_party", destination: to.pgln },
      { type: "location", destination: to.sgln },
    ],
    ...unitMasses([lot]),
    ...activity,
    ...evidenceOf(step),
  });
}

/** A shipment addressed to the partner, received (the quantity that arrived): an ObjectEvent OBSERVE receiving. */
export function receivedLotDocument(step: ReceivedLotStep): Record<string, unknown> {
  const lot = lotQuantity(step.lot, "");
  return documentOf({
    type: "ObjectEvent",
    ...eventTimeOf(step, "A shipment cannot arrive in the future"),
    action: "OBSERVE",
    bizStep: "receiving",
    quantityList: [lot.quantity],
    ...where(step),
    ...(step.fromGln === undefined
      ? {}
      : { sourceList: [{ type: "owning_party", source: partyOf(step.fromGln, "shipment", "").pgln }] }),
    ...unitMasses([lot]),
    ...evidenceOf(step),
  });
}

/** A lot the partner holds, stored (with the store's electricity): an ObjectEvent OBSERVE storing. */
export function storedLotDocument(step: StoredLotStep): Record<string, unknown> {
  const lot = lotQuantity(step.lot, "");
  return documentOf({
    type: "ObjectEvent",
    ...eventTimeOf(step, "A lot cannot be stored in the future"),
    action: "OBSERVE",
    bizStep: "storing",
    quantityList: [lot.quantity],
    ...where(step),
    ...unitMasses([lot]),
    ...activityOf(step),
    ...evidenceOf(step),
  });
}

/** Lots used up to make others at the partner's site: a TransformationEvent (commissioning its outputs). */
export function transformedLotDocument(step: TransformedLotStep): Record<string, unknown> {
  const inputs = step.inputs.map((input, index) => lotQuantity(input, `input-${String(index)}`));
  if (inputs.length === 0) throw fieldProblem("input-0", "Enter how much of at least one of your lots was used");
  const outputs = step.outputs.map((output) => lotQuantity(output, ""));
  if (outputs.some((output) => output.massKg === undefined)) noMass();
  if (outputs.length === 0) throw fieldProblem("lotNumber", "Enter the lot that was made");
  return documentOf({
    type: "TransformationEvent",
    ...eventTimeOf(step, "A lot cannot be made in the future"),
    bizStep: "commissioning",
    inputQuantityList: inputs.map((input) => input.quantity),
    outputQuantityList: outputs.map((output) => output.quantity),
    ...where(step),
    ...unitMasses(outputs),
    ...activityOf(step),
    ...evidenceOf(step),
  });
}

interface ReadLot {
  readonly uri: string;
  readonly quantity: Record<string, unknown>;
  /** The mass the quantity stands for (kg, or pieces times their mass); undefined for pieces without one. */
  readonly massKg: number | undefined;
  readonly kgPerUnit: number | undefined;
}

/**
 * One lot's quantity as EPCIS says it (Digital Link URI, kg as KGM, pieces without a unit). `field` names the
 * form field a problem belongs to: "" for the form's own lot number and quantity fields.
 */
function lotQuantity(lot: LotQuantity, field: string): ReadLot {
  const lotNumber = lot.lotNumber.trim();
  if (!/^\d{14}$/.test(lot.gtin)) throw fieldProblem(field || "gtin", "Choose the product");
  if (!/^[\x21-\x22\x25-\x2F\x30-\x39\x3A-\x3F\x41-\x5A\x5F\x61-\x7A]{1,20}$/.test(lotNumber)) {
    throw fieldProblem(
      field || "lotNumber",
      "A lot number is 1 to 20 letters, digits or the signs ! \" % & ' ( ) * + , - . / : ; < = > ? _ as printed",
    );
  }
  if (!(lot.quantity > 0) || !Number.isFinite(lot.quantity))
    throw fieldProblem(field || "quantity", "Enter a quantity above 0");
  const uri = lotId(lot.gtin, lotNumber);
  if (lot.unit === "pieces") {
    if (!Number.isInteger(lot.quantity)) throw fieldProblem(field || "quantity", "Pieces are whole numbers");
    const kgPerUnit = lot.itemMassKg !== undefined && lot.itemMassKg > 0 ? lot.itemMassKg : undefined;
    return {
      uri,
      quantity: { epcClass: uri, quantity: lot.quantity },
      massKg: kgPerUnit === undefined ? undefined : lot.quantity * kgPerUnit,
      kgPerUnit,
    };
  }
  const kg = lot.unit === "t" ? lot.quantity * 1000 : lot.quantity;
  return { uri, quantity: { epcClass: uri, quantity: kg, uom: "KGM" }, massKg: kg, kgPerUnit: undefined };
}

function noMass(): never {
  throw fieldProblem("quantity", "Pieces are whole numbers, and the product needs its mass per piece");
}

/** Pieces with their mass, so that the lots they name have one. */
function unitMasses(lots: readonly ReadLot[]): Record<string, unknown> {
  const masses = lots.flatMap((lot) =>
    lot.kgPerUnit === undefined ? [] : [{ "ct:epcClass": lot.uri, "ct:kgPerUnit": lot.kgPerUnit }],
  );
  return masses.length === 0 ? {} : { "ct:unitMasses": masses };
}

function where(step: StepCircumstances): Record<string, unknown> {
  return {
    bizLocation: { id: sglnOf(step.gln) },
    ...(step.process === undefined ? {} : { "ct:process": step.process }),
  };
}

function evidenceOf(step: StepCircumstances): Record<string, unknown> {
  return step.evidence === undefined || step.evidence.length === 0
    ? {}
    : { "ct:evidence": step.evidence.map((file) => ({ "ct:cid": file.cid, "ct:kind": file.kind })) };
}

function documentOf(event: Record<string, unknown>): Record<string, unknown> {
  return {
    "@context": [EPCIS_CONTEXT, { ct: CT_NAMESPACE }],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: new Date().toISOString(),
    epcisBody: { eventList: [event] },
  };
}

/** A partner's party (PGLN) and site (SGLN) from its GLN. */
function partyOf(gln: string, field: string, message: string): { pgln: string; sgln: string } {
  if (!/^\d{13}$/.test(gln)) throw fieldProblem(field, message);
  return {
    pgln: `urn:epc:id:pgln:${gln.slice(0, 7)}.${gln.slice(7, 12)}`,
    sgln: `urn:epc:id:sgln:${gln.slice(0, 7)}.${gln.slice(7, 12)}.0`,
  };
}

function eventTimeOf(step: StepCircumstances, future: string): Record<string, string> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(step.date) || Number.isNaN(Date.parse(step.date))) {
    throw fieldProblem("date", "Enter the date the lot was made");
  }
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(step.time)) throw fieldProblem("time", "Enter the time as hours:minutes");
  if (!/^[+-](0\d|1[0-4]):[0-5]\d$/.test(step.timeZoneOffset)) {
    throw fieldProblem("time", "The time zone is unknown: set the phone's time zone");
  }
  const eventTime = `${step.date}T${step.time}:00.000${step.timeZoneOffset}`;
  if (Date.parse(eventTime) > Date.now() + 5 * 60_000) throw fieldProblem("date", future);
  return { eventTime, eventTimeZoneOffset: step.timeZoneOffset };
}

/** The site's SGLN: the GLN split after its 7-digit GS1 Company Prefix, extension 0. */
function sglnOf(gln: string): string {
  if (!/^\d{13}$/.test(gln)) throw fieldProblem("site", "The site has no GLN: ask the administrator to register it");
  return `urn:epc:id:sgln:${gln.slice(0, 7)}.${gln.slice(7, 12)}.0`;
}

function activityOf(step: StepCircumstances, transport: readonly unknown[] = []): Record<string, unknown> {
  const electricity =
    step.electricity === undefined
      ? []
      : [
          {
            "ct:kWh": positive(step.electricity.kWh, "electricity"),
            "ct:gridRegion": step.electricity.gridRegion,
            "ct:basis": "measured",
            ...(step.electricity.meterPhotoCid === undefined
              ? {}
              : { "ct:evidenceCid": step.electricity.meterPhotoCid }),
          },
        ];
  const fuels = (step.fuels ?? []).map((fuel) => ({
    "ct:fuelType": fuel.fuelType,
    "ct:amount": positive(fuel.amount, `fuel-${fuel.fuelType}`),
    "ct:unit": fuel.unit,
    "ct:basis": "measured",
  }));
  if (electricity.length === 0 && fuels.length === 0 && transport.length === 0) return {};
  return {
    "ct:activity": {
      ...(electricity.length === 0 ? {} : { "ct:electricity": electricity }),
      ...(fuels.length === 0 ? {} : { "ct:fuels": fuels }),
      ...(transport.length === 0 ? {} : { "ct:transport": transport }),
    },
  };
}

function positive(value: number, field: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw fieldProblem(field, "Enter a number above 0");
  return value;
}

/** `+08:00` for a local date and time in the browser's zone (the offset in force then, summer time included). */
export function zoneOffsetAt(date: string, time: string, offsetMinutesWest: (local: Date) => number): string {
  const local = new Date(`${date}T${time}:00`);
  const east = -offsetMinutesWest(local);
  const sign = east < 0 ? "-" : "+";
  const minutes = Math.abs(east);
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}
