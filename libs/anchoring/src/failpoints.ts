/**
 * Named places where the process may be made to die (SIGKILL itself), for the crash tests: set
 * CARBONTRACE_FAILPOINTS to a comma-separated list. Nothing happens unless a point is listed. These are the
 * anchorer's.
 */
export const FAILPOINTS = [
  "anchor.after-batch-built",
  "anchor.after-manifest-pinned",
  "anchor.after-tx-recorded",
  "anchor.after-broadcast",
  "anchor.after-mined",
] as const;

/** Where a chain job (a retirement, an attestation, a role change) may be made to die. */
export const CHAIN_JOB_FAILPOINTS = ["chain-job.after-tx-recorded", "chain-job.after-broadcast"] as const;

export type Failpoint = (typeof FAILPOINTS)[number] | (typeof CHAIN_JOB_FAILPOINTS)[number];

/** The failpoints a process was started with: `hit` at a listed one kills it (an empty set: never). */
export class Failpoints {
  constructor(private readonly enabled: ReadonlySet<string>) {}

  hit(name: Failpoint): void {
    if (this.enabled.has(name)) process.kill(process.pid, "SIGKILL");
  }
}
