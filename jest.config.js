// Two projects: `unit` (specs beside the code, no external processes) and `e2e` (real PostgreSQL, anvil,
// IPFS and the built service). Both run TypeScript sources through ts-jest in ESM mode.
import { readFileSync } from "node:fs";

/** Package "imports" (#common, #ledger, …) mapped to each lib's index.ts, like the "source" condition. */
const { imports } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
const libs = Object.fromEntries(
  Object.entries(imports).map(([name, targets]) => [`^${name}$`, `<rootDir>/${targets.source.replace(/^\.\//, "")}`]),
);

const common = {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: {
    ...libs,
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  transform: { "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "<rootDir>/tsconfig.json" }] },
};

/** @type {import('jest').Config} */
export default {
  // Longest files first, also in a fresh clone where Jest has no times of its own yet (the file says why).
  testSequencer: "<rootDir>/test/support/test-sequencer.js",
  projects: [
    {
      ...common,
      displayName: "unit",
      // 30 s per test and hook (test/support/timeout-unit.ts says why it is set there).
      setupFilesAfterEnv: ["<rootDir>/test/support/timeout-unit.ts"],
      testMatch: ["<rootDir>/libs/**/*.spec.ts", "<rootDir>/apps/**/*.spec.ts", "<rootDir>/scripts/**/*.spec.ts"],
    },
    {
      ...common,
      displayName: "e2e",
      // 120 s per test and hook: every e2e test talks to real processes (test/support/timeout-e2e.ts).
      setupFilesAfterEnv: ["<rootDir>/test/support/timeout-e2e.ts"],
      // One PostgreSQL cluster for the whole run; each suite makes databases of its own on it.
      globalSetup: "<rootDir>/test/support/e2e-global-setup.ts",
      globalTeardown: "<rootDir>/test/support/e2e-global-teardown.ts",
      testMatch: ["<rootDir>/test/api/**/*.e2e-spec.ts"],
      slowTestThreshold: 30,
    },
  ],
};
