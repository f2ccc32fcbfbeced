import { randomBytes } from "node:crypto";
import { mkdir, open, readFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Reads a secret kept in a file only its owner can read, creating it on first use. Secrets of the embedded
 * parts (database password, chain operator key) live in DATA_DIR/keys and are never logged.
 */
export async function readOrCreateSecret(path: string, generate: () => string): Promise<string> {
  try {
    return (await readFile(path, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const value = generate();
  try {
    const file = await open(path, "wx", 0o600);
    await file.writeFile(`${value}\n`);
    await file.close();
    return value;
  } catch (error) {
    // Another process created it between our read and our write: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return (await readFile(path, "utf8")).trim();
    throw error;
  }
}

export const randomPassword = (): string => randomBytes(24).toString("base64url");
