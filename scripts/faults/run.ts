import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { within } from "#common";
import { findFreePort } from "#runtime";
import { registerSelfCustody } from "../bench/participants.js";
import { percentile, round } from "../bench/progress.js";
import { checkStoredAndAnchored, unreadableManifests } from "./check.js";
import { FAULT_KINDS, inject, mountSmallDisk, unmount, type FaultContext, type FaultKind } from "./faults.js";
import { LoadClient, type LoadFigures } from "./load.js";
import {
  baseUrl,
  benchView,
  databaseUrl,
  signal,
  startService,
  waitForHealth,
  type Health,
  type ServiceSite,
} from "./service.js";

export interface FaultSuiteOptions {
  readonly rounds: number;
  /** Fault kinds to cycle through, in order (default: all). */
  readonly kinds?: readonly FaultKind[];
  /** Settings for the service on top of the suite's own (e.g. EPCIS_JSON_SCHEMA on a machine without network). */
  readonly env?: Readonly<Record<string, string>>;
  readonly log: (message: string) => void;
}

/** One line of JSON: what `npm run test:faults -- --json` prints. */
export interface FaultReport {
  readonly ok: boolean;
  readonly rounds: number;
  readonly faults: Readonly<Partial<Record<FaultKind, number>>>;
  readonly skipped: readonly string[];
  readonly eventsAcknowledged: number;
  readonly documentsAcknowledged: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly stuck: number;
  readonly anchoredTwice: number;
  readonly chainDisagrees: number;
  readonly manifestsUnreadable: number;
  readonly batches: number;
  /** 5xx answers other than 503, and refusals of valid documents: none is due under any fault. */
  readonly serverErrors: number;
  readonly refused: number;
  readonly retried: number;
  /** Rounds after which the service was not healthy and anchoring again without a hand within the limit. */
  readonly notRecovered: number;
  /** Seconds from a fault's end to /health ok with a new anchor. */
  readonly recoverySeconds: { readonly p50: number; readonly max: number };
  /** What went wrong, one line per problem (empty when ok). */
  readonly problems: readonly string[];
  readonly durationSeconds: number;
}

/** How long the service may take to be healthy and anchoring again after a fault, without anyone's help. */
const RECOVERY_LIMIT_MS = 120_000;
/** Load between faults, so that every fault hits a service that is busy capturing and anchoring. */
const BETWEEN_ROUNDS_MS = 2_000;
/** The tmpfs the IPFS store lives on when it can be mounted (big enough for the run, small enough to fill fast). */
const IPFS_DISK_MB = 256;

/**
 * Runs the service under load through `rounds` faults, then proves from the database, the chain and the IPFS
 * store that every acknowledged event is stored once and anchored once, that chain and database agree and that
 * every manifest reads back.
 */
export async function runFaultSuite(options: FaultSuiteOptions): Promise<FaultReport> {
  const started = Date.now();
  const work = await mkdtemp(join(tmpdir(), "carbontrace-faults-"));
  await chmod(work, 0o755);
  const dataDir = join(work, "data");
  await mkdir(join(dataDir, "ipfs"), { recursive: true });
  const ipfsMount = await mountSmallDisk(join(dataDir, "ipfs"), IPFS_DISK_MB);
  const skipped = ipfsMount === undefined ? ["ipfs-full: mounting a small tmpfs for the IPFS store needs root"] : [];
  const kinds = (options.kinds ?? FAULT_KINDS).filter((kind) => kind !== "ipfs-full" || ipfsMount !== undefined);
  const site: ServiceSite = {
    dataDir,
    ...(await distinctPorts()),
    env: { ANCHOR_BATCH_WINDOW_MS: "500", ANCHOR_POLL_MS: "200", LOG_LEVEL: "info", ...options.env },
    unexpected: [],
  };
  const holder = { service: startService(site) };
  try {
    const exitedEarly = holder.service.exited.then((code) => {
      throw new Error(`the service exited with code ${String(code)} before it was healthy`);
    });
    const first = await Promise.race([
      waitForHealth(site, "first start", (h) => h.status === "ok", 180_000),
      exitedEarly,
    ]).catch((error: unknown) => {
      options.log(holder.service.logs.slice(-30).join("\n"));
      throw error;
    });
    exitedEarly.catch(() => undefined);
    const partner = await registerSelfCustody(await benchView(site), "supplier", "690123498001");
    const load = new LoadClient(partner, baseUrl(site), Date.now().toString(36).toUpperCase());
    const context: FaultContext = {
      site,
      get service() {
        return holder.service;
      },
      set service(next) {
        holder.service = next;
      },
      operator: first.chain?.account ?? "",
      ipfsMount,
      partner: load.client,
      failpointRound: 0,
      note: options.log,
    };
    const outcome = await runRounds(context, load, kinds, options);
    return await check(context, outcome, partner.id, skipped, started);
  } finally {
    signal([holder.service.child.pid ?? 0], "SIGTERM");
    await within(30_000, holder.service.exited).catch(() => undefined);
    if (ipfsMount !== undefined) await unmount(ipfsMount);
    await rm(work, { recursive: true, force: true });
  }
}

interface RoundsOutcome {
  readonly load: LoadFigures;
  readonly faults: Partial<Record<FaultKind, number>>;
  readonly recoveries: readonly number[];
  readonly notRecovered: number;
  readonly problems: string[];
}

/** The rounds, under load; then the load stops and the anchorer drains. */
async function runRounds(
  context: FaultContext,
  load: LoadClient,
  kinds: readonly FaultKind[],
  options: FaultSuiteOptions,
): Promise<RoundsOutcome> {
  const { site, note } = context;
  const problems: string[] = [];
  const recoveries: number[] = [];
  const faults: Partial<Record<FaultKind, number>> = {};
  let notRecovered = 0;
  for (let index = 0; index < options.rounds; index++) {
    const kind = kinds[index % kinds.length] ?? "service-kill9";
    const name = `round ${String(index + 1)}/${String(options.rounds)} ${kind}`;
    await sleep(BETWEEN_ROUNDS_MS);
    note(`${name} (${String(load.count)} events acknowledged so far)`);
    load.phase = name;
    const observed = await inject(kind, context);
    problems.push(...observed.map((o) => `${name}: ${o}`));
    faults[kind] = (faults[kind] ?? 0) + 1;
    const lifted = Date.now();
    try {
      await waitForHealth(site, `recovery after ${kind}`, (h) => recovered(h, lifted), RECOVERY_LIMIT_MS);
      recoveries.push((Date.now() - lifted) / 1000);
    } catch (error) {
      notRecovered += 1;
      problems.push(`${name}: ${String(error)}`);
      note(context.service.logs.slice(-20).join("\n"));
    }
  }
  note("stopping the load; waiting until everything acknowledged is anchored");
  const figures = await load.stop();
  const drained = await waitForHealth(site, "drain", drainedOf, RECOVERY_LIMIT_MS).catch((error: unknown) => {
    problems.push(String(error));
    return undefined;
  });
  note(`drained: ${JSON.stringify(drained?.anchoring?.backlog)}`);
  return { load: figures, faults, recoveries, notRecovered, problems };
}

/** The checker: database and chain while the service runs, then a graceful stop, then the IPFS store. */
async function check(
  context: FaultContext,
  outcome: RoundsOutcome,
  participantId: string,
  skipped: readonly string[],
  started: number,
): Promise<FaultReport> {
  const { site, note } = context;
  const { load, problems } = outcome;
  const checked = await checkStoredAndAnchored(
    await databaseUrl(site),
    `http://127.0.0.1:${String(site.anvilPort)}`,
    load.acknowledged,
    participantId,
  );
  note("stopping the service; reading every manifest back from its IPFS store");
  context.service.child.kill("SIGTERM");
  const exitCode = await context.service.exited;
  if (exitCode !== 0) problems.push(`final SIGTERM: exit code ${String(exitCode)}`);
  const manifestsUnreadable = await unreadableManifests(site.dataDir, checked.manifests);
  problems.push(
    ...load.serverErrors.map((e) => `${e.during}: ${String(e.status)} ${e.code} ${e.detail}`),
    ...load.refused.map((e) => `${e.during}: refused ${String(e.status)} ${e.code} ${e.detail}`),
  );
  const counts = {
    lost: checked.lost,
    duplicated: checked.duplicated,
    stuck: checked.stuck,
    anchoredTwice: checked.anchoredTwice,
    chainDisagrees: checked.chainDisagrees,
    manifestsUnreadable,
  };
  for (const [name, value] of Object.entries(counts)) if (value > 0) problems.push(`${name}: ${String(value)}`);
  problems.push(...site.unexpected.map((line) => `service log: ${line}`));
  const sorted = [...outcome.recoveries].sort((a, b) => a - b);
  return {
    ok: problems.length === 0 && outcome.notRecovered === 0,
    rounds: outcome.recoveries.length + outcome.notRecovered,
    faults: outcome.faults,
    skipped,
    eventsAcknowledged: load.acknowledged.size,
    documentsAcknowledged: load.documentsAcknowledged,
    ...counts,
    batches: checked.batches,
    serverErrors: load.serverErrors.length,
    refused: load.refused.length,
    retried: load.retried,
    notRecovered: outcome.notRecovered,
    recoverySeconds: { p50: round(percentile(sorted, 50)), max: round(sorted.at(-1) ?? Number.NaN) },
    problems,
    durationSeconds: round((Date.now() - started) / 1000),
  };
}

/** Three free ports, all different (a port just released can be handed out again). */
async function distinctPorts(): Promise<{ port: number; postgresPort: number; anvilPort: number }> {
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await findFreePort());
  const [port = 0, postgresPort = 0, anvilPort = 0] = [...ports];
  return { port, postgresPort, anvilPort };
}

/** Healthy again without a hand: every part ok, and a batch anchored after the fault was lifted. */
function recovered(health: Health, liftedAt: number): boolean {
  const anchoredAt = health.anchoring?.lastAnchorAt;
  return health.status === "ok" && anchoredAt !== null && anchoredAt !== undefined && Date.parse(anchoredAt) > liftedAt;
}

function drainedOf(health: Health): boolean {
  return health.status === "ok" && health.anchoring?.backlog?.events === 0;
}
