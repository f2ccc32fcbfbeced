import { execFile } from "node:child_process";
import { open, rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { FAILPOINTS } from "#anchoring";
import { ApiError, type CarbonTraceClient } from "#client";
import { within } from "#common";
import { enginePids, signal, signalTree, startService, type RunningService, type ServiceSite } from "./service.js";

/** The faults of issue 15, each injected while the load runs, then lifted; the service must recover alone. */
export const FAULT_KINDS = [
  "service-kill9",
  "group-kill9",
  "failpoint-crash",
  "sigterm-under-load",
  "anvil-kill9",
  "anvil-stall",
  "postgres-kill9",
  "postgres-stall",
  "ipfs-full",
  "operator-out-of-funds",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What a fault needs to act on: the site, the running service (faults that restart it replace it). */
export interface FaultContext {
  readonly site: ServiceSite;
  service: RunningService;
  /** Operator account of the service, whose balance the funds fault takes away. */
  readonly operator: string;
  /** Set when DATA_DIR/ipfs is a small tmpfs of its own (root only), so that it can be filled. */
  readonly ipfsMount: string | undefined;
  /** A partner's API client (uploads evidence). */
  readonly partner: CarbonTraceClient;
  /** Which failpoint the next failpoint round uses (they rotate). */
  failpointRound: number;
  readonly note: (message: string) => void;
}

/** Something the fault itself observed that the checker must count against the service (a 500, exit code ≠ 0). */
export type Observation = string;

/** How long stalls and outages last: longer than the 15 s RPC and statement deadlines, so that they fire. */
const STALL_MS = 20_000;
const OUTAGE_MS = 8_000;

/** Injects one fault, holds it, lifts it; resolves with what went wrong meanwhile (nothing, ideally). */
export async function inject(kind: FaultKind, context: FaultContext): Promise<Observation[]> {
  switch (kind) {
    case "service-kill9":
      return killService(context, false);
    case "group-kill9":
      return killService(context, true);
    case "failpoint-crash":
      return failpointCrash(context);
    case "sigterm-under-load":
      return gracefulStop(context);
    case "anvil-kill9":
      return killEngine(context, "anvil");
    case "anvil-stall":
      return stallEngine(context, "anvil");
    case "postgres-kill9":
      return killEngine(context, "postgres");
    case "postgres-stall":
      return stallEngine(context, "postgres");
    case "ipfs-full":
      return fillIpfsStore(context);
    case "operator-out-of-funds":
      return takeFunds(context);
  }
}

/**
 * kill -9 of the service alone (its engines stay orphaned), or of every process it runs: the service and anvil at
 * once, then PostgreSQL's whole tree (listed around the signal, see signalTree).
 */
async function killService(context: FaultContext, everything: boolean): Promise<Observation[]> {
  const engines = everything ? await enginePids(context.site) : {};
  signal([context.service.child.pid ?? 0, ...(engines.anvil === undefined ? [] : [engines.anvil])], "SIGKILL");
  if (engines.postgres !== undefined) await signalTree(engines.postgres, "SIGKILL");
  await context.service.exited;
  context.service = startService(context.site);
  return [];
}

/** The service kills itself at an anchoring failpoint (they rotate), then starts again without it. */
async function failpointCrash(context: FaultContext): Promise<Observation[]> {
  const failpoint = FAILPOINTS[context.failpointRound++ % FAILPOINTS.length] ?? FAILPOINTS[0];
  const observations = await stopGracefully(context);
  context.note(`failpoint ${failpoint}`);
  context.service = startService(context.site, { CARBONTRACE_FAILPOINTS: failpoint });
  const died = await within(60_000, context.service.exited).then(
    () => true,
    () => false,
  );
  if (!died) {
    context.note(`failpoint ${failpoint} was not reached within 60 s; stopping normally`);
    observations.push(...(await stopGracefully(context)));
  }
  context.service = startService(context.site);
  return observations;
}

/** SIGTERM while clients keep sending: the service must drain and exit 0 within its bound. */
async function gracefulStop(context: FaultContext): Promise<Observation[]> {
  const observations = await stopGracefully(context);
  context.service = startService(context.site);
  return observations;
}

async function stopGracefully(context: FaultContext): Promise<Observation[]> {
  const started = Date.now();
  context.service.child.kill("SIGTERM");
  const code = await within(40_000, context.service.exited).catch(() => "timeout" as const);
  if (code === "timeout") {
    signal([context.service.child.pid ?? 0], "SIGKILL");
    await context.service.exited;
    return ["SIGTERM did not stop the service within 40 s"];
  }
  if (code !== 0) return [`SIGTERM: the service exited with ${String(code)} after ${String(Date.now() - started)} ms`];
  return [];
}

/** The engine's root process (PostgreSQL's postmaster; its backends are below it). */
async function enginePidOf(context: FaultContext, engine: "anvil" | "postgres"): Promise<number> {
  const pid = (await enginePids(context.site))[engine];
  if (pid === undefined) throw new Error(`no ${engine} pid recorded in ${context.site.dataDir}`);
  return pid;
}

/** kill -9 of an embedded engine; the service's supervisor must start it again. */
async function killEngine(context: FaultContext, engine: "anvil" | "postgres"): Promise<Observation[]> {
  await signalTree(await enginePidOf(context, engine), "SIGKILL");
  return [];
}

/** SIGSTOP of an engine (every process of it) for longer than the deadlines, then SIGCONT. */
async function stallEngine(context: FaultContext, engine: "anvil" | "postgres"): Promise<Observation[]> {
  const pid = await enginePidOf(context, engine);
  await signalTree(pid, "SIGSTOP");
  try {
    await sleep(STALL_MS);
  } finally {
    await signalTree(pid, "SIGCONT");
  }
  return [];
}

/**
 * Fills the disk under the IPFS store; while it is full an evidence upload must get 503 EVIDENCE.STORE_FULL (not
 * 500) and anchoring must wait; then frees it.
 */
async function fillIpfsStore(context: FaultContext): Promise<Observation[]> {
  if (context.ipfsMount === undefined) return [];
  const filler = join(context.ipfsMount, "filler");
  await fill(filler);
  const observations: Observation[] = [];
  try {
    await sleep(OUTAGE_MS / 2);
    const upload = await uploadEvidence(context);
    if (upload.status !== 503 || upload.code !== "EVIDENCE.STORE_FULL") {
      observations.push(`evidence upload on a full store: ${String(upload.status)} ${upload.code}`);
    }
    await sleep(OUTAGE_MS / 2);
  } finally {
    await rm(filler, { force: true });
  }
  return observations;
}

async function fill(path: string): Promise<void> {
  const handle = await open(path, "w");
  const chunk = Buffer.alloc(1024 * 1024, 1);
  try {
    for (;;) await handle.write(chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    await handle.close();
  }
}

/** A meter reading uploaded as evidence by the load's participant. */
async function uploadEvidence(context: FaultContext): Promise<{ status: number; code: string }> {
  const form = new FormData();
  form.append("file", new Blob([`meter reading ${String(Date.now())}\n`], { type: "text/plain" }), "meter.txt");
  try {
    await context.partner.json("POST", "/evidence", form);
    return { status: 201, code: "" };
  } catch (error) {
    return error instanceof ApiError ? { status: error.status, code: error.code } : { status: 0, code: String(error) };
  }
}

/** The operator account cannot pay for gas for a while (anvil_setBalance 0), then is refilled. */
async function takeFunds(context: FaultContext): Promise<Observation[]> {
  const rpc = `http://127.0.0.1:${String(context.site.anvilPort)}`;
  await setBalance(rpc, context.operator, 0n);
  try {
    await sleep(OUTAGE_MS);
  } finally {
    await setBalance(rpc, context.operator, 10n ** 21n);
  }
  return [];
}

async function setBalance(rpc: string, account: string, wei: bigint): Promise<void> {
  const response = await fetch(rpc, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "anvil_setBalance",
      params: [account, `0x${wei.toString(16)}`],
    }),
  });
  const body = (await response.json()) as { error?: { message?: string } };
  if (body.error !== undefined) throw new Error(`anvil_setBalance: ${body.error.message ?? "failed"}`);
}

const run = promisify(execFile);

/**
 * Mounts a small tmpfs of its own at `dir` (root only), so that the IPFS store can be filled without filling the
 * machine's disk; undefined where that is not possible (the ipfs-full rounds are then reported as skipped).
 */
export async function mountSmallDisk(dir: string, megabytes: number): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    await run("mount", ["-t", "tmpfs", "-o", `size=${String(megabytes)}m`, "tmpfs", dir]);
    return dir;
  } catch {
    return undefined;
  }
}

export async function unmount(dir: string): Promise<void> {
  await run("umount", [dir]).catch(() => undefined);
}
