// The pass lease for service unit tests: one pass of a name at a time, as AdvisoryPassLease across instances.
import type { PassLease } from "#database";

export class InMemoryPassLease implements PassLease {
  private readonly held = new Set<string>();

  async run(name: string, pass: () => Promise<void>): Promise<boolean> {
    if (this.held.has(name)) return false;
    this.held.add(name);
    try {
      await pass();
      return true;
    } finally {
      this.held.delete(name);
    }
  }
}
