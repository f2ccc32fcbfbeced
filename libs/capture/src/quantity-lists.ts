/** One element of an EPCIS quantity list, as far as lots and mass balance read it. */
export interface QuantityElement {
  readonly epcClass: string;
  readonly quantity?: number | string;
  readonly uom?: string;
}

/** Steps that bring objects into being (an ObjectEvent ADD makes its lots) and steps that end them (DELETE). */
export const MAKING_STEPS: ReadonlySet<string> = new Set(["commissioning", "creating_class_instance"]);
export const ENDING_STEPS: ReadonlySet<string> = new Set(["destroying", "decommissioning", "killing"]);

/** The well-formed elements of one of an event's quantity lists. */
export function quantities(event: Readonly<Record<string, unknown>>, field: string): QuantityElement[] {
  const list = event[field];
  if (!Array.isArray(list)) return [];
  return list.filter(
    (item): item is QuantityElement =>
      typeof item === "object" && item !== null && typeof (item as { epcClass?: unknown }).epcClass === "string",
  );
}

/** A CBV business step without its URI prefix (`shipping`), or "" when the event has none. */
export function bareBizStep(value: unknown): string {
  if (typeof value !== "string") return "";
  return value.replace(/^https:\/\/ref\.gs1\.org\/cbv\/BizStep-/, "");
}
