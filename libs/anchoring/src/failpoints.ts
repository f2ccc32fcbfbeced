/**
 * Named places where the process may be made to die (SIGKILL itself), for the crash tests: set
 * CARBONTRACE_FAILPOINTS to a comma-separated list. Nothing happens unless a point is listed.
 */
export const FAILPOINTS = [
  "anchor.after-batch-built",
  "anchor.after-manifest-pinned",
  "anchor.after-tx-recorded",
  "anchor.after-broadcast",
  "anchor.after-mined",
] as const;
export type Failpoint = (typeof FAILPOINTS)[number];

export class Failpoints {
  constructor(private readonly enabled: ReadonlySet<string>) {}

  hit(name: Failpoint): void {
    if (this.enabled.has(name)) process.kill(process.pid, "SIGKILL");
  }
}
