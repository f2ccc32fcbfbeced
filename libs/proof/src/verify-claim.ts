import { librarySha256 } from "#footprint";
import { offsetLotKey } from "#offsets";
import type { BundleClaim, BundleRetirement, ProofBundle } from "./bundle.js";
import { claimOfBundle, type ClaimSource } from "./bundle-footprint.js";
import { fromLedger, LedgerUnread, type AddCheck, type LedgerReader, type RetiredOnLedger } from "./verify-ledger.js";

type WithClaim = ProofBundle &
  ClaimSource & { readonly retirements: readonly BundleRetirement[]; readonly claim: BundleClaim | null };

/**
 * The label's claim, proved from the bundle alone: the factor library is the one its SHA-256 names, each
 * retirement is on OffsetRegistry for this lot and no other, and the claim is what the rules give for the
 * footprint recomputed from the bundle's events with the retirements the ledger confirmed, in whole grams
 * (zero-carbon: retired ≥ footprint). A claim resting on retirements the ledger could not be asked about is not
 * verified (skipped), never passed.
 */
export async function checkClaim(
  bundle: ProofBundle,
  retracted: ReadonlySet<string>,
  ledger: LedgerReader | LedgerUnread,
  add: AddCheck,
): Promise<void> {
  if (!carriesClaim(bundle)) {
    add("claim.identity", bundle.lot.id, "skip", `a version ${bundle.version} bundle carries no claim to verify`);
    return;
  }
  checkLibrary(bundle, add);
  const { confirmed, unconfirmed } = await checkRetirements(bundle, ledger, add);
  const proven = recompute(bundle, retracted, confirmed);
  const possible = recompute(bundle, retracted, [...confirmed, ...unconfirmed]);
  const stated = bundle.claim;
  const subject = bundle.lot.id;
  if (stated === null) {
    add("claim.identity", subject, "pass", "the label makes no claim");
    return;
  }
  if (proven.claim === null) {
    const why =
      proven.problem === null
        ? "the footprint recomputed from the bundle's events is zero"
        : `the footprint cannot be recomputed from the bundle: ${proven.problem}`;
    add("claim.footprint", subject, "fail", `the label claims ${stated.status}, but ${why}`);
    return;
  }
  checkFootprint(stated, proven.claim, subject, add);
  const listedGrams = gramsOf(bundle.retirements);
  if (listedGrams !== stated.retiredGrams) {
    add(
      "claim.identity",
      subject,
      "fail",
      `the claim counts ${stated.retiredGrams} g retired, the bundle lists retirements of ${listedGrams} g`,
    );
    return;
  }
  const identity = `${grams(stated.footprintGrams)} footprint, ${grams(proven.claim.retiredGrams)} retired and confirmed`;
  if (stated.status === proven.claim.status) {
    add("claim.identity", subject, "pass", `${stated.status}: ${identity}`);
  } else if (stated.status === possible.claim?.status) {
    add(
      "claim.identity",
      subject,
      "skip",
      `${stated.status} rests on retirements the ledger could not confirm (${identity})`,
    );
  } else {
    add(
      "claim.identity",
      subject,
      "fail",
      `the label claims ${stated.status}, but the bundle supports ${proven.claim.status} (${identity})`,
    );
  }
}

/** `claimOfBundle` on untrusted input: whatever stops the computation is a reason, never a crash. */
function recompute(
  bundle: WithClaim,
  retracted: ReadonlySet<string>,
  retirements: readonly BundleRetirement[],
): { claim: BundleClaim | null; problem: string | null } {
  try {
    const outcome = claimOfBundle(bundle, retracted, retirements);
    return { claim: outcome.claim, problem: outcome.problem?.message ?? null };
  } catch (error) {
    return { claim: null, problem: error instanceof Error ? error.message : String(error) };
  }
}

function carriesClaim(bundle: ProofBundle): bundle is WithClaim {
  return bundle.footprint !== undefined && bundle.retirements !== undefined && bundle.claim !== undefined;
}

function checkLibrary(bundle: WithClaim, add: AddCheck): void {
  const { version, sha256, factors } = bundle.footprint.library;
  let recomputed: string;
  try {
    recomputed = librarySha256(factors);
  } catch (error) {
    add("footprint.library", `version ${version}`, "fail", `the factors cannot be hashed: ${String(error)}`);
    return;
  }
  add(
    "footprint.library",
    `version ${version}`,
    recomputed === sha256 ? "pass" : "fail",
    recomputed === sha256
      ? `${factors.length} factors hash to the library version's SHA-256`
      : `the factors hash to ${recomputed}, the bundle says ${sha256}: they are not that library version`,
  );
}

function checkFootprint(stated: BundleClaim, recomputed: BundleClaim, subject: string, add: AddCheck): void {
  const same =
    stated.footprintGrams === recomputed.footprintGrams &&
    stated.units === recomputed.units &&
    stated.baselineGrams === recomputed.baselineGrams;
  add(
    "claim.footprint",
    subject,
    same ? "pass" : "fail",
    same
      ? `${grams(recomputed.footprintGrams)} for ${recomputed.units} unit(s), recomputed from the bundle's events`
      : `the claim states ${grams(stated.footprintGrams)} for ${stated.units} unit(s)` +
          `${stated.baselineGrams === null ? "" : ` against a baseline of ${grams(stated.baselineGrams)}`}; ` +
          `the bundle's events give ${grams(recomputed.footprintGrams)} for ${recomputed.units}` +
          (recomputed.baselineGrams === null ? "" : ` against ${grams(recomputed.baselineGrams)}`),
  );
}

/**
 * Each listed retirement read back from OffsetRegistry. Confirmed: on the ledger as listed, for this lot.
 * Unconfirmed: the ledger could not be read. A retirement the ledger contradicts (absent, for another lot,
 * other serials or quantity) or listed twice fails and counts for nothing.
 */
async function checkRetirements(
  bundle: WithClaim,
  ledger: LedgerReader | LedgerUnread,
  add: AddCheck,
): Promise<{ confirmed: BundleRetirement[]; unconfirmed: BundleRetirement[] }> {
  const confirmed: BundleRetirement[] = [];
  const unconfirmed: BundleRetirement[] = [];
  const seen = new Set<string>();
  const lotKey = offsetLotKey(bundle.lot.id);
  for (const retirement of bundle.retirements) {
    const subject = `retirement ${retirement.retirementId}`;
    if (seen.has(retirement.retirementId)) {
      add("offset.retirement", subject, "fail", "listed more than once: its credits would be counted twice");
      continue;
    }
    seen.add(retirement.retirementId);
    const logs = await fromLedger(ledger, (reader) =>
      reader.retirementsIn(bundle.ledger.offsetRegistry, retirement.txHash),
    );
    if (logs instanceof LedgerUnread) {
      add("offset.retirement", subject, "skip", logs.reason);
      unconfirmed.push(retirement);
      continue;
    }
    const problem = contradiction(retirement, logs, lotKey);
    add(
      "offset.retirement",
      subject,
      problem === undefined ? "pass" : "fail",
      problem ??
        `${retirement.quantityKg} kg (${retirement.registry} ${retirement.serialBlock} ` +
          `${retirement.firstSerial}–${retirement.lastSerial}) retired for this lot in block ${retirement.blockNumber}`,
    );
    if (problem === undefined) confirmed.push(retirement);
  }
  return { confirmed, unconfirmed };
}

/** What the ledger says against the listed retirement; undefined when it agrees in every field. */
function contradiction(
  retirement: BundleRetirement,
  logs: readonly RetiredOnLedger[],
  lotKey: string,
): string | undefined {
  const log = logs.find((entry) => entry.retirementId.toString() === retirement.retirementId);
  if (log === undefined) {
    return `OffsetRegistry recorded no retirement ${retirement.retirementId} in transaction ${retirement.txHash}`;
  }
  if (log.lotKey.toLowerCase() !== lotKey.toLowerCase()) {
    return `the credits were retired for another lot (key ${log.lotKey}), not for this one (${lotKey})`;
  }
  const differences = [
    ["registry", log.registry, retirement.registry],
    ["serial block", log.serialBlock, retirement.serialBlock],
    ["project", log.projectId, retirement.projectId],
    ["vintage", log.vintage.toString(), String(retirement.vintage)],
    ["first serial", log.firstSerial.toString(), retirement.firstSerial],
    ["last serial", log.lastSerial.toString(), retirement.lastSerial],
    ["quantity (kg)", log.quantityKg.toString(), retirement.quantityKg],
    ["beneficiary", log.beneficiary, retirement.beneficiary],
    ["block", log.blockNumber.toString(), String(retirement.blockNumber)],
  ].filter(([, onLedger, listed]) => onLedger !== listed);
  if (differences.length === 0) return undefined;
  return `the ledger records ${differences.map(([field, onLedger, listed]) => `${String(field)} ${String(onLedger)}, not ${String(listed)}`).join("; ")}`;
}

/** The listed quantities in grams; "unreadable" when one is not a whole number of kg (it then matches nothing). */
function gramsOf(retirements: readonly BundleRetirement[]): string {
  if (!retirements.every((retirement) => isWholeNumber(retirement.quantityKg))) return "unreadable";
  return (retirements.reduce((sum, retirement) => sum + BigInt(retirement.quantityKg), 0n) * 1000n).toString();
}

/** Bundles are untrusted input: a field typed as a string may hold anything. */
function isWholeNumber(value: unknown): boolean {
  return typeof value === "string" && /^\d{1,30}$/.test(value);
}

function grams(value: string): string {
  return `${value} g`;
}
