/** Stops the cluster the global setup started (globals set there are visible here, and only here). */
export default async function teardown(): Promise<void> {
  await (globalThis as { carbontraceE2eTeardown?: () => Promise<void> }).carbontraceE2eTeardown?.();
}
