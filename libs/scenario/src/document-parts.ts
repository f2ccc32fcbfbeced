/**
 * The parts the scenarios' EPCIS documents are built from: lot URIs, quantities, times in China Standard Time,
 * sites and parties as GS1 URNs, activity data in CarbonTrace's extension, evidence links.
 */

export const CT_NAMESPACE = "https://carbontrace.org/ns/epcis/";
export const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

export type Json = Record<string, unknown>;

export function lotUri(gtin: string, lot: string): string {
  return `https://id.gs1.org/01/${gtin}/10/${lot}`;
}

export const quantity = (gtin: string, lot: string, amount: number, uom?: string): Json => ({
  epcClass: lotUri(gtin, lot),
  quantity: amount,
  ...(uom === undefined ? {} : { uom }),
});

export const at = (day: number, hour = 8): Json => ({
  eventTime: `2025-09-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00.000+08:00`,
  eventTimeZoneOffset: "+08:00",
});

const sgln = (gln: string): string => `urn:epc:id:sgln:${gln.slice(0, 7)}.${gln.slice(7, 12)}.0`;

export const location = (gln: string): Json => ({ bizLocation: { id: sgln(gln) } });

/**
 * Where a shipment goes, as EPCIS says it: the receiving party (owner and possessor) and its site. This is the
 * hand-over: the receiver may record events about the lot once it has received it.
 */
export const shippedTo = (gln: string): Json => ({
  destinationList: [
    { type: "owning_party", destination: `urn:epc:id:pgln:${gln.slice(0, 7)}.${gln.slice(7, 12)}` },
    { type: "location", destination: sgln(gln) },
  ],
});

/** The shipper, on the receiving side. */
export const receivedFrom = (gln: string): Json => ({
  sourceList: [{ type: "owning_party", source: `urn:epc:id:pgln:${gln.slice(0, 7)}.${gln.slice(7, 12)}` }],
});

export const electricity = (kWh: number, gridRegion: string, basis = "measured"): Json => ({
  "ct:kWh": kWh,
  "ct:gridRegion": gridRegion,
  "ct:basis": basis,
});

export const road = (distanceKm: number, massKg: number, vehicle = "hgv_articulated"): Json => ({
  "ct:mode": "road",
  "ct:vehicle": vehicle,
  "ct:distanceKm": distanceKm,
  "ct:massKg": massKg,
  "ct:region": "CN",
  "ct:basis": "measured",
});

export function epcisDocument(events: readonly Json[]): Json {
  return {
    "@context": [EPCIS_CONTEXT, { ct: CT_NAMESPACE }],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: new Date().toISOString(),
    epcisBody: { eventList: events },
  };
}

/** CIDs of evidence files by the event they back (see evidence.ts), as `ct:evidence` entries. */
export type EvidenceLinks = Partial<Record<string, ReadonlyArray<{ readonly cid: string; readonly kind: string }>>>;

export function evidenceOf(links: EvidenceLinks, slot: string): Json {
  const files = links[slot] ?? [];
  return files.length === 0
    ? {}
    : { "ct:evidence": files.map((file) => ({ "ct:cid": file.cid, "ct:kind": file.kind })) };
}

/** The meter photo behind an event's electricity, when there is one. */
export function meterCid(links: EvidenceLinks, slot: string): Json {
  const photo = (links[slot] ?? []).find((file) => file.kind === "meter-photo");
  return photo === undefined ? {} : { "ct:evidenceCid": photo.cid };
}

/** Day of September 2025 and hour, China Standard Time. */
export type When = readonly [day: number, hour?: number];

/**
 * The bottle supplier's two events, the same in every chain it feeds: bales made at its site with the baler's
 * electricity, then shipped by road to the partner that recycles them.
 */
export function balesMadeAndShipped(p: {
  readonly gtin: string;
  readonly lot: string;
  readonly kg: number;
  readonly balingKWh: number;
  readonly roadKm: number;
  readonly supplier: string;
  readonly to: string;
  readonly made: When;
  readonly shipped: When;
  readonly evidence: EvidenceLinks;
}): Json[] {
  const bales = quantity(p.gtin, p.lot, p.kg, "KGM");
  return [
    {
      type: "ObjectEvent",
      ...at(...p.made),
      action: "ADD",
      bizStep: "commissioning",
      quantityList: [bales],
      ...location(p.supplier),
      "ct:process": "baling",
      "ct:activity": { "ct:electricity": [electricity(p.balingKWh, "CN-ZJ")] },
      ...evidenceOf(p.evidence, "baling"),
    },
    {
      type: "ObjectEvent",
      ...at(...p.shipped),
      action: "OBSERVE",
      bizStep: "shipping",
      quantityList: [bales],
      ...location(p.supplier),
      ...shippedTo(p.to),
      "ct:activity": { "ct:transport": [road(p.roadKm, p.kg)] },
      ...evidenceOf(p.evidence, "balesShipped"),
    },
  ];
}

/** The warehouse's two events: the finished lot received from its maker (with the delivery note), then stored. */
export function receivedAndStored(p: {
  readonly gtin: string;
  readonly lot: string;
  readonly count: number;
  readonly kgPerUnit: number;
  readonly warehouse: string;
  readonly from: string;
  readonly storageKWh: number;
  readonly received: When;
  readonly stored: When;
  readonly deliveryNote: Json;
}): Json[] {
  const lot = quantity(p.gtin, p.lot, p.count);
  const masses = { "ct:unitMasses": [{ "ct:epcClass": lotUri(p.gtin, p.lot), "ct:kgPerUnit": p.kgPerUnit }] };
  return [
    {
      type: "ObjectEvent",
      ...at(...p.received),
      action: "OBSERVE",
      bizStep: "receiving",
      quantityList: [lot],
      ...location(p.warehouse),
      ...receivedFrom(p.from),
      ...masses,
      ...p.deliveryNote,
    },
    {
      type: "ObjectEvent",
      ...at(...p.stored),
      action: "OBSERVE",
      bizStep: "storing",
      quantityList: [lot],
      ...location(p.warehouse),
      ...masses,
      "ct:process": "storage",
      "ct:activity": { "ct:electricity": [electricity(p.storageKWh, "CN-SH", "calculated")] },
    },
  ];
}
