export { Anchorer, type AnchorOptions, type AnchorStats } from "./anchorer.js";
export { classify, FAILURE_CAUSES, type AnchorFailure, type FailureCause } from "./failure-cause.js";
export { AnchorWorker, type WorkerStatus } from "./anchor-worker.js";
export { CHAIN_JOB_FAILPOINTS, FAILPOINTS, Failpoints, type Failpoint } from "./failpoints.js";
export {
  CHAIN_JOB_DEFAULTS,
  ChainJobRunner,
  type ChainJobChain,
  type ChainJobHandler,
  type ChainJobOptions,
  type ChainJobRows,
  type JobOutcome,
  type MinedAt,
} from "./chain-jobs.js";
