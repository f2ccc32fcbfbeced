import { chmod, mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { measureAnchoringGas } from "./bench/anchoring-gas.js";
import { measureFootprintDag } from "./bench/footprint-dag.js";
import { progress } from "./bench/progress.js";
import { measureProofSizes } from "./bench/proof-size.js";

/**
 * `npm run bench [-- --json]`: every figure measured in this run, next to its baseline. Progress goes to stderr;
 * with --json the last line of stdout is one JSON object with all figures.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: "boolean" }, only: { type: "string" } } });
  // --only a,b: measure some sections (while working on them); the README's figures come from full runs.
  const wanted = (section: string): boolean => values.only === undefined || values.only.split(",").includes(section);
  const work = await mkdtemp(join(tmpdir(), "carbontrace-bench-"));
  await chmod(work, 0o755);
  const started = Date.now();
  try {
    progress("anchoring gas");
    const anchoring = wanted("anchoring") ? await measureAnchoringGas(work) : undefined;
    progress("proof sizes");
    const proofs = wanted("proofs") ? measureProofSizes() : undefined;
    progress("footprint over a 10,000-event graph");
    const footprint = wanted("footprint") ? await measureFootprintDag(work) : undefined;
    const result = {
      machine: {
        cpus: cpus().length,
        cpu: cpus()[0]?.model ?? "unknown",
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      date: new Date().toISOString(),
      durationMs: Date.now() - started,
      anchoring,
      proofs,
      footprint,
    };
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      process.stdout.write(report(result));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function report(result: {
  anchoring: Awaited<ReturnType<typeof measureAnchoringGas>> | undefined;
  proofs: ReturnType<typeof measureProofSizes> | undefined;
  footprint: Awaited<ReturnType<typeof measureFootprintDag>> | undefined;
  durationMs: number;
}): string {
  const { anchoring, proofs, footprint } = result;
  const lines = [
    ...(anchoring === undefined ? [] : anchoringReport(anchoring)),
    ...(proofs === undefined ? [] : proofReport(proofs)),
    ...(footprint === undefined
      ? []
      : [
          "",
          `Footprint of a lot with a ${footprint.events.toLocaleString("en")}-event upstream graph (${footprint.lots.toLocaleString("en")} lots)`,
          `  GET /lots/…/footprint (PostgreSQL → engine → stored): ${String(footprint.dag10kMs)} ms (median of 5)`,
          `  engine alone, in memory: ${String(footprint.engineMs)} ms (median of 5); total ${String(footprint.totalKg)} kg CO2e`,
        ]),
    "",
    `(${(result.durationMs / 1000).toFixed(0)} s)`,
    "",
  ];
  return lines.join("\n");
}

function anchoringReport(anchoring: Awaited<ReturnType<typeof measureAnchoringGas>>): string[] {
  return [
    "",
    "Anchoring gas (TraceLedger.anchor, optimizer 200, fresh anvil)",
    `  one transaction per event: ${anchoring.perEventTxGas} gas/event`,
    ...(["1", "64", "1024"] as const).map(
      (size) =>
        `  batch of ${size.padStart(4)}: ${String(anchoring.gasPerEvent[size]).padStart(8)} gas/event  (${anchoring.savings[size].toFixed(1)}× cheaper than a transaction per event)`,
    ),
  ];
}

function proofReport(proofs: ReturnType<typeof measureProofSizes>): string[] {
  return [
    "",
    "Merkle proof size per event",
    ...(["1000", "100000", "1000000"] as const).map(
      (n) =>
        `  ${Number(n).toLocaleString("en").padStart(9)} leaves: ${proofs.bytesPerEvent[n]} bytes (${proofs.proofLength[n] ?? 0} siblings)`,
    ),
  ];
}

await main();
