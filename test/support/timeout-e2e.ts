import { jest } from "@jest/globals";

// Every e2e test and hook talks to real processes (PostgreSQL, anvil, the service, chromium). Set here, not as the
// project's `testTimeout`, which Jest ignores in a multi-project config: an `afterAll` that drops a suite's
// databases on a loaded machine once failed on the 5 s default.
jest.setTimeout(120_000);
