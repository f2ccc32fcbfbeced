import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * API keys look like `ctk_<id>_<secret>`: the id finds the key, only SHA-256(secret) is stored, and the
 * comparison is constant-time.
 */
export interface IssuedApiKey {
  readonly id: string;
  /** The whole key, shown to its owner once. */
  readonly token: string;
  readonly secretSha256: Buffer;
}

const PATTERN = /^ctk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function issueApiKey(): IssuedApiKey {
  const id = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  return { id, token: `ctk_${id}_${secret}`, secretSha256: sha256(secret) };
}

export function parseApiKey(token: string): { id: string; secret: string } | undefined {
  const match = PATTERN.exec(token);
  return match === null ? undefined : { id: match[1] ?? "", secret: match[2] ?? "" };
}

export function secretMatches(secret: string, expectedSha256: Uint8Array): boolean {
  const actual = sha256(secret);
  return actual.byteLength === expectedSha256.byteLength && timingSafeEqual(actual, expectedSha256);
}

/** For the admin key, which is configured (or generated) rather than stored in the database. */
export function tokenMatches(token: string, expected: string): boolean {
  return timingSafeEqual(sha256(token), sha256(expected));
}

function sha256(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
