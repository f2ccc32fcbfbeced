import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "@jest/globals";
import { findFreePort } from "#runtime";
import { RPET_PARTICIPANTS } from "#scenario";
import { carbontrace } from "../support/cli.js";
import { alive, freeServicePort, recordedChildPids, ROOT } from "../support/service.js";
import { tempDir } from "../support/temp.js";

interface DemoRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run demo -- …` without the build step (npm test has built dist already). */
function demo(args: string[], env: Record<string, string>): Promise<DemoRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--enable-source-maps", join(ROOT, "dist", "scripts", "demo.js"), ...args],
      { cwd: ROOT, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr }),
    );
  });
}

interface DemoJson {
  labelUrl: string;
  gtin: string;
  lot: string;
  footprintPerUnitKg: number;
  stages: Record<string, number>;
  bundlePath: string;
  baseUrl: string;
  claim: string;
  baselinePerUnitKg: number;
  offsets: { serial: string; credits: string; txHash: string };
  verify: { passed: number; total: number; command: string };
  service: { pid: number; logFile: string } | null;
}

function succeeded(run: DemoRun): void {
  if (run.code !== 0) throw new Error(`the demo exited with ${String(run.code)}:\n${run.stderr}`);
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("npm run demo", () => {
  it("runs the reference journey end to end (starting the service), then again on the same data with new lots", async () => {
    const dir = await tempDir("demo");
    cleanups.push(dir.remove);
    const port = await freeServicePort();
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATA_DIR: dir.path,
      PORT: String(port),
      // No EPCIS_JSON_SCHEMA: the service validates with the schema installed with the packages, as after a fresh
      // clone on a machine that reaches only the package registry. Batches are formed faster than by default (5 s),
      // which only shortens the demo's wait for "every event is anchored".
      ANCHOR_BATCH_WINDOW_MS: "500",
      ANCHOR_POLL_MS: "100",
    };
    let servicePid: number | undefined;
    cleanups.push(async () => {
      if (servicePid !== undefined && alive(servicePid)) process.kill(servicePid, "SIGKILL");
      for (const pid of await recordedChildPids(dir.path)) if (alive(pid)) process.kill(pid, "SIGKILL");
    });

    // First run: nothing answers on PORT, so the demo starts the service and leaves it running.
    const first = await demo(["--json"], env);
    succeeded(first);
    const lines = first.stdout.trim().split("\n");
    const result = JSON.parse(lines.at(-1) ?? "") as DemoJson;
    servicePid = result.service?.pid;
    expect(servicePid).toEqual(expect.any(Number));
    expect(first.stderr).toMatch(/no service at .*starting one/);
    expect(first.stderr).toMatch(/evidence weighbridge-ticket .* → ipfs bafkrei/);
    expect(first.stderr).toMatch(/every event is anchored/);
    expect(result).toMatchObject({
      gtin: "06901234000030",
      baseUrl: `http://127.0.0.1:${String(port)}`,
      labelUrl: `http://127.0.0.1:${String(port)}/01/06901234000030/10/${result.lot}`,
      claim: "zero-carbon",
    });
    const stageSum = Object.values(result.stages).reduce((sum, kg) => sum + kg, 0);
    expect(stageSum).toBeCloseTo(result.footprintPerUnitKg, 9);
    expect(Object.keys(result.stages)).toEqual(
      expect.arrayContaining(["recycler/commissioning", "moulder/commissioning", "moulder/shipping"]),
    );
    expect(result.footprintPerUnitKg).toBeGreaterThan(0.2);
    expect(result.footprintPerUnitKg).toBeLessThan(result.baselinePerUnitKg);
    expect(result.verify.passed).toBe(result.verify.total);

    // The saved bundle: every event self-signed except the custodial supplier's, evidence attached, attested.
    const bundle = JSON.parse(await readFile(result.bundlePath, "utf8")) as {
      events: Array<{ custodial: boolean; role: string }>;
      evidence: Array<{ cid: string }>;
      attestations: Array<{ status?: string }>;
    };
    const custodialRoles = new Set(bundle.events.filter((e) => e.custodial).map((e) => e.role));
    expect([...custodialRoles]).toEqual(["supplier"]);
    expect(bundle.events.filter((e) => !e.custodial).length).toBeGreaterThan(0);
    expect(bundle.evidence.length).toBeGreaterThanOrEqual(7);
    expect(bundle.attestations).toHaveLength(1);
    expect(existsSync(join(dir.path, "demo", "runs", result.lot, "label.png"))).toBe(true);

    // A certifier's own check of the bundle file, against the chain: every check passes.
    const rpc = result.verify.command.split(" --rpc ")[1] ?? "";
    const verified = await carbontrace(["verify", result.bundlePath, "--rpc", rpc]);
    expect([verified.code, verified.stdout.split("\n").at(-2)]).toEqual([0, expect.stringMatching(/^VERIFIED/)]);

    // The label resolves to the lot's journey.
    const journey = await fetch(result.labelUrl, { headers: { accept: "application/json" } });
    expect(journey.status).toBe(200);
    expect(((await journey.json()) as { claim: { status: string } }).claim.status).toBe("zero-carbon");
    // Its page names the certifier on the first screen, with the report.
    const page = await (await fetch(`${result.labelUrl}?lang=en`, { headers: { accept: "text/html" } })).text();
    expect(page).toMatch(
      /<p class="certified" id="certified">Verdict: <strong>[^<]+<\/strong> · [^<]+, \d{4}-\d{2}-\d{2} · <a href="[^"]+"/,
    );

    // Second run, on the running service: human output, new lots, the same partners, the next free credits.
    const second = await demo([], env);
    succeeded(second);
    expect(second.stderr).toMatch(/using the service at/);
    const secondLot = /rPET storage box 12 L \(GTIN 06901234000030\), lot (BX[0-9A-Z]+): 2000 items/.exec(
      second.stdout,
    )?.[1];
    expect(secondLot).toBeDefined();
    expect(secondLot).not.toBe(result.lot);
    expect(second.stdout).toContain(
      `Label: http://127.0.0.1:${String(port)}/01/06901234000030/10/${String(secondLot)}`,
    );
    expect(second.stdout).toMatch(/[▀▄█]{20,}/);
    expect(second.stdout).toMatch(/Footprint per item \(cradle to gate\): 0\.\d{3} kg CO2e/);
    expect(second.stdout).toContain("Baseline (The same 0.48 kg box from virgin PET, moulded on Shanghai grid power)");
    expect(second.stdout).toMatch(/moulder\/commissioning +0\.\d{3} kg/);
    expect(second.stdout).toContain(
      `Proof bundle: ${join(dir.path, "demo", "runs", String(secondLot), "bundle.json")}`,
    );
    const secondSerial = /Offsets: \d+ credit\(s\) retired, (\S+)/.exec(second.stdout)?.[1] ?? "";
    const firstLast = BigInt(result.offsets.serial.split("-")[2] ?? "0");
    expect(BigInt(secondSerial.split("-")[1] ?? "0")).toBe(firstLast + 1n);
    const adminKey = (await readFile(join(dir.path, "keys", "admin-api-key"), "utf8")).trim();
    const participants = (await (
      await fetch(`${result.baseUrl}/participants`, { headers: { authorization: `Bearer ${adminKey}` } })
    ).json()) as Array<{ identifier: { value: string } }>;
    expect(participants.map((p) => p.identifier.value).sort()).toEqual(RPET_PARTICIPANTS.map((p) => p.gln).sort());

    // The reference case's second product on the same service: the plush toy, read with its product model.
    const toyRun = await demo(["--json", "--scenario", "plush-toy"], env);
    succeeded(toyRun);
    const toy = JSON.parse(toyRun.stdout.trim().split("\n").at(-1) ?? "") as DemoJson & { scenario: string };
    expect(toy).toMatchObject({ scenario: "plush-toy", gtin: "06901234000054", claim: "zero-carbon" });
    expect(toy.verify.passed).toBe(toy.verify.total);
    expect(toy.footprintPerUnitKg).toBeLessThan(toy.baselinePerUnitKg);
    expect(Object.values(toy.stages).reduce((sum, kg) => sum + kg, 0)).toBeCloseTo(toy.footprintPerUnitKg, 9);
    const toyFootprint = (await (
      await fetch(`${toy.baseUrl}/lots/${toy.gtin}/${toy.lot}/footprint`, {
        headers: { authorization: `Bearer ${adminKey}` },
      })
    ).json()) as {
      model: { id: string };
      stages: Array<{ stage: string; name: { en: string } | null }>;
      intensityChecks: Array<{ status: string }>;
    };
    expect(toyFootprint.model.id).toBe("plush-toy");
    expect(toyFootprint.stages.map((s) => s.name?.en)).toEqual(
      expect.arrayContaining([
        "Recycled polyester fibre and plush fabric",
        "Toy making (digital printing, sewing, stuffing)",
      ]),
    );
    // The demo's activity data sit inside the model's plausibility ranges: nothing to spot-check.
    expect(toyFootprint.intensityChecks.length).toBeGreaterThan(3);
    expect(toyFootprint.intensityChecks.filter((c) => c.status !== "in-range")).toEqual([]);
    const toyPage = await (await fetch(`${toy.labelUrl}?lang=zh`, { headers: { accept: "text/html" } })).text();
    expect(toyPage).toContain("玩具制作（数码印花、缝制、填充）");
    expect(toyPage).toContain("再生纤维毛绒玩具 30 厘米");

    // The user stops the service; a third run starts it again on the same data (persisted chain and database)
    // and, with --stop, stops it afterwards.
    process.kill(servicePid ?? 0, "SIGTERM");
    for (let i = 0; i < 120 && alive(servicePid ?? 0); i++) await sleep(250);
    expect(alive(servicePid ?? 0)).toBe(false);
    const third = await demo(["--stop"], env);
    succeeded(third);
    servicePid = Number(/stopping the service \(pid (\d+)\)/.exec(third.stderr)?.[1]);
    const thirdLot = /lot (BX[0-9A-Z]+): 2000 items/.exec(third.stdout)?.[1];
    expect(thirdLot).toBeDefined();
    expect([thirdLot === result.lot, thirdLot === secondLot]).toEqual([false, false]);
    expect(third.stdout).toContain("Claim: Zero-carbon");
    // It says the service is stopped, not that it keeps running, and how to verify again.
    expect(third.stdout).toContain(`The service is stopped now (--stop); its data stays in ${dir.path}.`);
    expect(third.stdout).not.toContain("keeps running");
    expect(alive(servicePid)).toBe(false);
  }, 480_000);

  it("stops a service it started that cannot become healthy, and says why", async () => {
    const dir = await tempDir("demo-unhealthy");
    cleanups.push(dir.remove);
    const port = await freeServicePort();
    const run = await demo(["--json"], {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATA_DIR: dir.path,
      PORT: String(port),
      EPCIS_JSON_SCHEMA: join(dir.path, "no-such-schema.json"),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /the service started but is not healthy, so it was stopped: epcis: EPCIS JSON Schema not available/,
    );
    expect(run.stdout).toBe("");
    const leftovers = (await recordedChildPids(dir.path)).filter(alive);
    expect(leftovers).toEqual([]);
    expect((await fetch(`http://127.0.0.1:${String(port)}/health`).catch(() => undefined))?.status).toBeUndefined();
  }, 120_000);

  it("never starts a service for a --url it was given: it says nothing answers there", async () => {
    const url = `http://127.0.0.1:${String(await findFreePort())}`;
    const run = await demo(["--url", url], { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`no CarbonTrace service answers at ${url}`);
  }, 60_000);
});
