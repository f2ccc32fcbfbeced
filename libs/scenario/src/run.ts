import { setTimeout as sleep } from "node:timers/promises";
import type { Wallet } from "ethers";
import { CarbonTraceClient } from "#client";
import { documentPng } from "#labels";
import { signDocument, type SigningDomain } from "#proof";
import { rpetEvidenceDocuments, type EvidenceKind, type EvidenceSlot } from "./evidence.js";
import type { ParticipantKeys } from "./keys.js";
import {
  BOX_MASS_KG,
  RPET_FLOWS,
  RPET_GTINS,
  RPET_PARTICIPANTS,
  rpetDocuments,
  rpetLots,
  type EvidenceLinks,
  type RpetLots,
  type ScenarioParticipant,
} from "./rpet.js";

export interface ScenarioOptions {
  readonly baseUrl: string;
  /** The administrator's API key. */
  readonly adminKey: string;
  /** Signing keys of the self-custody partners (the same keys on every run: they are registered by address). */
  readonly keys: ParticipantKeys;
  /** Suffix of this run's lot numbers (default: the time, base 36). */
  readonly run?: string;
  readonly fetch?: typeof fetch;
  /** Progress, one line per step. */
  readonly log?: (message: string) => void;
  readonly anchorTimeoutMs?: number;
}

export type ParticipantKey = ScenarioParticipant["key"];

export interface EnrolledParticipant {
  readonly id: string;
  readonly apiKey: string;
  readonly address: string;
  readonly custody: "self" | "custodial";
  /** The partner's own key (self custody). */
  readonly wallet?: Wallet;
}

export interface UploadedEvidence {
  /** The event it backs. */
  readonly slot: EvidenceSlot;
  readonly participant: ParticipantKey;
  readonly kind: EvidenceKind;
  readonly fileName: string;
  readonly cid: string;
  readonly bytes: Uint8Array;
}

export interface ScenarioResult {
  readonly run: string;
  readonly lots: RpetLots;
  readonly participants: Record<ParticipantKey, EnrolledParticipant>;
  readonly capturedEvents: number;
  readonly evidence: readonly UploadedEvidence[];
  /** The boxes' footprint as the service computed it. */
  readonly footprint: Record<string, unknown>;
  /** PACT ProductFootprints published by the moulder: the regrind lot's, then the boxes'. */
  readonly published: { readonly regrind: Record<string, unknown>; readonly boxes: Record<string, unknown> };
}

/**
 * Runs the reference case against a CarbonTrace service through its public API, as the partners would:
 * registers (or finds) the participants, uploads the evidence files to IPFS, signs and captures the events (the
 * custodial supplier's are signed by the service), waits until every event is anchored, declares the boxes'
 * baseline and publishes the boxes' and the regrind's PACT footprints.
 */
export async function runRpetScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const log = options.log ?? (() => undefined);
  const run = options.run ?? Date.now().toString(36).toUpperCase();
  const client = clientFactory(options);
  const admin = client(options.adminKey);
  const participants = {} as Record<ParticipantKey, EnrolledParticipant>;
  for (const participant of RPET_PARTICIPANTS) {
    participants[participant.key] = await ensureParticipant(admin, participant, options.keys);
    log(
      `${participant.displayName.en} (${participant.role}): ${participant.custody === "self" ? `signs with its own key ${participants[participant.key].address}` : "custodial, the service signs for it"}`,
    );
  }
  await waitRolesGranted(admin, Object.values(participants), options.anchorTimeoutMs ?? 120_000);
  const lots = rpetLots(run);
  const evidence = await uploadEvidence(lots, participants, client, log);
  const links: EvidenceLinks = {};
  for (const file of evidence) links[file.slot] = [...(links[file.slot] ?? []), { cid: file.cid, kind: file.kind }];
  const domain = await admin.signingDomain();
  let capturedEvents = 0;
  for (const { participant, document } of rpetDocuments(lots, links)) {
    const who = participants[participant];
    const job = await client(who.apiKey).capture(await signedBy(who, document, domain));
    capturedEvents += job.eventCount;
    log(
      `captured ${String(job.eventCount)} event(s) of ${participant} (${who.custody === "self" ? "self-signed" : "signed by the service"})`,
    );
  }
  await waitAnchored(admin, options.anchorTimeoutMs ?? 120_000);
  log("every event is anchored on the ledger");
  const moulder = client(participants.moulder.apiKey);
  const boxesPath = `/lots/${RPET_GTINS.boxes}/${lots.boxes}`;
  await moulder.json("PUT", `${boxesPath}/baseline`, JSON.stringify(BASELINE), { "content-type": "application/json" });
  const footprint = await moulder.json<Record<string, unknown>>("GET", `${boxesPath}/footprint`);
  const publish = (path: string, body: Record<string, unknown>) =>
    moulder.json<Record<string, unknown>>("POST", `${path}/footprints`, JSON.stringify(body), {
      "content-type": "application/json",
    });
  const regrind = await publish(`/lots/${RPET_GTINS.pellets}/${lots.regrind}`, {
    productNameCompany: "rPET regrind",
    productDescription: "Ground sprues and rejects of PET injection moulding, reused as rPET feedstock",
    productClassifications: ["urn:pact:productclassification:un-cpc:39270"],
    polymer: "PET",
    recycledShare: RECYCLED_SHARE,
  });
  const boxes = await publish(boxesPath, {
    productNameCompany: "rPET storage box 12 L",
    productDescription: `12-litre storage box injection-moulded from recycled PET pellets (${String(BOX_MASS_KG)} kg, no lid)`,
    productClassifications: ["urn:pact:productclassification:un-cpc:36490"],
    polymer: "PET",
    recycledShare: RECYCLED_SHARE,
  });
  log(`published PACT footprints ${String(regrind.id)} (regrind) and ${String(boxes.id)} (boxes)`);
  return {
    run,
    lots,
    participants,
    capturedEvents,
    evidence,
    footprint,
    published: { regrind, boxes },
  };
}

/** Share of the moulding run's polymer input that is recycled: rPET pellets over pellets, virgin PET and colourant. */
const RECYCLED_SHARE =
  Math.round(
    ((RPET_FLOWS.pelletsAUsedKg + RPET_FLOWS.pelletsBUsedKg) /
      (RPET_FLOWS.pelletsAUsedKg + RPET_FLOWS.pelletsBUsedKg + RPET_FLOWS.virginPetKg + RPET_FLOWS.colourantKg)) *
      1000,
  ) / 1000;

/** The conventional product per box: the same 0.48 kg of virgin PET, moulded on the same grid. */
export const BASELINE = {
  description: "The same 0.48 kg box from virgin PET, moulded on Shanghai grid power",
  year: 2025,
  activities: [
    { kind: "material", material: "PET", origin: "virgin", massKg: BOX_MASS_KG },
    {
      kind: "electricity",
      kWh: Math.round((RPET_FLOWS.mouldingKWh / RPET_FLOWS.boxes) * 1000) / 1000,
      gridRegion: "CN-SH",
    },
  ],
};

export function clientFactory(
  options: Pick<ScenarioOptions, "baseUrl" | "fetch">,
): (apiKey: string) => CarbonTraceClient {
  return (apiKey) =>
    new CarbonTraceClient({
      baseUrl: options.baseUrl,
      apiKey,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
}

async function signedBy(
  who: EnrolledParticipant,
  document: Record<string, unknown>,
  domain: SigningDomain,
): Promise<Record<string, unknown>> {
  return who.wallet === undefined ? document : signDocument(document, who.wallet, domain);
}

/** Renders each evidence document to PNG and stores it in IPFS as the partner it belongs to. */
async function uploadEvidence(
  lots: RpetLots,
  participants: Record<ParticipantKey, EnrolledParticipant>,
  client: (apiKey: string) => CarbonTraceClient,
  log: (message: string) => void,
): Promise<UploadedEvidence[]> {
  const uploaded: UploadedEvidence[] = [];
  for (const document of rpetEvidenceDocuments(lots)) {
    const bytes = new Uint8Array(await documentPng(document.svg, document.widthPx));
    const stored = await client(participants[document.participant].apiKey).uploadEvidence(
      bytes,
      "image/png",
      document.fileName,
    );
    uploaded.push({
      slot: document.slot,
      participant: document.participant,
      kind: document.kind,
      fileName: document.fileName,
      cid: stored.cid,
      bytes,
    });
    log(`evidence ${document.kind} ${document.fileName} → ipfs ${stored.cid}`);
  }
  return uploaded;
}

interface ParticipantView {
  readonly id: string;
  readonly address: string;
  readonly custody: "self" | "custodial";
  readonly identifier: { readonly value: string };
  readonly companyPrefixes: readonly string[];
  readonly roles: ReadonlyArray<{ readonly role: string; readonly chainStatus: string; readonly error: string | null }>;
}

async function ensureParticipant(
  admin: CarbonTraceClient,
  participant: ScenarioParticipant,
  keys: ParticipantKeys,
): Promise<EnrolledParticipant> {
  const wallet = participant.custody === "self" ? await keys.wallet(participant.key) : undefined;
  const existing = (await admin.json<ParticipantView[]>("GET", "/participants")).find(
    (p) => p.identifier.value === participant.gln,
  );
  if (existing !== undefined) {
    if (existing.custody !== participant.custody || (wallet !== undefined && existing.address !== wallet.address)) {
      throw new Error(
        `${participant.organisation} (GLN ${participant.gln}) is already registered with another key ` +
          `(${existing.custody}, ${existing.address}); its events could not be signed as before. ` +
          "Run the scenario against a fresh DATA_DIR, or restore the key file it was registered with.",
      );
    }
    const missing = (participant.companyPrefixes ?? []).filter((prefix) => !existing.companyPrefixes.includes(prefix));
    if (missing.length > 0) {
      await admin.json(
        "POST",
        `/participants/${existing.id}/company-prefixes`,
        JSON.stringify({ companyPrefixes: missing }),
        {
          "content-type": "application/json",
        },
      );
    }
    const key = await admin.json<{ token: string }>(
      "POST",
      `/participants/${existing.id}/api-keys`,
      JSON.stringify({ label: "reference scenario" }),
      { "content-type": "application/json" },
    );
    return enrolled(existing, key.token, wallet);
  }
  const created = await admin.json<ParticipantView & { apiKey: { token: string } }>(
    "POST",
    "/participants",
    JSON.stringify({
      organisation: participant.organisation,
      identifier: { scheme: "gln", value: participant.gln },
      displayName: participant.displayName,
      country: participant.country,
      roles: [participant.role],
      custody: participant.custody,
      ...(wallet === undefined ? {} : { address: wallet.address }),
      ...(participant.companyPrefixes === undefined ? {} : { companyPrefixes: participant.companyPrefixes }),
    }),
    { "content-type": "application/json" },
  );
  return enrolled(created, created.apiKey.token, wallet);
}

function enrolled(view: ParticipantView, apiKey: string, wallet: Wallet | undefined): EnrolledParticipant {
  return {
    id: view.id,
    apiKey,
    address: view.address,
    custody: view.custody,
    ...(wallet === undefined ? {} : { wallet }),
  };
}

/** Roles are granted on TraceLedger after registration; events are accepted once they are. */
async function waitRolesGranted(
  admin: CarbonTraceClient,
  participants: readonly EnrolledParticipant[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const participant of participants) {
    for (;;) {
      const view = await admin.json<ParticipantView>("GET", `/participants/${participant.id}`);
      const failed = view.roles.find((role) => role.chainStatus === "failed");
      if (failed !== undefined) throw new Error(`the ledger refused the ${failed.role} role: ${String(failed.error)}`);
      if (view.roles.every((role) => role.chainStatus === "granted")) break;
      if (Date.now() > deadline) throw new Error(`roles not granted on the ledger after ${String(timeoutMs)} ms`);
      await sleep(250);
    }
  }
}

/** Waits until no captured event waits for anchoring (every one is on the ledger, or failed for good). */
export async function waitAnchored(admin: CarbonTraceClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await admin.json<{ events: Record<string, number> }>("GET", "/anchoring");
    const { queued = 0, built = 0, sent = 0 } = status.events;
    if (queued + built + sent === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `events still wait for anchoring after ${String(timeoutMs)} ms: ${JSON.stringify(status.events)}`,
      );
    }
    await sleep(250);
  }
}
