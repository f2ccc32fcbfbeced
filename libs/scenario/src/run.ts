import { setTimeout as sleep } from "node:timers/promises";
import { CarbonTraceClient } from "#client";
import {
  BOX_MASS_KG,
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
  /** Suffix of this run's lot numbers (default: the time, base 36). */
  readonly run?: string;
  readonly fetch?: typeof fetch;
  readonly log?: (message: string) => void;
  readonly anchorTimeoutMs?: number;
}

export interface ScenarioResult {
  readonly run: string;
  readonly lots: RpetLots;
  readonly participants: Record<ScenarioParticipant["key"], { readonly id: string; readonly apiKey: string }>;
  readonly capturedEvents: number;
  /** The boxes' footprint as the service computed it. */
  readonly footprint: Record<string, unknown>;
  /** PACT ProductFootprints published by the moulder: the regrind lot's, then the boxes'. */
  readonly published: { readonly regrind: Record<string, unknown>; readonly boxes: Record<string, unknown> };
}

/**
 * Runs the reference case against a CarbonTrace service through its public API, as the partners would:
 * registers (or reuses) the five participants, captures their events (custodial signing), waits until every
 * event is anchored, declares the boxes' baseline and publishes the boxes' and the regrind's footprints.
 */
export async function runRpetScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const log = options.log ?? (() => undefined);
  const run = options.run ?? Date.now().toString(36).toUpperCase();
  const client = (apiKey: string): CarbonTraceClient =>
    new CarbonTraceClient({
      baseUrl: options.baseUrl,
      apiKey,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
  const admin = client(options.adminKey);
  const participants = {} as Record<ScenarioParticipant["key"], { id: string; apiKey: string }>;
  for (const participant of RPET_PARTICIPANTS) {
    participants[participant.key] = await ensureParticipant(admin, participant);
    log(`participant ${participant.key}: ${participants[participant.key].id}`);
  }
  const lots = rpetLots(run);
  let capturedEvents = 0;
  for (const { participant, document } of rpetDocuments(lots)) {
    const job = await client(participants[participant].apiKey).capture(document);
    capturedEvents += job.eventCount;
    log(`captured ${String(job.eventCount)} event(s) of ${participant}`);
  }
  await waitAnchored(admin, options.anchorTimeoutMs ?? 120_000);
  log("every event is anchored");
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
    recycledShare: 0.98,
  });
  const boxes = await publish(boxesPath, {
    productNameCompany: "rPET storage box 12 L",
    productDescription: `12-litre storage box injection-moulded from recycled PET pellets (${String(BOX_MASS_KG)} kg, no lid)`,
    productClassifications: ["urn:pact:productclassification:un-cpc:36490"],
    polymer: "PET",
    recycledShare: 0.98,
  });
  log(`published PACT footprints ${String(regrind.id)} (regrind) and ${String(boxes.id)} (boxes)`);
  return { run, lots, participants, capturedEvents, footprint, published: { regrind, boxes } };
}

/** The conventional product per box: the same 0.48 kg of virgin PET, moulded on the same grid. */
export const BASELINE = {
  description: "The same 0.48 kg box from virgin PET, moulded on Shanghai grid power",
  year: 2025,
  activities: [
    { kind: "material", material: "PET", origin: "virgin", massKg: BOX_MASS_KG },
    { kind: "electricity", kWh: 0.55, gridRegion: "CN-SH" },
  ],
};

async function ensureParticipant(
  admin: CarbonTraceClient,
  participant: ScenarioParticipant,
): Promise<{ id: string; apiKey: string }> {
  const existing = (
    await admin.json<Array<{ id: string; identifier: { value: string } }>>("GET", "/participants")
  ).find((p) => p.identifier.value === participant.gln);
  if (existing !== undefined) {
    const key = await admin.json<{ token: string }>(
      "POST",
      `/participants/${existing.id}/api-keys`,
      JSON.stringify({ label: "reference scenario" }),
      { "content-type": "application/json" },
    );
    return { id: existing.id, apiKey: key.token };
  }
  const created = await admin.json<{ id: string; apiKey: { token: string } }>(
    "POST",
    "/participants",
    JSON.stringify({
      organisation: participant.organisation,
      identifier: { scheme: "gln", value: participant.gln },
      displayName: participant.displayName,
      country: participant.country,
      roles: [participant.role],
      custody: "custodial",
    }),
    { "content-type": "application/json" },
  );
  return { id: created.id, apiKey: created.apiKey.token };
}

async function waitAnchored(admin: CarbonTraceClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await admin.json<{ events: Record<string, number> }>("GET", "/anchoring");
    const { queued = 0, built = 0, sent = 0 } = status.events;
    if (queued + built + sent === 0) return;
    if (Date.now() > deadline) throw new Error(`events still waiting to be anchored after ${String(timeoutMs)} ms`);
    await sleep(250);
  }
}
