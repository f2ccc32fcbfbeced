import { setTimeout as sleep } from "node:timers/promises";
import type { Wallet } from "ethers";
import { CarbonTraceClient } from "#client";
import { documentPng } from "#labels";
import { signDocument, type SigningDomain } from "#proof";
import { PLUSH_TOY_MODEL, RPET_STORAGE_BOX_MODEL, type Localized, type ProductModel } from "#footprint";
import type { EvidenceLinks } from "./document-parts.js";
import { rpetEvidenceDocuments, type EvidenceDocument, type EvidenceKind, type EvidenceSlot } from "./evidence.js";
import type { ParticipantKeys } from "./keys.js";
import {
  PLUSH_FLOWS,
  PLUSH_GTINS,
  PLUSH_PARTICIPANTS,
  plushDocuments,
  plushEvidenceDocuments,
  plushLots,
  type PlushLots,
} from "./plush-toy.js";
import {
  BOX_MASS_KG,
  RPET_FLOWS,
  RPET_GTINS,
  RPET_PARTICIPANTS,
  rpetDocuments,
  rpetLots,
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

export interface ScenarioResult<
  L extends object = RpetLots,
  P extends string = "regrind" | "boxes",
  K extends ParticipantKey = ParticipantKey,
> {
  readonly run: string;
  readonly lots: L;
  readonly participants: Record<K, EnrolledParticipant>;
  readonly capturedEvents: number;
  readonly evidence: readonly UploadedEvidence[];
  /** The product lot's footprint as the service computed it. */
  readonly footprint: Record<string, unknown>;
  /** PACT ProductFootprints published by the brand owner, by name (for the boxes: the regrind's, then the boxes'). */
  readonly published: Record<P, Record<string, unknown>>;
}

/**
 * One supply chain the demo can run: its partners, lots, EPCIS documents and evidence files, the brand owner
 * (`maker`) who names the product, declares the baseline, publishes the PACT footprints and retires credits, and
 * the product model the footprint is read with.
 */
export interface ScenarioDefinition<L extends object, P extends string, K extends ParticipantKey> {
  readonly id: string;
  readonly participants: ReadonlyArray<ScenarioParticipant & { readonly key: K }>;
  readonly lots: (run: string) => L;
  readonly documents: (
    lots: L,
    evidence: EvidenceLinks,
  ) => Array<{ participant: K; document: Record<string, unknown> }>;
  readonly evidence: (lots: L) => EvidenceDocument[];
  readonly maker: K;
  readonly certifier: K;
  readonly model: ProductModel;
  readonly product: {
    readonly gtin: string;
    readonly lot: (lots: L) => string;
    readonly name: Localized;
    readonly description: Localized;
  };
  /** Published in this order; the product's own footprint is usually last. */
  readonly publications: (lots: L) => ReadonlyArray<{
    readonly name: P;
    readonly gtin: string;
    readonly lot: string;
    readonly body: Record<string, unknown>;
  }>;
}

/**
 * Runs a scenario against a CarbonTrace service through its public API, as the partners would: registers (or
 * finds) the participants, uploads the evidence files to IPFS, signs and captures the events (custodial
 * partners' are signed by the service), waits until every event is anchored, declares the product's baseline
 * from its model and publishes the PACT footprints.
 */
export async function runScenario<L extends object, P extends string, K extends ParticipantKey>(
  definition: ScenarioDefinition<L, P, K>,
  options: ScenarioOptions,
): Promise<ScenarioResult<L, P, K>> {
  const log = options.log ?? (() => undefined);
  const run = options.run ?? Date.now().toString(36).toUpperCase();
  const client = clientFactory(options);
  const admin = client(options.adminKey);
  const participants = {} as Record<K, EnrolledParticipant>;
  for (const participant of definition.participants) {
    participants[participant.key] = await ensureParticipant(admin, participant, options.keys);
    log(
      `${participant.displayName.en} (${participant.role}): ${participant.custody === "self" ? `signs with its own key ${participants[participant.key].address}` : "custodial, the service signs for it"}`,
    );
  }
  await waitRolesGranted(admin, Object.values<EnrolledParticipant>(participants), options.anchorTimeoutMs ?? 120_000);
  const lots = definition.lots(run);
  const evidence = await uploadEvidence(definition.evidence(lots), participants, client, log);
  const links: EvidenceLinks = {};
  for (const file of evidence) links[file.slot] = [...(links[file.slot] ?? []), { cid: file.cid, kind: file.kind }];
  const domain = await admin.signingDomain();
  let capturedEvents = 0;
  for (const { participant, document } of definition.documents(lots, links)) {
    const who = participants[participant];
    const job = await client(who.apiKey).capture(await signedBy(who, document, domain));
    capturedEvents += job.eventCount;
    log(
      `captured ${String(job.eventCount)} event(s) of ${participant} (${who.custody === "self" ? "self-signed" : "signed by the service"})`,
    );
  }
  await waitAnchored(admin, options.anchorTimeoutMs ?? 120_000);
  log("every event is anchored on the ledger");
  const maker = client(participants[definition.maker].apiKey);
  const productPath = `/lots/${definition.product.gtin}/${encodeURIComponent(definition.product.lot(lots))}`;
  await maker.json("PUT", `${productPath}/baseline`, JSON.stringify(definition.model.baseline), {
    "content-type": "application/json",
  });
  const footprint = await maker.json<Record<string, unknown>>("GET", `${productPath}/footprint`);
  const published = {} as Record<P, Record<string, unknown>>;
  for (const publication of definition.publications(lots)) {
    published[publication.name] = await maker.json<Record<string, unknown>>(
      "POST",
      `/lots/${publication.gtin}/${encodeURIComponent(publication.lot)}/footprints`,
      JSON.stringify(publication.body),
      { "content-type": "application/json" },
    );
  }
  log(
    `published PACT footprints ${Object.entries(published)
      .map(([name, body]) => `${String((body as { id?: unknown }).id)} (${name})`)
      .join(" and ")}`,
  );
  return { run, lots, participants, capturedEvents, evidence, footprint, published };
}

/** Share of the moulding run's polymer input that is recycled: rPET pellets over pellets, virgin PET and colourant. */
const RECYCLED_SHARE =
  Math.round(
    ((RPET_FLOWS.pelletsAUsedKg + RPET_FLOWS.pelletsBUsedKg) /
      (RPET_FLOWS.pelletsAUsedKg + RPET_FLOWS.pelletsBUsedKg + RPET_FLOWS.virginPetKg + RPET_FLOWS.colourantKg)) *
      1000,
  ) / 1000;

/** The conventional product per box: the same 0.48 kg of virgin PET, moulded on the same grid (from its model). */
export const BASELINE = RPET_STORAGE_BOX_MODEL.baseline;

/** The product the boxes are sold as (labels and the journey page show its names). */
export const RPET_PRODUCT = {
  name: { en: "rPET storage box 12 L", zh: "rPET 收纳盒 12 升" },
  description: {
    en: "12-litre storage box injection-moulded from recycled PET bottles, made in Shanghai",
    zh: "由回收 PET 瓶再生料注塑而成的 12 升收纳盒，上海制造",
  },
} as const;

/** The reference case: the rPET storage box. */
export const RPET_SCENARIO: ScenarioDefinition<RpetLots, "regrind" | "boxes", ParticipantKey> = {
  id: "rpet-storage-box",
  participants: RPET_PARTICIPANTS,
  lots: rpetLots,
  documents: rpetDocuments,
  evidence: rpetEvidenceDocuments,
  maker: "moulder",
  certifier: "certifier",
  model: RPET_STORAGE_BOX_MODEL,
  product: { gtin: RPET_GTINS.boxes, lot: (lots) => lots.boxes, ...RPET_PRODUCT },
  publications: (lots) => [
    {
      name: "regrind",
      gtin: RPET_GTINS.pellets,
      lot: lots.regrind,
      body: {
        productNameCompany: "rPET regrind",
        productDescription: "Ground sprues and rejects of PET injection moulding, reused as rPET feedstock",
        productClassifications: ["urn:pact:productclassification:un-cpc:39270"],
        polymer: "PET",
        recycledShare: RECYCLED_SHARE,
      },
    },
    {
      name: "boxes",
      gtin: RPET_GTINS.boxes,
      lot: lots.boxes,
      body: {
        productNameCompany: "rPET storage box 12 L",
        productDescription: `12-litre storage box injection-moulded from recycled PET pellets (${String(BOX_MASS_KG)} kg, no lid)`,
        productClassifications: ["urn:pact:productclassification:un-cpc:36490"],
        polymer: "PET",
        recycledShare: RECYCLED_SHARE,
      },
    },
  ],
};

/** The plush toy: the reference case's second product, with a zero-carbon label. */
export const PLUSH_TOY_SCENARIO: ScenarioDefinition<PlushLots, "toys", ParticipantKey> = {
  id: "plush-toy",
  participants: PLUSH_PARTICIPANTS,
  lots: plushLots,
  documents: plushDocuments,
  evidence: plushEvidenceDocuments,
  maker: "toyMaker",
  certifier: "certifier",
  model: PLUSH_TOY_MODEL,
  product: {
    gtin: PLUSH_GTINS.toys,
    lot: (lots) => lots.toys,
    name: { en: "Recycled-fibre plush toy, 30 cm", zh: "再生纤维毛绒玩具 30 厘米" },
    description: {
      en: "Plush toy of polyester recycled from PET bottles, digitally printed and sewn in Yangzhou with part rooftop-solar power, sold with a paper tag instead of a box",
      zh: "由回收 PET 瓶再生涤纶制成的毛绒玩具，在扬州数码印花、缝制，部分用电来自屋顶光伏；以纸吊牌代替包装盒",
    },
  },
  publications: (lots) => [
    {
      name: "toys",
      gtin: PLUSH_GTINS.toys,
      lot: lots.toys,
      body: {
        productNameCompany: "Recycled-fibre plush toy 30 cm",
        productDescription: `30 cm plush toy of recycled polyester (${String(PLUSH_FLOWS.toyKg)} kg), digitally printed, paper tag`,
        polymer: "PET",
        recycledShare: 1,
      },
    },
  ],
};

/** The scenarios `npm run demo -- --scenario <id>` knows. */
export const SCENARIOS = { "rpet-storage-box": RPET_SCENARIO, "plush-toy": PLUSH_TOY_SCENARIO } as const;

/** The reference case (the rPET storage box), as {@link runScenario} runs it. */
export function runRpetScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  return runScenario(RPET_SCENARIO, options);
}

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
async function uploadEvidence<K extends ParticipantKey>(
  documents: readonly EvidenceDocument[],
  participants: Record<K, EnrolledParticipant>,
  client: (apiKey: string) => CarbonTraceClient,
  log: (message: string) => void,
): Promise<UploadedEvidence[]> {
  const uploaded: UploadedEvidence[] = [];
  for (const document of documents) {
    const bytes = new Uint8Array(await documentPng(document.svg, document.widthPx));
    const owner = (participants as Partial<Record<string, EnrolledParticipant>>)[document.participant];
    if (owner === undefined) throw new Error(`evidence of ${document.participant}, who is not in the scenario`);
    const stored = await client(owner.apiKey).uploadEvidence(bytes, "image/png", document.fileName);
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
