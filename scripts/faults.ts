import { parseArgs } from "node:util";
import { FAULT_KINDS, type FaultKind } from "./faults/faults.js";
import { runFaultSuite, type FaultReport } from "./faults/run.js";

/**
 * `npm run test:faults [-- --json] [-- --rounds N] [-- --kinds a,b]`: the service under load through kill -9s,
 * engine deaths and stalls, a full IPFS store and an empty operator account; then the checker. Progress goes to
 * stderr; with --json the last line of stdout is one JSON object. Exits 1 unless nothing was lost, stored twice,
 * stuck or anchored twice and the service recovered alone from every fault.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { json: { type: "boolean" }, rounds: { type: "string" }, kinds: { type: "string" } },
  });
  const rounds = values.rounds === undefined ? 2 * FAULT_KINDS.length : Number.parseInt(values.rounds, 10);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer`);
  const kinds = values.kinds?.split(",").map((kind) => {
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw new Error(`unknown fault kind "${kind}"; kinds: ${FAULT_KINDS.join(", ")}`);
    }
    return kind as FaultKind;
  });
  const report = await runFaultSuite({
    rounds,
    ...(kinds === undefined ? {} : { kinds }),
    log: (message) => process.stderr.write(`[faults] ${new Date().toISOString().slice(11, 19)} ${message}\n`),
  });
  process.stdout.write(values.json === true ? `${JSON.stringify(report)}\n` : summary(report));
  process.exitCode = report.ok ? 0 : 1;
}

function summary(report: FaultReport): string {
  const faults = Object.entries(report.faults)
    .map(([kind, n]) => `${kind} ×${String(n)}`)
    .join(", ");
  return [
    `${report.ok ? "PASSED" : "FAILED"}: ${String(report.rounds)} fault rounds in ${String(report.durationSeconds)} s (${faults})`,
    `events acknowledged ${String(report.eventsAcknowledged)}; lost ${String(report.lost)}, duplicated ${String(report.duplicated)}, stuck ${String(report.stuck)}, anchored twice ${String(report.anchoredTwice)}`,
    `chain and database disagree on ${String(report.chainDisagrees)} batches of ${String(report.batches)}; unreadable manifests ${String(report.manifestsUnreadable)}`,
    `5xx other than 503: ${String(report.serverErrors)}; refused: ${String(report.refused)}; retried after 503 or no answer: ${String(report.retried)}`,
    `recovery without a hand: p50 ${String(report.recoverySeconds.p50)} s, max ${String(report.recoverySeconds.max)} s; not recovered: ${String(report.notRecovered)}`,
    ...report.skipped.map((s) => `skipped ${s}`),
    ...report.problems.map((p) => `problem: ${p}`),
    "",
  ].join("\n");
}

await main();
