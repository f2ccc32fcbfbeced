import { DomainError } from "#common";
import { add, compare, negate, toText, ZERO, type Decimal } from "./decimal.js";
import type { LotIdentifier } from "./identifiers.js";
import type { Direction, LotMovement } from "./lot-movements.js";
import type { TrackedUnit } from "./units.js";

/** What the service knows of a lot's quantities: made or declared here (`produced`) and used up (`consumed`). */
export interface LotBalance {
  readonly lot: LotIdentifier;
  /** Undefined while the lot has never been named with a quantity (it has no balance yet). */
  readonly unit: TrackedUnit | undefined;
  readonly produced: Decimal;
  readonly consumed: Decimal;
  /** Entered without provenance here: first named by an event that did not make it. */
  readonly external: boolean;
  /** Who made it or first named it (custody's originator); undefined while no one has. */
  readonly originator: string | undefined;
}

/** A row of the lot's movement log; `declared` is the quantity an external lot entered the balance with. */
export interface RecordedMovement {
  readonly lotId: string;
  readonly direction: Direction | "declared";
  readonly amount: Decimal;
  readonly unit: TrackedUnit;
  readonly massKg: Decimal | undefined;
}

export function unknownLot(lot: LotIdentifier): LotBalance {
  return { lot, unit: undefined, produced: ZERO, consumed: ZERO, external: false, originator: undefined };
}

/**
 * One movement applied to a lot's balance, in capture order:
 * - produced: adds to what was made (the lot is started if new), in the lot's unit;
 * - anything else on a lot with no balance (new, or blank again after its events were retracted) first declares
 *   it external with the quantity this event states; then consumed takes from what remains, never more.
 * The same rules PostgreSQL enforces with CHECK constraints on the stored lot; this decides them first, so that
 * the error names the event and the quantities.
 */
export function stepLotBalance(
  balance: LotBalance,
  movement: LotMovement,
  eventIndex: number,
): { balance: LotBalance; recorded: RecordedMovement[] } {
  const recorded: RecordedMovement[] = [];
  const log = (direction: RecordedMovement["direction"]): void => {
    recorded.push({
      lotId: movement.lot.id,
      direction,
      amount: movement.amount,
      unit: movement.unit,
      massKg: movement.massKg,
    });
  };
  let next = balance;
  if (movement.direction === "produced") {
    if (next.unit === undefined) next = { ...next, unit: movement.unit, produced: movement.amount, external: false };
    else if (next.unit === movement.unit) next = { ...next, produced: add(next.produced, movement.amount) };
    else throw unitMismatch(next, movement, eventIndex);
  } else {
    if (isBlank(next)) {
      next = { ...next, unit: movement.unit, produced: movement.amount, external: true };
      log("declared");
    }
    if (movement.direction === "consumed") next = consume(next, movement, eventIndex);
  }
  log(movement.direction);
  return { balance: next, recorded };
}

/** No balance at all: never named with a quantity, or nothing made, declared or used and no originator. */
function isBlank(balance: LotBalance): boolean {
  return (
    balance.unit === undefined ||
    (balance.produced.digits === 0n && balance.consumed.digits === 0n && balance.originator === undefined)
  );
}

function consume(balance: LotBalance, movement: LotMovement, eventIndex: number): LotBalance {
  if (balance.unit !== movement.unit) throw unitMismatch(balance, movement, eventIndex);
  const consumed = add(balance.consumed, movement.amount);
  if (compare(consumed, balance.produced) <= 0) return { ...balance, consumed };
  const remaining = add(balance.produced, negate(balance.consumed));
  throw new DomainError(
    "MASS_BALANCE.INSUFFICIENT_QUANTITY",
    "conflict",
    `Event ${eventIndex} consumes ${toText(movement.amount)} ${movement.unit} of lot ${movement.lot.id}, but only ` +
      `${toText(remaining)} ${balance.unit} of it remain (${toText(balance.produced)} in, ${toText(balance.consumed)} already used)`,
    {
      eventIndex,
      lot: movement.lot.id,
      requested: toText(movement.amount),
      unit: movement.unit,
      produced: toText(balance.produced),
      consumed: toText(balance.consumed),
    },
  );
}

function unitMismatch(balance: LotBalance, movement: LotMovement, eventIndex: number): DomainError {
  return new DomainError(
    "MASS_BALANCE.UNIT_MISMATCH",
    "conflict",
    `Event ${eventIndex} states lot ${movement.lot.id} in ${movement.unit}, but the lot is tracked in ${balance.unit ?? "another unit"}`,
    { eventIndex, lot: movement.lot.id, unit: movement.unit, lotUnit: balance.unit },
  );
}

/** One movement per lot and direction: an event listing a lot twice moves the sum (in one unit). */
export function mergedMovements(event: {
  readonly index: number;
  readonly movements: readonly LotMovement[];
}): LotMovement[] {
  const byKey = new Map<string, LotMovement>();
  for (const movement of event.movements) {
    const key = `${movement.lot.id} ${movement.direction}`;
    const previous = byKey.get(key);
    if (previous !== undefined && previous.unit !== movement.unit) {
      throw new DomainError(
        "MASS_BALANCE.UNIT_MISMATCH",
        "conflict",
        `Event ${event.index} states lot ${movement.lot.id} both in ${previous.unit} and in ${movement.unit}`,
        { eventIndex: event.index, lot: movement.lot.id },
      );
    }
    byKey.set(key, previous === undefined ? movement : combinedMovement(previous, movement));
  }
  return [...byKey.values()];
}

/** Two movements of one lot in one direction as one: quantities added, mass known only if both are. */
export function combinedMovement(previous: LotMovement, movement: LotMovement): LotMovement {
  return {
    ...movement,
    amount: add(previous.amount, movement.amount),
    massKg:
      previous.massKg === undefined || movement.massKg === undefined
        ? undefined
        : add(previous.massKg, movement.massKg),
  };
}
