export { Anchorer, type AnchorOptions } from "./anchorer.js";
export { AnchorWorker, type WorkerStatus } from "./anchor-worker.js";
export { FAILPOINTS, Failpoints, type Failpoint } from "./failpoints.js";
