import { parentPort } from "node:worker_threads";
import { hashDocument, recoverWithEthers } from "#proof";
import { nativeSignerRecovery } from "./native-recovery.js";
import { toWire, type HashingRequest } from "./hashing-pool.js";

/** One worker of the pool in hashing-pool.ts: hashes the documents it is sent and recovers their signers. */
const recover = nativeSignerRecovery() ?? recoverWithEthers;
// Loaded (the native binding included): the pool may stop this worker from now on without aborting the process.
parentPort?.postMessage({ ready: true });

parentPort?.on("message", ({ id, job }: HashingRequest) => {
  parentPort?.postMessage({ id, result: toWire(hashDocument(job, recover)) });
});
