import { describe, expect, it } from "@jest/globals";
import { runFaultSuite } from "../../scripts/faults/run.js";
import { epcisSchemaForTests } from "../support/conformance.js";

/**
 * The short run of `npm run test:faults` (which runs 20 rounds over every fault kind): the built service under load
 * through one fault of each quick kind, then the checker over the database, the chain and the IPFS store.
 */
describe("fault injection (short run)", () => {
  it("loses nothing, stores and anchors every acknowledged event once, and recovers alone", async () => {
    const progress: string[] = [];
    const report = await runFaultSuite({
      rounds: 5,
      env: { EPCIS_JSON_SCHEMA: epcisSchemaForTests() },
      kinds: ["service-kill9", "postgres-kill9", "anvil-kill9", "operator-out-of-funds", "group-kill9"],
      log: (line) => progress.push(line),
    }).catch((error: unknown) => {
      // What the suite saw (the service's last log lines among it) explains a failure better than the error alone.
      throw new Error(`${String(error)}\n${progress.join("\n")}`);
    });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      ok: true,
      rounds: 5,
      lost: 0,
      duplicated: 0,
      stuck: 0,
      anchoredTwice: 0,
      chainDisagrees: 0,
      manifestsUnreadable: 0,
      serverErrors: 0,
      notRecovered: 0,
    });
    expect(report.eventsAcknowledged).toBeGreaterThan(0);
    expect(report.batches).toBeGreaterThan(0);
  }, 600_000);
});
