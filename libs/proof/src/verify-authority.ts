import { getAddress } from "ethers";
import {
  applyDeltas,
  custodyActionsOf,
  emptyCustody,
  locationGlnsOf,
  negate,
  receiverOf,
  stepCustody,
  type CustodyDelta,
  type LotCustody,
} from "#capture";
import { eventHashOf, namespacesOf } from "#epcis";
import type { BundleDeclaration, BundleEvent, ProofBundle } from "./bundle.js";
import { declarationIdOf, recoverDeclarationSigner } from "./declaration.js";
import { verifyLeafProof } from "./merkle.js";

type Add = (check: string, subject: string, status: "pass" | "fail" | "skip", detail: string) => void;

/**
 * Checks each error declaration (hash, id, signature, that its signer signed the event it retracts, Merkle proof)
 * and returns the events a valid declaration retracts. Which events count as retracted follows from these signed
 * declarations only; the bundle's own `retracted` flags must agree with them.
 */
export function checkDeclarations(bundle: ProofBundle, add: Add): Set<string> {
  const signers = new Map(bundle.events.map((event) => [event.eventHash, getAddress(event.signer)]));
  const retracted = new Set<string>();
  for (const declaration of bundle.declarations ?? []) {
    const subject = declaration.id;
    const content = declarationContentOf(declaration);
    if (content === undefined) {
      add("declaration.hash", subject, "fail", "the declaring event has no errorDeclaration or is not its event");
      continue;
    }
    add("declaration.hash", subject, "pass", `declares ${declaration.eventHash} erroneous`);
    let signer: string | undefined;
    try {
      signer = recoverDeclarationSigner(
        bundle.ledger.signingDomain,
        declaration.eventHash,
        content,
        declaration.signature,
      );
    } catch (error) {
      add("declaration.signature", subject, "fail", `unusable signature: ${String(error)}`);
      continue;
    }
    const signedAsListed = signer === getAddress(declaration.signer);
    add(
      "declaration.signature",
      subject,
      signedAsListed ? "pass" : "fail",
      signedAsListed ? `signed by ${signer}` : `signature recovers to ${signer}, not ${declaration.signer}`,
    );
    const author = signers.get(declaration.eventHash);
    const own = signedAsListed && author === signer;
    add(
      "declaration.signer",
      subject,
      own ? "pass" : "fail",
      own
        ? "signed by the participant that signed the event it retracts"
        : author === undefined
          ? "the event it retracts is not in the bundle"
          : `the event was signed by ${author}: only its signer may declare it erroneous`,
    );
    if (own) retracted.add(declaration.eventHash);
    checkDeclarationMerkle(declaration, add);
  }
  for (const event of bundle.events) {
    const proven = retracted.has(event.eventHash);
    if (!event.retracted && !proven) continue;
    add(
      "event.retraction",
      event.eventHash,
      event.retracted === proven ? "pass" : "fail",
      event.retracted === proven
        ? "retracted by a declaration its signer signed"
        : proven
          ? "a signed declaration retracts this event but the bundle does not mark it retracted"
          : "the bundle marks this event retracted, but no declaration signed by its signer says so",
    );
  }
  return retracted;
}

function checkDeclarationMerkle(declaration: BundleDeclaration, add: Add): void {
  const { anchor } = declaration;
  if (anchor.status === "pending" || anchor.batch === undefined || anchor.proof === undefined) {
    add("declaration.merkle", declaration.id, "skip", "not anchored yet");
    return;
  }
  const included = verifyLeafProof(anchor.batch.root, declaration.id, declaration.signer, anchor.proof);
  add(
    "declaration.merkle",
    declaration.id,
    included ? "pass" : "fail",
    included
      ? `in batch ${anchor.batch.chainBatchId} (root ${anchor.batch.root})`
      : "the Merkle proof does not lead to the batch root",
  );
}

/** The declaration's errorDeclaration object, if its event hashes to the declared event and its id matches. */
function declarationContentOf(declaration: BundleDeclaration): Readonly<Record<string, unknown>> | undefined {
  const { event } = declaration;
  const content = event.errorDeclaration;
  if (typeof content !== "object" || content === null || Array.isArray(content)) return undefined;
  try {
    const hash = eventHashOf(event, namespacesOf({ "@context": event["@context"] }));
    const typed = content as Readonly<Record<string, unknown>>;
    return hash === declaration.eventHash && declarationIdOf(hash, typed) === declaration.id ? typed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Replays custody over the bundle in recording order (docs/authority.md), as capture applied it: every event must
 * have been recorded by a participant entitled to it (custody of the lots it names, no other participant's site),
 * and a declaration reverses its event's holdings. Parties are signer addresses; GLNs resolve through the bundle's
 * participants (their GLN and registered sites).
 */
export function checkCustody(bundle: ProofBundle, add: Add): void {
  const byGln = new Map<string, string>();
  const names = new Map<string, string>();
  for (const participant of bundle.participants) {
    const address = getAddress(participant.address);
    names.set(address, participant.organisation);
    const own = participant.identifier.scheme === "gln" ? [participant.identifier.value] : [];
    for (const gln of [...own, ...(participant.locations ?? [])]) byGln.set(gln, address);
  }
  const lots = new Map<string, LotCustody>();
  const recorded = new Map<string, CustodyDelta[]>();
  for (const step of recordingOrder(bundle)) {
    if (step.kind === "declaration") {
      reverse(lots, recorded.get(step.eventHash) ?? []);
      continue;
    }
    const { event } = step;
    const actor = getAddress(event.signer);
    const location = foreignLocation(event, actor, byGln);
    if (location !== undefined) {
      add(
        "event.location",
        event.eventHash,
        "fail",
        `recorded by ${names.get(actor) ?? actor} at GLN ${location.gln}, a site of ${names.get(location.owner) ?? location.owner}`,
      );
    }
    const deltas: CustodyDelta[] = [];
    let refusal: string | undefined;
    let touched = 0;
    try {
      const receiver = receiverOf(event.event, (gln) => byGln.get(gln));
      for (const action of custodyActionsOf(event.event)) {
        const state = lots.get(action.lot.id) ?? emptyCustody(action.lot.id);
        const next = stepCustody(state, action, {
          actor,
          receiver,
          eventIndex: 0,
          describe: (party) => names.get(party) ?? party,
        });
        lots.set(action.lot.id, next.state);
        deltas.push(...next.deltas);
        touched++;
      }
    } catch (error) {
      refusal = error instanceof Error ? error.message.replace(/^Event 0 /, "The event ") : String(error);
    }
    recorded.set(event.eventHash, deltas);
    if (touched === 0 && refusal === undefined) continue;
    add(
      "event.custody",
      event.eventHash,
      refusal === undefined ? "pass" : "fail",
      refusal ?? `${names.get(actor) ?? actor} held the lots it names`,
    );
  }
}

type Step =
  | { readonly kind: "event"; readonly at: number; readonly event: BundleEvent }
  | { readonly kind: "declaration"; readonly at: number; readonly eventHash: string };

/** Events in bundle order and declarations by recording time (after events recorded in the same millisecond). */
function recordingOrder(bundle: ProofBundle): Step[] {
  const steps: Step[] = bundle.events.map((event) => ({ kind: "event", at: Date.parse(event.recordTime), event }));
  for (const declaration of bundle.declarations ?? []) {
    steps.push({ kind: "declaration", at: Date.parse(declaration.recordTime), eventHash: declaration.eventHash });
  }
  const rank = (step: Step): number => (step.kind === "event" ? 0 : 1);
  return steps
    .map((step, index) => ({ step, index }))
    .sort((a, b) => a.step.at - b.step.at || rank(a.step) - rank(b.step) || a.index - b.index)
    .map(({ step }) => step);
}

function reverse(lots: Map<string, LotCustody>, deltas: readonly CustodyDelta[]): void {
  for (const delta of deltas) {
    const state = lots.get(delta.lotId);
    if (state === undefined) continue;
    lots.set(
      delta.lotId,
      applyDeltas(state, [{ ...delta, held: negate(delta.held), inTransit: negate(delta.inTransit) }]),
    );
  }
}

function foreignLocation(
  event: BundleEvent,
  actor: string,
  byGln: ReadonlyMap<string, string>,
): { gln: string; owner: string } | undefined {
  for (const gln of locationGlnsOf(event.event)) {
    const owner = byGln.get(gln);
    if (owner !== undefined && owner !== actor) return { gln, owner };
  }
  return undefined;
}
