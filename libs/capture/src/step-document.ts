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

export interface ProducedLotStep {
  readonly gtin: string;
  /** As printed on the bag or label (spaces around it are dropped). */
  readonly lotNumber: string;
  readonly quantity: number;
  readonly unit: SpokenUnit;
  /** kg per piece, for pieces (so that the lot has a mass). */
  readonly itemMassKg?: number;
  /** Local date and time as the partner's phone shows them: `2025-09-03`, `14:00`. */
  readonly date: string;
  readonly time: string;
  /** The zone offset of that local time, `+08:00` (the browser knows it for that date). */
  readonly timeZoneOffset: string;
  /** The partner's GLN (13 digits): the site the lot was made at. */
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

/** A problem with one field of the form, named so that the form can show it beside that field. */
function fieldProblem(field: string, message: string): DomainError {
  return new DomainError("CONSOLE.FIELD_INVALID", "invalid", message, { field });
}

/** The EPCIS document that records a lot made at the partner's site (an ObjectEvent ADD, commissioning). */
export function producedLotDocument(step: ProducedLotStep): Record<string, unknown> {
  const lotNumber = step.lotNumber.trim();
  if (!/^\d{14}$/.test(step.gtin)) throw fieldProblem("gtin", "Choose the product");
  if (!/^[\x21-\x22\x25-\x2F\x30-\x39\x3A-\x3F\x41-\x5A\x5F\x61-\x7A]{1,20}$/.test(lotNumber)) {
    throw fieldProblem(
      "lotNumber",
      "A lot number is 1 to 20 letters, digits or the signs ! \" % & ' ( ) * + , - . / : ; < = > ? _ as printed",
    );
  }
  if (!(step.quantity > 0) || !Number.isFinite(step.quantity))
    throw fieldProblem("quantity", "Enter a quantity above 0");
  if (step.unit === "pieces" && !(Number.isInteger(step.quantity) && (step.itemMassKg ?? 0) > 0)) {
    throw fieldProblem("quantity", "Pieces are whole numbers, and the product needs its mass per piece");
  }
  const uri = lotId(step.gtin, lotNumber);
  const quantity =
    step.unit === "pieces"
      ? { epcClass: uri, quantity: step.quantity }
      : { epcClass: uri, quantity: step.unit === "t" ? step.quantity * 1000 : step.quantity, uom: "KGM" };
  return {
    "@context": [EPCIS_CONTEXT, { ct: CT_NAMESPACE }],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: new Date().toISOString(),
    epcisBody: {
      eventList: [
        {
          type: "ObjectEvent",
          ...eventTimeOf(step),
          action: "ADD",
          bizStep: "commissioning",
          quantityList: [quantity],
          bizLocation: { id: sglnOf(step.gln) },
          ...(step.process === undefined ? {} : { "ct:process": step.process }),
          ...(step.unit === "pieces"
            ? { "ct:unitMasses": [{ "ct:epcClass": uri, "ct:kgPerUnit": step.itemMassKg }] }
            : {}),
          ...activityOf(step),
          ...(step.evidence === undefined || step.evidence.length === 0
            ? {}
            : { "ct:evidence": step.evidence.map((file) => ({ "ct:cid": file.cid, "ct:kind": file.kind })) }),
        },
      ],
    },
  };
}

function eventTimeOf(step: ProducedLotStep): Record<string, string> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(step.date) || Number.isNaN(Date.parse(step.date))) {
    throw fieldProblem("date", "Enter the date the lot was made");
  }
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(step.time)) throw fieldProblem("time", "Enter the time as hours:minutes");
  if (!/^[+-](0\d|1[0-4]):[0-5]\d$/.test(step.timeZoneOffset)) {
    throw fieldProblem("time", "The time zone is unknown: set the phone's time zone");
  }
  const eventTime = `${step.date}T${step.time}:00.000${step.timeZoneOffset}`;
  if (Date.parse(eventTime) > Date.now() + 5 * 60_000)
    throw fieldProblem("date", "The lot cannot be made in the future");
  return { eventTime, eventTimeZoneOffset: step.timeZoneOffset };
}

/** The site's SGLN: the GLN split after its 7-digit GS1 Company Prefix, extension 0. */
function sglnOf(gln: string): string {
  if (!/^\d{13}$/.test(gln)) throw fieldProblem("site", "The site has no GLN: ask the administrator to register it");
  return `urn:epc:id:sgln:${gln.slice(0, 7)}.${gln.slice(7, 12)}.0`;
}

function activityOf(step: ProducedLotStep): Record<string, unknown> {
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
  if (electricity.length === 0 && fuels.length === 0) return {};
  return {
    "ct:activity": {
      ...(electricity.length === 0 ? {} : { "ct:electricity": electricity }),
      ...(fuels.length === 0 ? {} : { "ct:fuels": fuels }),
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
