import { jest } from "@jest/globals";

// Some unit tests render images or run a small tool (zbarimg, ipfs_cid): on a loaded machine that can pass Jest's
// default 5 s without anything being wrong. Set here, not as the project's `testTimeout`, which Jest ignores in a
// multi-project config (it is a global option): hooks too get this limit.
jest.setTimeout(30_000);
