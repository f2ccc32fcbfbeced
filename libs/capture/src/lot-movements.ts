import { DomainError } from "#common";
import { compare, decimal, multiply, sum, toText, ZERO, type Decimal } from "./decimal.js";
import { canonicalIdentifier, lotOf, productClassOf, type LotIdentifier } from "./identifiers.js";
import { normaliseQuantity, type TrackedUnit } from "./units.js";
import { bareBizStep, ENDING_STEPS, MAKING_STEPS, quantities, type QuantityElement } from "./quantity-lists.js";
import type { CarbonTraceExtension, UnitMass } from "./vocabulary.js";

/** What an event does to a lot: makes it (output), uses it up (input), or only handles it (custody). */
export type Direction = "produced" | "consumed" | "observed";

export interface LotMovement {
  readonly lot: LotIdentifier;
  readonly direction: Direction;
  readonly amount: Decimal;
  readonly unit: TrackedUnit;
  /** Mass in kg, when the quantity is a mass or a counted quantity with a declared unit mass. */
  readonly massKg: Decimal | undefined;
}

/** A quantity of any class (lot or not), with its mass if known: the terms of the yield check. */
interface Term {
  readonly epcClass: string;
  readonly massKg: Decimal | undefined;
}

/**
 * The lot movements of an event, in the order they apply: inputs are used up before outputs exist.
 * - TransformationEvent: inputQuantityList consumed, outputQuantityList produced.
 * - ObjectEvent ADD when commissioning / creating a class instance: quantityList produced.
 * - ObjectEvent DELETE when destroying / decommissioning: quantityList consumed.
 * - Everything else (receiving, shipping, aggregation, association, transaction): observed.
 * Classes without a lot (a bare GTIN, an idpat pattern) are not lots and are not tracked.
 */
export function lotMovementsOf(
  event: Readonly<Record<string, unknown>>,
  extension: CarbonTraceExtension,
): LotMovement[] {
  const movements: LotMovement[] = [];
  const add = (elements: readonly QuantityElement[], direction: Direction): void => {
    for (const element of elements) {
      const lot = lotOf(element.epcClass);
      if (lot === undefined || element.quantity === undefined) continue;
      const quantity = normaliseQuantity(element.quantity, element.uom);
      movements.push({
        lot,
        direction,
        amount: quantity.amount,
        unit: quantity.unit,
        massKg: massOf(element.epcClass, quantity, extension.unitMasses),
      });
    }
  };
  const type = event.type;
  if (type === "TransformationEvent") {
    add(quantities(event, "inputQuantityList"), "consumed");
    add(quantities(event, "outputQuantityList"), "produced");
  } else if (type === "ObjectEvent") {
    const step = bareBizStep(event.bizStep);
    const direction: Direction =
      event.action === "ADD" && MAKING_STEPS.has(step)
        ? "produced"
        : event.action === "DELETE" && ENDING_STEPS.has(step)
          ? "consumed"
          : "observed";
    add(quantities(event, "quantityList"), direction);
  } else {
    for (const field of ["quantityList", "childQuantityList"]) add(quantities(event, field), "observed");
  }
  return movements;
}

/**
 * Output mass may not exceed input mass (yield ≤ 100 %): the inputs are the input quantities plus the materials
 * the event declares (virgin resin, colourant). A material that names one of the event's input lots or classes
 * (`ct:epcClass`) describes that input: it is not counted twice. Checked when every term's mass is known; an
 * event with a counted quantity of unknown unit mass cannot be weighed, and its lots are still bound by their own
 * balance.
 */
export function checkYield(
  event: Readonly<Record<string, unknown>>,
  extension: CarbonTraceExtension,
  eventIndex: number,
): void {
  if (event.type !== "TransformationEvent") return;
  const inputs = terms(quantities(event, "inputQuantityList"), extension.unitMasses);
  const outputs = terms(quantities(event, "outputQuantityList"), extension.unitMasses);
  if (outputs.length === 0) return;
  const all = [...inputs, ...outputs];
  if (all.some((term) => term.massKg === undefined)) return;
  const inputClasses = new Set(inputs.map((term) => canonicalIdentifier(term.epcClass)));
  const added = extension.activity.materials.filter(
    (material) => material.epcClass === undefined || !inputClasses.has(canonicalIdentifier(material.epcClass)),
  );
  const inputKg = sum([...inputs.map(massOrZero), ...added.map((m) => decimal(m.massKg))]);
  const outputKg = sum(outputs.map(massOrZero));
  if (compare(outputKg, inputKg) > 0) {
    throw new DomainError(
      "MASS_BALANCE.YIELD_EXCEEDED",
      "conflict",
      `Event ${eventIndex} outputs more mass than goes in: ${toText(outputKg)} kg out of ${toText(inputKg)} kg ` +
        "(inputs plus declared materials); a yield above 100 % is not possible",
      { eventIndex, inputKg: toText(inputKg), outputKg: toText(outputKg) },
    );
  }
}

function terms(elements: readonly QuantityElement[], unitMasses: readonly UnitMass[]): Term[] {
  return elements
    .filter((element) => element.quantity !== undefined)
    .map((element) => ({
      epcClass: element.epcClass,
      massKg: massOf(element.epcClass, normaliseQuantity(element.quantity ?? 0, element.uom), unitMasses),
    }));
}

function massOf(
  epcClass: string,
  quantity: ReturnType<typeof normaliseQuantity>,
  unitMasses: readonly UnitMass[],
): Decimal | undefined {
  if (quantity.isMass) return quantity.amount;
  if (quantity.unit !== "EA") return undefined;
  const perUnit = unitMassOf(epcClass, unitMasses);
  return perUnit === undefined ? undefined : multiply(quantity.amount, decimal(perUnit));
}

/** The declared mass of one unit of a class: for the exact class, or for its product (GTIN). */
function unitMassOf(epcClass: string, unitMasses: readonly UnitMass[]): number | undefined {
  const exact = canonicalIdentifier(epcClass);
  const product = productClassOf(epcClass);
  const match =
    unitMasses.find((entry) => canonicalIdentifier(entry.epcClass) === exact) ??
    unitMasses.find((entry) => product !== undefined && canonicalIdentifier(entry.epcClass) === product);
  return match?.kgPerUnit;
}

function massOrZero(term: Term): Decimal {
  return term.massKg ?? ZERO;
}
