import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { qrTerminal } from "#labels";
import { fileKeys, runNamedJourney, SCENARIOS, verifyAsCertifier, type JourneyResult } from "#scenario";
import { ensureService, stopService, type DemoService } from "./demo/service.js";

const USAGE = `The reference rPET journey, end to end: bottles → bales → rPET pellets → storage boxes → warehouse,
signed events with evidence in IPFS, anchored on the ledger, footprint against virgin PET, credits retired,
a certifier's attestation and a zero-carbon label. Starts the service when none answers (and leaves it running
so that the label URL opens). Every run makes new lots.

Usage: npm run demo [-- --json] [--scenario NAME] [--url URL] [--admin-key KEY] [--stop]

  --scenario    rpet-storage-box (default): the storage box above;
                plush-toy: bottles → rPET fibre and plush fabric → printed, sewn toys (part rooftop solar,
                paper tag) → warehouse, offsets for the rest
  --json        progress on stderr; the last line of stdout is one JSON object
  --url         the service (default http://127.0.0.1:$PORT, PORT default 3000)
  --admin-key   the administrator's key (default $ADMIN_API_KEY, else $DATA_DIR/keys/admin-api-key)
  --stop        stop the service afterwards if the demo started it
`;

type ScenarioName = keyof typeof SCENARIOS;

interface Options {
  readonly scenario: ScenarioName;
  readonly json: boolean;
  readonly url: string;
  readonly explicitUrl: boolean;
  readonly adminKey: string | undefined;
  readonly stop: boolean;
  readonly dataDir: string;
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (options === undefined) return;
  const started = Date.now();
  // A service named with --url is used, never started: it may be anywhere.
  const service = await ensureService(options.url, options.dataDir, progress, !options.explicitUrl);
  try {
    const adminKey = options.adminKey ?? (await adminKeyFrom(options.dataDir, service));
    const journey = await runNamedJourney(options.scenario, {
      baseUrl: service.url,
      adminKey,
      keys: fileKeys(join(options.dataDir, "demo", "keys")),
      log: progress,
    });
    const saved = await saveOutputs(options.dataDir, journey);
    progress("checking the saved bundle the way `carbontrace verify` does");
    const verified = await verifySaved(saved.bundlePath, journey.journey.verification.rpcUrl);
    const summary = summaryOf(journey, saved, service, verified);
    progress(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    process.stdout.write(
      options.json ? `${JSON.stringify(summary)}\n` : render(journey, summary, saved, service, verified, options),
    );
  } finally {
    if (options.stop && service.started !== undefined) {
      progress(`stopping the service (pid ${String(service.started.pid)})`);
      await stopService(service.started.pid);
    }
  }
}

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      json: { type: "boolean" },
      scenario: { type: "string", default: "rpet-storage-box" },
      url: { type: "string" },
      "admin-key": { type: "string" },
      stop: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return undefined;
  }
  const scenario = values.scenario;
  if (!(scenario in SCENARIOS)) {
    throw new Error(`unknown --scenario ${scenario}: one of ${Object.keys(SCENARIOS).join(", ")}`);
  }
  return {
    scenario: scenario as ScenarioName,
    json: values.json === true,
    url: (values.url ?? `http://127.0.0.1:${process.env.PORT ?? "3000"}`).replace(/\/+$/, ""),
    explicitUrl: values.url !== undefined,
    adminKey: values["admin-key"] ?? process.env.ADMIN_API_KEY,
    stop: values.stop === true,
    dataDir: resolve(process.env.DATA_DIR ?? ".data"),
  };
}

function progress(message: string): void {
  process.stderr.write(`[demo] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

async function adminKeyFrom(dataDir: string, service: DemoService): Promise<string> {
  const path = join(dataDir, "keys", "admin-api-key");
  try {
    return (await readFile(path, "utf8")).trim();
  } catch {
    throw new Error(
      `no administrator key at ${path}: the service at ${service.url} keeps its data elsewhere. ` +
        "Run the demo with the service's DATA_DIR, or pass --admin-key (or ADMIN_API_KEY).",
    );
  }
}

interface SavedOutputs {
  readonly dir: string;
  readonly bundlePath: string;
  readonly labelPngPath: string;
  readonly reportPath: string;
}

/** The run's files for people to open: bundle, label, certifier's report, evidence files. */
async function saveOutputs(dataDir: string, journey: JourneyResult<object, string>): Promise<SavedOutputs> {
  const dir = join(dataDir, "demo", "runs", journey.lot);
  await mkdir(join(dir, "evidence"), { recursive: true });
  const bundlePath = join(dir, "bundle.json");
  const labelPngPath = join(dir, "label.png");
  const reportPath = join(dir, "verification-report.txt");
  const label = await fetch(journey.journey.links.labelPng);
  if (!label.ok) throw new Error(`the label answered HTTP ${String(label.status)}`);
  await Promise.all([
    writeFile(bundlePath, `${JSON.stringify(journey.bundle, null, 2)}\n`),
    writeFile(labelPngPath, new Uint8Array(await label.arrayBuffer())),
    writeFile(reportPath, journey.report),
    writeFile(join(dir, "footprint.json"), `${JSON.stringify(journey.footprint, null, 2)}\n`),
    ...journey.evidence.map((file) => writeFile(join(dir, "evidence", file.fileName), file.bytes)),
  ]);
  return { dir, bundlePath, labelPngPath, reportPath };
}

interface Verified {
  readonly passed: number;
  readonly total: number;
  readonly complete: boolean;
  readonly command: string;
}

async function verifySaved(bundlePath: string, rpcUrl: string | null): Promise<Verified> {
  const bundle = JSON.parse(await readFile(bundlePath, "utf8")) as JourneyResult<object, string>["bundle"];
  const report = await verifyAsCertifier(bundle, rpcUrl);
  return {
    passed: report.checks.filter((c) => c.status === "pass").length,
    total: report.checks.length,
    complete: report.complete,
    command: `npx carbontrace verify ${bundlePath}${rpcUrl === null ? "" : ` --rpc ${rpcUrl}`}`,
  };
}

/** The `--json` contract: labelUrl, gtin, lot, footprintPerUnitKg, stages, bundlePath, baseUrl (and context). */
function summaryOf(
  journey: JourneyResult<object, string>,
  saved: SavedOutputs,
  service: DemoService,
  verified: Verified,
) {
  const footprint = journey.journey.footprint;
  if (footprint === null) throw new Error("the service computed no footprint for the product lot");
  return {
    scenario: journey.scenario,
    labelUrl: journey.journey.uri,
    gtin: journey.gtin,
    lot: journey.lot,
    footprintPerUnitKg: footprint.perUnitKg,
    stages: Object.fromEntries(footprint.stages.map((stage) => [stage.stage, stage.perUnitKg])),
    bundlePath: saved.bundlePath,
    baseUrl: service.url,
    declaredUnit: footprint.declaredUnit,
    totalKg: footprint.totalKg,
    baselinePerUnitKg: footprint.baseline?.perUnitKg ?? null,
    reductionPercent: footprint.baseline?.reductionPercent ?? null,
    claim: journey.journey.claim?.status ?? null,
    offsets: {
      serial: journey.retirement.serial,
      credits: journey.retirement.credits,
      txHash: journey.retirement.chain.txHash,
    },
    attestation: journey.attestation,
    labelPngPath: saved.labelPngPath,
    verify: { passed: verified.passed, total: verified.total, command: verified.command },
    service: service.started ?? null,
  };
}

function render(
  journey: JourneyResult<object, string>,
  summary: ReturnType<typeof summaryOf>,
  saved: SavedOutputs,
  service: DemoService,
  verified: Verified,
  options: Pick<Options, "stop" | "dataDir">,
): string {
  const footprint = journey.journey.footprint;
  const kg = (value: number): string => `${value.toFixed(3)} kg`;
  const width = Math.max(...Object.keys(summary.stages).map((name) => name.length));
  const per = footprint?.declaredUnit.unit === "KGM" ? "kg" : "item";
  const lines = [
    "",
    `${journey.product.name.en} (GTIN ${journey.gtin}), lot ${journey.lot}: ${String(footprint?.declaredUnit.amount ?? "")} ${footprint?.declaredUnit.unit === "KGM" ? "kg" : "items"}`,
    "",
    `Label: ${summary.labelUrl}`,
    "",
    qrTerminal(summary.labelUrl),
    "",
    `Footprint per ${per} (cradle to gate): ${kg(summary.footprintPerUnitKg)} CO2e`,
    ...Object.entries(summary.stages).map(([stage, value]) => `  ${stage.padEnd(width)}  ${kg(value)}`),
    ...(summary.baselinePerUnitKg === null
      ? []
      : [
          `Baseline (${journey.product.baseline}): ${kg(summary.baselinePerUnitKg)} per ${per}; ${(summary.reductionPercent ?? 0).toFixed(0)} % lower`,
        ]),
    `Offsets: ${summary.offsets.credits} credit(s) retired, ${summary.offsets.serial} (tx ${String(summary.offsets.txHash)})`,
    `Claim: ${journey.journey.claim?.text.en.headline ?? "none"}`,
    `Certifier: ${journey.attestation.status} (report ipfs ${journey.attestation.reportCid}, tx ${String(journey.attestation.txHash)})`,
    "",
    `Proof bundle: ${saved.bundlePath}`,
    `  ${String(verified.passed)} of ${String(verified.total)} checks pass; check it yourself: ${verified.command}`,
    `Label PNG: ${saved.labelPngPath}; evidence files and the certifier's report: ${saved.dir}`,
    ...(service.started === undefined ? [] : ["", afterwards(service.started, options)]),
    "",
  ];
  return lines.join("\n");
}

/** What becomes of the service the demo started (the verify command above needs its chain running). */
function afterwards(started: NonNullable<DemoService["started"]>, options: Pick<Options, "stop" | "dataDir">): string {
  return options.stop
    ? `The service is stopped now (--stop); its data stays in ${options.dataDir}. The verify command above needs ` +
        "its chain: `npm run demo` starts the service again and prints a fresh one."
    : `The service keeps running in the background (pid ${String(started.pid)}, log ${started.logFile}); stop it ` +
        `with: kill ${String(started.pid)}`;
}

main().catch((error: unknown) => {
  progress(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
