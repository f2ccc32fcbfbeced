import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileKeys, runRpetJourney } from "#scenario";
import { ensureService, stopService } from "./demo/service.js";

const USAGE = `Lighthouse on the journey page, checked against its budget (issue 19): the demo's lot, on a service
started for it (embedded engines in a temporary folder), audited in Chinese and English with Lighthouse 12.2.3's
mobile defaults (simulated slow 4G, 4x CPU slowdown) in Debian's Chromium. Lighthouse is fetched by npx, not
installed with the project.

Usage: npm run audit:journey [-- --json] [--keep]

  --json   progress on stderr; the last line of stdout is one JSON object
  --keep   keep the service and its folder (the page URLs stay open)
Exit code 1 when a budget is not met.
`;

const LIGHTHOUSE = "lighthouse@12.2.3";
const BUDGET = { performance: 0.9, accessibility: 1, scriptKiB: 60 } as const;

interface Audit {
  readonly lang: "zh" | "en";
  readonly url: string;
  readonly performance: number;
  readonly accessibility: number;
  readonly scriptKiB: number;
  readonly firstContentfulPaintMs: number;
  readonly largestContentfulPaintMs: number;
  readonly totalBlockingTimeMs: number;
  readonly speedIndexMs: number;
  readonly withinBudget: boolean;
}

interface LighthouseReport {
  readonly categories: Record<string, { score: number | null }>;
  readonly audits: Record<
    string,
    { numericValue?: number; details?: { items?: Array<{ resourceType?: string; transferSize?: number }> } }
  >;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const log = (message: string): void => {
    process.stderr.write(`audit:journey: ${message}\n`);
  };
  const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => existsSync(path));
  if (chromium === undefined) throw new Error("Debian's chromium is needed (apt-get install chromium)");
  const dataDir = await mkdtemp(join(tmpdir(), "carbontrace-audit-"));
  await chmod(dataDir, 0o755);
  const url = `http://127.0.0.1:${String(await freePort())}`;
  const service = await ensureService(url, dataDir, log, true);
  try {
    const adminKey = (await readFile(join(dataDir, "keys", "admin-api-key"), "utf8")).trim();
    const journey = await runRpetJourney({ baseUrl: url, adminKey, keys: fileKeys(join(dataDir, "keys-demo")), log });
    const page = `${url}/01/${journey.gtin}/10/${encodeURIComponent(journey.lot)}`;
    const audits: Audit[] = [];
    for (const lang of ["zh", "en"] as const) {
      log(`Lighthouse (${LIGHTHOUSE}, mobile) on ${page}?lang=${lang}`);
      audits.push(await audit(`${page}?lang=${lang}`, lang, chromium, dataDir));
    }
    const ok = audits.every((result) => result.withinBudget);
    const summary = { ok, lighthouse: LIGHTHOUSE, budget: BUDGET, audits };
    process.stdout.write(values.json ? `${JSON.stringify(summary)}\n` : render(summary));
    process.exitCode = ok ? 0 : 1;
  } finally {
    if (!values.keep && service.started !== undefined) {
      await stopService(service.started.pid);
      await rm(dataDir, { recursive: true, force: true });
    }
  }
}

async function audit(url: string, lang: "zh" | "en", chromium: string, dataDir: string): Promise<Audit> {
  const output = join(dataDir, `lighthouse-${lang}.json`);
  await run(
    "npx",
    [
      "--yes",
      LIGHTHOUSE,
      url,
      "--quiet",
      "--output=json",
      `--output-path=${output}`,
      "--only-categories=performance,accessibility",
      "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ],
    { ...process.env, CHROME_PATH: chromium, npm_config_update_notifier: "false" },
  );
  const report = JSON.parse(await readFile(output, "utf8")) as LighthouseReport;
  const metric = (id: string): number => Math.round(report.audits[id]?.numericValue ?? Number.NaN);
  const scriptBytes =
    report.audits["resource-summary"]?.details?.items?.find((item) => item.resourceType === "script")?.transferSize ??
    0;
  const performance = report.categories.performance?.score ?? 0;
  const accessibility = report.categories.accessibility?.score ?? 0;
  const scriptKiB = Math.round((scriptBytes / 1024) * 10) / 10;
  return {
    lang,
    url,
    performance,
    accessibility,
    scriptKiB,
    firstContentfulPaintMs: metric("first-contentful-paint"),
    largestContentfulPaintMs: metric("largest-contentful-paint"),
    totalBlockingTimeMs: metric("total-blocking-time"),
    speedIndexMs: metric("speed-index"),
    withinBudget:
      performance >= BUDGET.performance && accessibility >= BUDGET.accessibility && scriptKiB <= BUDGET.scriptKiB,
  };
}

function render(summary: { ok: boolean; audits: readonly Audit[] }): string {
  const lines = summary.audits.map(
    (a) =>
      `${a.lang}: performance ${String(Math.round(a.performance * 100))}, accessibility ${String(Math.round(a.accessibility * 100))}, ` +
      `script ${String(a.scriptKiB)} KiB, FCP ${String(a.firstContentfulPaintMs)} ms, LCP ${String(a.largestContentfulPaintMs)} ms, ` +
      `TBT ${String(a.totalBlockingTimeMs)} ms, speed index ${String(a.speedIndexMs)} ms${a.withinBudget ? "" : "  ← over budget"}`,
  );
  return `${lines.join("\n")}\n${summary.ok ? "within budget" : "OVER BUDGET"} (performance ≥ 90, accessibility 100, script ≤ 60 KiB)\n`;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.slice(0, 2).join(" ")} exited with ${String(code)}`)),
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`audit:journey: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
