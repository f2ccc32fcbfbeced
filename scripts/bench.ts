import { chmod, mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { measureAnchoringGas } from "./bench/anchoring-gas.js";
import { progress } from "./bench/progress.js";
import { measureProofSizes } from "./bench/proof-size.js";

/**
 * `npm run bench [-- --json]`: every figure measured in this run, next to its baseline. Progress goes to stderr;
 * with --json the last line of stdout is one JSON object with all figures.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: "boolean" } } });
  const work = await mkdtemp(join(tmpdir(), "carbontrace-bench-"));
  await chmod(work, 0o755);
  const started = Date.now();
  try {
    progress("anchoring gas");
    const anchoring = await measureAnchoringGas(work);
    progress("proof sizes");
    const proofs = measureProofSizes();
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
  anchoring: Awaited<ReturnType<typeof measureAnchoringGas>>;
  proofs: ReturnType<typeof measureProofSizes>;
  durationMs: number;
}): string {
  const { anchoring, proofs } = result;
  const lines = [
    "",
    "Anchoring gas (TraceLedger.anchor, optimizer 200, fresh anvil)",
    `  one transaction per event: ${anchoring.perEventTxGas} gas/event`,
    ...(["1", "64", "1024"] as const).map(
      (size) =>
        `  batch of ${size.padStart(4)}: ${String(anchoring.gasPerEvent[size]).padStart(8)} gas/event  (${anchoring.savings[size].toFixed(1)}× cheaper than a transaction per event)`,
    ),
    "",
    "Merkle proof size per event",
    ...(["1000", "100000", "1000000"] as const).map(
      (n) =>
        `  ${Number(n).toLocaleString("en").padStart(9)} leaves: ${proofs.bytesPerEvent[n]} bytes (${proofs.proofLength[n] ?? 0} siblings)`,
    ),
    "",
    `(${(result.durationMs / 1000).toFixed(0)} s)`,
    "",
  ];
  return lines.join("\n");
}

await main();
