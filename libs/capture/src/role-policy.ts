import { DomainError } from "#common";
import type { Process } from "./vocabulary.js";

/** Supply-chain roles a participant can hold; each is a role on the TraceLedger (`<ROLE>_ROLE`). */
export const SUPPLY_CHAIN_ROLES = ["supplier", "recycler", "moulder", "warehouse"] as const;
export type SupplyChainRole = (typeof SUPPLY_CHAIN_ROLES)[number];

/** Every role a participant can be registered with; certifiers attest, they do not capture events. */
export const PARTICIPANT_ROLES = [...SUPPLY_CHAIN_ROLES, "certifier"] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** Which processes each role performs: a moulder cannot declare recycling, nor a warehouse moulding. */
export const PROCESSES_OF: Readonly<Record<SupplyChainRole, readonly Process[]>> = {
  supplier: ["collection", "sorting", "baling", "packing", "storage", "transport"],
  recycler: ["sorting", "washing", "recycling", "pelletising", "packing", "storage", "transport"],
  moulder: ["moulding", "assembly", "printing", "packing", "storage", "transport"],
  warehouse: ["packing", "storage", "transport"],
};

const CBV_BIZ_STEP = "https://ref.gs1.org/cbv/BizStep-";
const ALL: readonly SupplyChainRole[] = SUPPLY_CHAIN_ROLES;
const PRODUCERS: readonly SupplyChainRole[] = ["supplier", "recycler", "moulder"];

/**
 * Who may record which CBV business step. Custody steps (moving, holding, inspecting, sensing) belong to
 * whoever has the goods; steps that create, change or end objects belong to the roles that make things.
 */
const ROLES_BY_BIZ_STEP: Readonly<Record<string, readonly SupplyChainRole[]>> = {
  accepting: ALL,
  arriving: ALL,
  cycle_counting: ALL,
  departing: ALL,
  entering_exiting: ALL,
  holding: ALL,
  inspecting: ALL,
  loading: ALL,
  packing: ALL,
  picking: ALL,
  receiving: ALL,
  reserving: ALL,
  sampling: ALL,
  sensor_reporting: ALL,
  shipping: ALL,
  staging_outbound: ALL,
  stock_taking: ALL,
  stocking: ALL,
  storing: ALL,
  transporting: ALL,
  unloading: ALL,
  unpacking: ALL,
  void_shipping: ALL,
  retail_selling: ["warehouse"],
  assembling: PRODUCERS,
  commissioning: PRODUCERS,
  creating_class_instance: PRODUCERS,
  decommissioning: PRODUCERS,
  destroying: PRODUCERS,
  disassembling: PRODUCERS,
  dispensing: PRODUCERS,
  encoding: PRODUCERS,
  installing: PRODUCERS,
  killing: PRODUCERS,
  removing: PRODUCERS,
  repackaging: PRODUCERS,
  repairing: PRODUCERS,
  replacing: PRODUCERS,
};

export interface PolicySubject {
  readonly eventType: string;
  /** Bare CBV name or full URI; undefined when the event has none. */
  readonly bizStep: string | undefined;
  readonly process: Process | undefined;
}

/** The roles allowed to record this event; an empty list means nobody may. */
export function rolesAllowedFor(subject: PolicySubject): readonly SupplyChainRole[] {
  const byStep = rolesForBizStep(subject.bizStep);
  const byType = subject.eventType === "TransformationEvent" ? PRODUCERS : ALL;
  const byProcess =
    subject.process === undefined ? ALL : ALL.filter((role) => PROCESSES_OF[role].includes(subject.process as Process));
  return ALL.filter((role) => byStep.includes(role) && byType.includes(role) && byProcess.includes(role));
}

/**
 * The role under which a participant records an event (its footprint stage): the first of its roles the
 * policy allows. Throws CAPTURE.ROLE_NOT_ALLOWED naming what was attempted and who may do it.
 */
export function roleFor(held: readonly SupplyChainRole[], subject: PolicySubject, eventIndex: number): SupplyChainRole {
  const allowed = rolesAllowedFor(subject);
  const role = held.find((candidate) => allowed.includes(candidate));
  if (role !== undefined) return role;
  const what = [
    subject.eventType,
    subject.bizStep === undefined ? undefined : `bizStep ${subject.bizStep}`,
    subject.process === undefined ? undefined : `process ${subject.process}`,
  ]
    .filter((part) => part !== undefined)
    .join(", ");
  throw new DomainError(
    "CAPTURE.ROLE_NOT_ALLOWED",
    "forbidden",
    `Event ${eventIndex} (${what}) may be recorded by ${allowed.length === 0 ? "no role" : allowed.join(" or ")}; ` +
      `the participant holds ${held.length === 0 ? "no supply-chain role" : held.join(", ")}`,
    { eventIndex, allowed, held },
  );
}

/** Steps outside CBV (a company's own URI) cannot be judged: they are open to every role. */
function rolesForBizStep(bizStep: string | undefined): readonly SupplyChainRole[] {
  if (bizStep === undefined) return ALL;
  const bare = bizStep.startsWith(CBV_BIZ_STEP) ? bizStep.slice(CBV_BIZ_STEP.length) : bizStep;
  if (/^[a-z_]+$/.test(bare)) return ROLES_BY_BIZ_STEP[bare] ?? [];
  return ALL;
}
