import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A temporary directory removed by the returned cleanup. It is made world-traversable (mkdtemp gives 0700)
 * because, when tests run as root, the embedded PostgreSQL runs as user "postgres" and must enter it.
 */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `carbontrace-${prefix}-`));
  await chmod(path, 0o755);
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
