// Jest's order of test files. Jest starts the longest files first only when its cache knows their times from an
// earlier run on the same path; in a fresh clone (CI) it knows none and orders by file size, so the heaviest e2e
// suites started last and the run ended with one of them alone on the machine (2026-12-05: service-process,
// anchoring-crash and faults finished last). Here a file's expected time is Jest's own measurement when it has
// one, else the time below, else a short default. The order changes only when files run, never what they check.
import { basename } from "node:path";
import Sequencer from "@jest/test-sequencer";

/** Seconds each heavier e2e file took in a whole `npm run test:e2e` on 2 cores (2026-12-05, three workers). */
const EXPECTED_SECONDS = {
  "fuzz.e2e-spec.ts": 133,
  "service-process.e2e-spec.ts": 123,
  "anchoring-crash.e2e-spec.ts": 106,
  "console-browser.e2e-spec.ts": 105,
  "demo.e2e-spec.ts": 94,
  "journey-browser.e2e-spec.ts": 58,
  "faults.e2e-spec.ts": 56,
  "chain.e2e-spec.ts": 45,
  "chain-job-crash.e2e-spec.ts": 37,
  "anchoring.e2e-spec.ts": 35,
  "cli-pack.e2e-spec.ts": 34,
  "http.e2e-spec.ts": 32,
  "database.e2e-spec.ts": 30,
  "tamper.e2e-spec.ts": 30,
  "labels.e2e-spec.ts": 30,
  "cli.e2e-spec.ts": 30,
};
/** Every other file: less than the shortest above (Jest reports times from 30 s on as slow). */
const DEFAULT_SECONDS = 15;

export default class LongestFirst extends Sequencer {
  time(test) {
    return super.time(test) ?? (EXPECTED_SECONDS[basename(test.path)] ?? DEFAULT_SECONDS) * 1000;
  }
}
