import { getAddress, id } from "ethers";
import { evidenceCidsOf, lotMovementsOf, lotOf, readExtension, rolesAllowedFor, type Process } from "#capture";
import { eventHashOf, namespacesOf } from "#epcis";
import { recoverAttestationSigner, ledgerDomain, statementHash, type AttestationStatement } from "./attestation.js";
import { BUNDLE_TYPE, BUNDLE_VERSION, bundleDigest, type BundleEvent, type ProofBundle } from "./bundle.js";
import { cidOf } from "./cid.js";
import { recoverEventSigner } from "./event-signature.js";
import { verifyLeafProof } from "./merkle.js";
import { checkCustody, checkDeclarations } from "./verify-authority.js";
import { checkClaim } from "./verify-claim.js";
import { fromLedger, LedgerUnread, MemoLedger, type LedgerReader } from "./verify-ledger.js";

export type { LedgerReader, RetiredOnLedger } from "./verify-ledger.js";

/**
 * Anything that returns the bytes behind a CID (our API, an IPFS gateway, a Kubo node); bytes are re-hashed.
 * A reader throws EvidenceSourceUnavailable when it cannot reach its source (the check is then skipped: nothing
 * was learnt about the file), and any other error when the source answered without the file (a failure).
 */
export interface EvidenceReader {
  read(cid: string): Promise<Uint8Array>;
}

/** The evidence source could not be reached (network down, gateway error): the file is neither good nor bad. */
export class EvidenceSourceUnavailable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "EvidenceSourceUnavailable";
  }
}

export type CheckStatus = "pass" | "fail" | "skip";

export interface Check {
  /** Stable id of the kind of check, e.g. "event.hash". */
  readonly check: string;
  /** What it is about: an event hash, a root, a CID, a lot. */
  readonly subject: string;
  readonly status: CheckStatus;
  readonly detail: string;
}

/**
 * The one verdict page, API and CLI all give: verified (every check passed), failed (some check failed), or
 * incomplete (nothing failed, but some checks could not be done: no ledger or evidence source, one that could not
 * be reached, or records not anchored yet). Incomplete is never shown as verified.
 */
export type VerificationOutcome = "verified" | "failed" | "incomplete";

export interface VerificationReport {
  readonly outcome: VerificationOutcome;
  /** No check failed. */
  readonly ok: boolean;
  /** No check was skipped (every source was available and every event anchored). */
  readonly complete: boolean;
  readonly digest: string;
  readonly checks: readonly Check[];
}

export interface VerifySources {
  readonly ledger?: LedgerReader;
  readonly evidence?: EvidenceReader;
}

/**
 * Verifies a proof bundle: event hashes recomputed from the events, signatures recovered to the signers,
 * signers holding their role on the ledger when the event was recorded, every event recorded by a participant
 * entitled to it (custody of its lots, its own sites) and retracted only by its own signer's declaration, Merkle
 * proofs leading to roots the ledger anchored, evidence bytes hashing to their CIDs, the lot graph complete,
 * attestations signed and recorded. Without a ledger or evidence source those checks are skipped, not passed.
 */
export async function verifyBundle(input: unknown, sources: VerifySources = {}): Promise<VerificationReport> {
  const checks: Check[] = [];
  const add = (check: string, subject: string, status: CheckStatus, detail: string): void => {
    checks.push({ check, subject, status, detail });
  };
  const bundle = structure(input, add);
  if (bundle === undefined) return report(checks, "");

  const digest = bundleDigest(bundle);
  add(
    "bundle.digest",
    bundle.lot.id,
    digest === bundle.digest ? "pass" : "fail",
    digest === bundle.digest
      ? "content matches the bundle digest"
      : `content hashes to ${digest}, bundle says ${bundle.digest}`,
  );

  const ledger = await checkChain(bundle, sources.ledger, add);
  if (ledger instanceof MemoLedger) await ledger.warm(ledgerReadsOf(bundle));
  const participants = new Map(bundle.participants.map((p) => [getAddress(p.address), p]));
  for (const event of bundle.events) {
    checkEvent(bundle, event, participants, add);
  }
  const retracted = checkDeclarations(bundle, add);
  checkCustody(bundle, add);
  await checkRoles(bundle, ledger, add);
  await checkRoots(bundle, ledger, add);
  await checkEvidence(bundle, sources.evidence, add);
  checkGraph(bundle, retracted, add);
  await checkClaim(bundle, retracted, ledger, add);
  await checkAttestations(bundle, digest, ledger, add);
  return report(checks, digest);
}

type Add = (check: string, subject: string, status: CheckStatus, detail: string) => void;

/**
 * How far a block's timestamp (the chain's clock, whole seconds, set by whoever produced the block) may lag the
 * service's clock that stamped recordTime: an event recorded later than its batch's block by more than this was
 * not recorded before it was anchored.
 */
const CLOCK_SKEW_TOLERANCE_MS = 120_000;

function report(checks: Check[], digest: string): VerificationReport {
  const ok = checks.every((c) => c.status !== "fail");
  const complete = checks.every((c) => c.status !== "skip");
  return { outcome: !ok ? "failed" : complete ? "verified" : "incomplete", ok, complete, digest, checks };
}

function structure(input: unknown, add: Add): ProofBundle | undefined {
  const bundle = input as Partial<ProofBundle> | null;
  const ok =
    typeof bundle === "object" &&
    bundle !== null &&
    bundle.type === BUNDLE_TYPE &&
    (bundle.version === 1 ||
      (bundle.version === 2 && Array.isArray(bundle.declarations)) ||
      (bundle.version === BUNDLE_VERSION &&
        Array.isArray(bundle.declarations) &&
        Array.isArray(bundle.retirements) &&
        isObject(bundle.footprint) &&
        bundle.claim !== undefined)) &&
    Array.isArray(bundle.events) &&
    Array.isArray(bundle.lots) &&
    Array.isArray(bundle.participants) &&
    Array.isArray(bundle.evidence) &&
    Array.isArray(bundle.attestations) &&
    typeof bundle.ledger === "object" &&
    typeof bundle.lot === "object" &&
    typeof bundle.digest === "string";
  add(
    "bundle.format",
    "bundle",
    ok ? "pass" : "fail",
    ok ? `${BUNDLE_TYPE} version ${String(bundle.version)}` : `not a ${BUNDLE_TYPE} of version 1 to ${BUNDLE_VERSION}`,
  );
  return ok ? (bundle as ProofBundle) : undefined;
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/** The ledger to read, or why it will not be read (then every on-chain check is skipped with that reason). */
async function checkChain(
  bundle: ProofBundle,
  source: LedgerReader | undefined,
  add: Add,
): Promise<LedgerReader | LedgerUnread> {
  if (source === undefined) {
    const unread = new LedgerUnread("no ledger source given: on-chain checks are not done");
    add("ledger.chain", bundle.ledger.chainId, "skip", unread.reason);
    return unread;
  }
  const chainId = await fromLedger(source, (ledger) => ledger.chainId());
  if (chainId instanceof LedgerUnread) {
    add("ledger.chain", bundle.ledger.chainId, "skip", chainId.reason);
    return chainId;
  }
  const same = chainId.toString() === bundle.ledger.chainId;
  const reader = new MemoLedger(source);
  add(
    "ledger.chain",
    bundle.ledger.chainId,
    same ? "pass" : "fail",
    same
      ? `chain ${chainId.toString()}`
      : `the ledger source is chain ${chainId.toString()}, the bundle is for chain ${bundle.ledger.chainId}`,
  );
  return reader;
}

/**
 * Every ledger read the checks below will make (the same arguments), so that they can be asked for at once. A read
 * missing here is still made by its check, one at a time.
 */
function ledgerReadsOf(bundle: ProofBundle): Array<(ledger: LedgerReader) => Promise<unknown>> {
  const roles = bundle.events.map(
    (item) => (ledger: LedgerReader) =>
      ledger.hadRoleAt(
        id(`${item.role.toUpperCase()}_ROLE`),
        item.signer,
        BigInt(Math.floor(Date.parse(item.recordTime) / 1000)),
      ),
  );
  const roots = [...bundle.events, ...(bundle.declarations ?? [])].flatMap((item) =>
    item.anchor.batch === undefined ? [] : [(ledger: LedgerReader) => ledger.anchorOf(item.anchor.batch?.root ?? "")],
  );
  const retirements = (bundle.retirements ?? []).map(
    (retirement) => (ledger: LedgerReader) => ledger.retirementsIn(bundle.ledger.offsetRegistry, retirement.txHash),
  );
  const attestations = bundle.attestations.map(
    (attestation) => (ledger: LedgerReader) => ledger.attestationsOf(attestation.subject),
  );
  return [...roles, ...roots, ...retirements, ...attestations];
}

function checkEvent(
  bundle: ProofBundle,
  item: BundleEvent,
  participants: Map<string, ProofBundle["participants"][number]>,
  add: Add,
): void {
  const subject = item.eventHash;
  const { event } = item;
  const namespaces = namespacesOf({ "@context": event["@context"] });
  let recomputed: string | undefined;
  try {
    recomputed = eventHashOf(event, namespaces);
  } catch (error) {
    add("event.hash", subject, "fail", `the event cannot be hashed: ${String(error)}`);
  }
  if (recomputed !== undefined) {
    add(
      "event.hash",
      subject,
      recomputed === item.eventHash ? "pass" : "fail",
      recomputed === item.eventHash
        ? "CBV 2.0 hash recomputed from the event"
        : `the event hashes to ${recomputed}: it was altered`,
    );
  }

  try {
    const signer = recoverEventSigner(bundle.ledger.signingDomain, item.eventHash, item.signature);
    const same = signer === getAddress(item.signer);
    add(
      "event.signature",
      subject,
      same ? "pass" : "fail",
      same
        ? `signed by ${signer}${item.custodial ? " (custodial key held by the service)" : ""}`
        : `signature recovers to ${signer}, not ${item.signer}`,
    );
  } catch (error) {
    add("event.signature", subject, "fail", `unusable signature: ${String(error)}`);
  }

  const participant = participants.get(getAddress(item.signer));
  const policy = rolesAllowedFor({
    eventType: String(event.type),
    bizStep: typeof event.bizStep === "string" ? event.bizStep : undefined,
    process: processOf(event, namespaces),
  });
  const allowed = (policy as readonly string[]).includes(item.role) && participant?.roles.includes(item.role) === true;
  add(
    "event.policy",
    subject,
    allowed ? "pass" : "fail",
    allowed
      ? `a ${item.role} may record this event`
      : `recorded as ${item.role}, but may be recorded by ${policy.join(" or ") || "no role"}${participant === undefined ? "; the signer is not a listed participant" : ""}`,
  );

  if (item.anchor.status === "pending" || item.anchor.batch === undefined || item.anchor.proof === undefined) {
    add("event.merkle", subject, "skip", "not anchored yet");
    return;
  }
  const included = verifyLeafProof(item.anchor.batch.root, item.eventHash, item.signer, item.anchor.proof);
  add(
    "event.merkle",
    subject,
    included ? "pass" : "fail",
    included
      ? `in batch ${item.anchor.batch.chainBatchId} (root ${item.anchor.batch.root})`
      : "the Merkle proof does not lead to the batch root",
  );
}

/** A value computed from untrusted input, or the fallback when the input cannot be read: checks then fail on it. */
function attempt<T>(compute: () => T, fallback: T): T {
  try {
    return compute();
  } catch {
    return fallback;
  }
}

function processOf(
  event: Readonly<Record<string, unknown>>,
  namespaces: ReturnType<typeof namespacesOf>,
): Process | undefined {
  try {
    return readExtension(event, namespaces).process;
  } catch {
    return undefined;
  }
}

async function checkRoles(bundle: ProofBundle, ledger: LedgerReader | LedgerUnread, add: Add): Promise<void> {
  for (const item of bundle.events) {
    const role = id(`${item.role.toUpperCase()}_ROLE`);
    const at = BigInt(Math.floor(Date.parse(item.recordTime) / 1000));
    const held = await fromLedger(ledger, (reader) => reader.hadRoleAt(role, item.signer, at));
    if (held instanceof LedgerUnread) {
      add("event.role", item.eventHash, "skip", held.reason);
      continue;
    }
    const anchoredAt = item.anchor.batch === undefined ? undefined : Date.parse(item.anchor.batch.anchoredAt);
    const beforeAnchor =
      anchoredAt === undefined || Date.parse(item.recordTime) <= anchoredAt + CLOCK_SKEW_TOLERANCE_MS;
    add(
      "event.role",
      item.eventHash,
      held && beforeAnchor ? "pass" : "fail",
      !held
        ? `${item.signer} did not hold ${item.role.toUpperCase()}_ROLE on the ledger at ${item.recordTime}`
        : !beforeAnchor
          ? `recorded at ${item.recordTime}, after its batch was anchored`
          : `${item.signer} held ${item.role.toUpperCase()}_ROLE at ${item.recordTime}`,
    );
  }
}

async function checkRoots(bundle: ProofBundle, ledger: LedgerReader | LedgerUnread, add: Add): Promise<void> {
  const batches = new Map<string, NonNullable<BundleEvent["anchor"]["batch"]>>();
  for (const item of [...bundle.events, ...(bundle.declarations ?? [])])
    if (item.anchor.batch !== undefined) batches.set(item.anchor.batch.root, item.anchor.batch);
  for (const [root, batch] of batches) {
    const onChain = await fromLedger(ledger, (reader) => reader.anchorOf(root));
    if (onChain instanceof LedgerUnread) {
      add("batch.anchored", root, "skip", onChain.reason);
      continue;
    }
    if (onChain.batchId === 0n) {
      add("batch.anchored", root, "fail", "this root was never anchored on the ledger");
    } else if (
      onChain.blockNumber.toString() !== String(batch.blockNumber) ||
      onChain.batchId.toString() !== batch.chainBatchId
    ) {
      add(
        "batch.anchored",
        root,
        "fail",
        `anchored as batch ${onChain.batchId.toString()} in block ${onChain.blockNumber.toString()}, not as the bundle says`,
      );
    } else {
      add(
        "batch.anchored",
        root,
        "pass",
        `anchored in block ${onChain.blockNumber.toString()} at ${new Date(Number(onChain.anchoredAt) * 1000).toISOString()}`,
      );
    }
  }
}

async function checkEvidence(bundle: ProofBundle, reader: EvidenceReader | undefined, add: Add): Promise<void> {
  const declared = new Map(bundle.evidence.map((e) => [e.cid, e]));
  for (const item of bundle.events) {
    const namespaces = namespacesOf({ "@context": item.event["@context"] });
    const cids = attempt(() => evidenceCidsOf(readExtension(item.event, namespaces)), []);
    for (const cid of cids) {
      if (!declared.has(cid))
        add("evidence.listed", cid, "fail", `event ${item.eventHash} points to evidence the bundle does not list`);
    }
  }
  for (const evidence of bundle.evidence) {
    if (reader === undefined) {
      add("evidence.cid", evidence.cid, "skip", "no evidence source");
      continue;
    }
    try {
      const bytes = await reader.read(evidence.cid);
      const cid = await cidOf(bytes);
      add(
        "evidence.cid",
        evidence.cid,
        cid === evidence.cid ? "pass" : "fail",
        cid === evidence.cid
          ? `${bytes.byteLength} bytes hash to the CID`
          : `the bytes served for this CID hash to ${cid}: the file was swapped`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof EvidenceSourceUnavailable) {
        add("evidence.cid", evidence.cid, "skip", `the evidence source could not be reached: ${message}`);
      } else {
        add("evidence.cid", evidence.cid, "fail", `the bytes could not be read: ${message}`);
      }
    }
  }
}

/**
 * Every lot an event used comes from an event in the bundle, or is external: declared without provenance by the
 * signed event that took it in (`ct:externalLots`). The bundle's own `external` flags switch nothing on or off: a
 * lot the bundle calls external without such a signed declaration is not verified (skipped: its upstream events
 * may have been left out), and one it does not call external is missing (failed). The lot the bundle is about must
 * be made, or declared external, the same way. Events retracted by a valid declaration do not count.
 */
function checkGraph(bundle: ProofBundle, retracted: ReadonlySet<string>, add: Add): void {
  const produced = new Set<string>();
  const used = new Map<string, string>();
  const declaredExternal = new Set<string>();
  for (const item of bundle.events) {
    if (retracted.has(item.eventHash)) continue;
    const namespaces = namespacesOf({ "@context": item.event["@context"] });
    const extension = attempt(() => readExtension(item.event, namespaces), undefined);
    if (extension === undefined) continue;
    for (const movement of attempt(() => lotMovementsOf(item.event, extension), [])) {
      if (movement.direction === "produced") produced.add(movement.lot.id);
      else if (movement.direction === "consumed") used.set(movement.lot.id, item.eventHash);
    }
    for (const epcClass of extension.externalLots) {
      const lot = attempt(() => lotOf(epcClass), undefined);
      if (lot !== undefined) declaredExternal.add(lot.id);
    }
  }
  const flagged = new Set(bundle.lots.filter((lot) => lot.external).map((lot) => lot.id));
  const target = bundle.lot.id;
  const unprovenanced = [...new Set([...used.keys(), target])].filter((lot) => !produced.has(lot));
  const missing = unprovenanced.filter((lot) => !declaredExternal.has(lot) && !flagged.has(lot));
  const unproven = unprovenanced.filter((lot) => !declaredExternal.has(lot) && flagged.has(lot));
  const origin = (lot: string): string =>
    lot === target && !used.has(lot) ? "the bundle's lot" : `used by ${used.get(lot) ?? "?"}`;
  if (missing.length > 0) {
    add(
      "graph.complete",
      target,
      "fail",
      missing.map((lot) => `lot ${lot} (${origin(lot)}) has no upstream event in the bundle`).join("; "),
    );
  } else if (unproven.length > 0) {
    add(
      "graph.complete",
      target,
      "skip",
      unproven
        .map(
          (lot) =>
            `lot ${lot} (${origin(lot)}) has no upstream event in the bundle and no signed declaration that it ` +
            "came from outside the chain: its provenance could not be established",
        )
        .join("; "),
    );
  } else {
    const external = unprovenanced.length;
    add(
      "graph.complete",
      target,
      "pass",
      `${produced.size} lot(s) made by events in the bundle${external > 0 ? `; ${external} external input(s), declared so by the events that took them in` : ""}`,
    );
  }
}

async function checkAttestations(
  bundle: ProofBundle,
  digest: string,
  ledger: LedgerReader | LedgerUnread,
  add: Add,
): Promise<void> {
  for (const attestation of bundle.attestations) {
    const statement = attestation.statement as unknown as AttestationStatement;
    const subject = `${attestation.certifier} on ${attestation.subject}`;
    const hashOk =
      statementHash(statement) === attestation.statementHash && statement.bundleDigest === attestation.subject;
    const signer = attempt(
      () =>
        recoverAttestationSigner(
          ledgerDomain(bundle.ledger.chainId, bundle.ledger.traceLedger),
          statement,
          { nonce: attestation.nonce, deadline: attestation.deadline },
          attestation.signature,
        ),
      "",
    );
    const signed = hashOk && signer === getAddress(attestation.certifier);
    add(
      "attestation.signature",
      subject,
      signed ? "pass" : "fail",
      signed
        ? `${attestation.verdict}, signed by ${signer}${attestation.subject === digest ? "" : " (about an earlier state of this bundle)"}`
        : "the statement or its signature does not match",
    );
    const onChain = await fromLedger(ledger, (reader) => reader.attestationsOf(attestation.subject));
    if (onChain instanceof LedgerUnread) {
      add("attestation.recorded", subject, "skip", onChain.reason);
      continue;
    }
    const recorded = onChain.some(
      (a) =>
        getAddress(a.certifier) === getAddress(attestation.certifier) && a.statementHash === attestation.statementHash,
    );
    add(
      "attestation.recorded",
      subject,
      recorded ? "pass" : attestation.status === "recorded" ? "fail" : "skip",
      recorded
        ? "recorded on the ledger"
        : attestation.status === "recorded"
          ? "not found on the ledger"
          : "not recorded on the ledger yet",
    );
  }
}
