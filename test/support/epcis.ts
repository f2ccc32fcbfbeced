/** Small factories for EPCIS 2.0 documents and events of the rPET journey, in tests. */

export const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
export const CT = "https://carbontrace.org/ns/epcis/";

export type Json = Record<string, unknown>;

export function epcisDocument(events: Json[], extra: Json = {}): Json {
  return {
    "@context": [EPCIS_CONTEXT, { ct: CT }],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2026-11-01T08:00:00.000Z",
    epcisBody: { eventList: events },
    ...extra,
  };
}

let sequence = 0;
/** A fresh lot number, so that tests never share lots by accident. */
export function newLot(prefix = "LOT"): string {
  sequence += 1;
  return `${prefix}${Date.now().toString(36)}${sequence}`.toUpperCase();
}

/** GTINs of the rPET storage box journey (check digits valid). */
export const GTIN = {
  bales: "06901234000016",
  pellets: "06901234000023",
  boxes: "06901234000030",
} as const;

export function lotClass(gtin: string, lot: string): string {
  return `https://id.gs1.org/01/${gtin}/10/${lot}`;
}

export function quantity(gtin: string, lot: string, amount: number, uom?: string): Json {
  return { epcClass: lotClass(gtin, lot), quantity: amount, ...(uom === undefined ? {} : { uom }) };
}

const base = (time: string): Json => ({ eventTime: time, eventTimeZoneOffset: "+08:00" });

/** Bales produced at a collection point (ObjectEvent ADD, commissioning). */
export function commissioning(output: Json[], extra: Json = {}, time = "2026-10-01T08:00:00.000+08:00"): Json {
  return {
    type: "ObjectEvent",
    ...base(time),
    action: "ADD",
    bizStep: "commissioning",
    quantityList: output,
    ...extra,
  };
}

export function transformation(
  inputs: Json[],
  outputs: Json[],
  extra: Json = {},
  time = "2026-10-03T08:00:00.000+08:00",
): Json {
  return {
    type: "TransformationEvent",
    ...base(time),
    bizStep: "commissioning",
    inputQuantityList: inputs,
    outputQuantityList: outputs,
    ...extra,
  };
}

export function observation(
  bizStep: string,
  items: Json[],
  extra: Json = {},
  time = "2026-10-02T08:00:00.000+08:00",
): Json {
  return { type: "ObjectEvent", ...base(time), action: "OBSERVE", bizStep, quantityList: items, ...extra };
}
