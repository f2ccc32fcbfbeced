import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/**
 * Secrets of the partner console. Invitations (`cti_<id>_<secret>`) and sessions (`cts_<id>_<secret>`) look like
 * API keys: the id finds the row, only SHA-256 of the secret is stored, comparisons are constant-time. Passphrases
 * are stored as scrypt hashes (N = 2^15, r = 8, p = 1, 16-byte salt), the parameters kept with each hash.
 */
export type ConsoleTokenKind = "invitation" | "session";

const PREFIX: Readonly<Record<ConsoleTokenKind, string>> = { invitation: "cti", session: "cts" };

export interface IssuedConsoleToken {
  readonly id: string;
  /** The whole token, given to its holder once (an invitation link, a session cookie). */
  readonly token: string;
  readonly secretSha256: Buffer;
}

export function issueConsoleToken(kind: ConsoleTokenKind): IssuedConsoleToken {
  const id = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  return { id, token: `${PREFIX[kind]}_${id}_${secret}`, secretSha256: sha256(secret) };
}

export function parseConsoleToken(kind: ConsoleTokenKind, token: string): { id: string; secret: string } | undefined {
  const match = new RegExp(`^${PREFIX[kind]}_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$`).exec(token);
  return match === null ? undefined : { id: match[1] ?? "", secret: match[2] ?? "" };
}

/** A per-session anti-CSRF token: the value for the page, and its SHA-256 to keep. */
export function issueCsrfToken(): { token: string; sha256: Buffer } {
  const token = randomBytes(32).toString("base64url");
  return { token, sha256: sha256(token) };
}

export function sha256Matches(value: string, expectedSha256: Uint8Array): boolean {
  const actual = sha256(value);
  return actual.byteLength === expectedSha256.byteLength && timingSafeEqual(actual, expectedSha256);
}

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, maxmem: 64 * 1024 * 1024 } as const;

/** `scrypt$N$r$p$<salt>$<hash>` (base64url). */
export async function hashPassphrase(passphrase: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(passphrase, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p);
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64url"), hash.toString("base64url")].join("$");
}

export async function passphraseMatches(passphrase: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await derive(passphrase, Buffer.from(salt, "base64url"), Number(n), Number(r), Number(p));
  return actual.byteLength === expected.byteLength && timingSafeEqual(actual, expected);
}

function derive(passphrase: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize("NFC"), salt, SCRYPT.keyLength, { N, r, p, maxmem: SCRYPT.maxmem }, (error, key) => {
      if (error === null) resolve(key);
      else reject(error);
    });
  });
}

function sha256(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
