export { Anchorer, type AnchorOptions, type AnchorStats } from "./anchorer.js";
export { classify, FAILURE_CAUSES, type AnchorFailure, type FailureCause } from "./failure-cause.js";
export { AnchorWorker, type WorkerStatus } from "./anchor-worker.js";
export { FAILPOINTS, Failpoints, type Failpoint } from "./failpoints.js";
