import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { getAddress, Wallet } from "ethers";
import { DomainError } from "#common";

const VERSION = 1;
const SECRET_VERSION = 2;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals custodial signing keys with AES-256-GCM under the service's master key. The participant's address is
 * the additional authenticated data, so a sealed key copied onto another participant's row does not open.
 * Layout: version (1 byte) | nonce (12) | tag (16) | ciphertext (32 for a key).
 */
export class KeyVault {
  private readonly masterKey: Buffer;

  constructor(masterKey: Uint8Array) {
    if (masterKey.byteLength !== 32) throw new Error("the custody master key must be 32 bytes");
    this.masterKey = Buffer.from(masterKey);
  }

  /** A new random signing key for a participant, sealed; the plain key never leaves this function. */
  createKey(): { address: string; sealed: Buffer } {
    const wallet = Wallet.createRandom();
    return { address: wallet.address, sealed: this.seal(wallet.privateKey, wallet.address) };
  }

  seal(privateKey: string, address: string): Buffer {
    return this.encrypt(VERSION, Buffer.from(privateKey.slice(2), "hex"), aad(address));
  }

  /** The signer for a sealed key; fails with CUSTODY.KEY_UNREADABLE if the key or master key is wrong. */
  open(sealed: Uint8Array, address: string): Wallet {
    try {
      const key = this.decrypt(VERSION, sealed, aad(address));
      const wallet = new Wallet(`0x${key.toString("hex")}`);
      if (wallet.address !== getAddress(address)) throw new Error("the key does not belong to this address");
      return wallet;
    } catch (error) {
      throw new DomainError(
        "CUSTODY.KEY_UNREADABLE",
        "internal",
        "A custodial key could not be opened (wrong CUSTODY_MASTER_KEY?)",
        { address },
        { cause: error },
      );
    }
  }

  /**
   * Seals another secret (e.g. a partner host's client secret) bound to `purpose`, so that it opens only for the
   * same purpose: a sealed secret copied to another row does not open.
   */
  sealSecret(secret: string, purpose: string): Buffer {
    return this.encrypt(SECRET_VERSION, Buffer.from(secret, "utf8"), Buffer.from(`secret:${purpose}`, "utf8"));
  }

  openSecret(sealed: Uint8Array, purpose: string): string {
    try {
      return this.decrypt(SECRET_VERSION, sealed, Buffer.from(`secret:${purpose}`, "utf8")).toString("utf8");
    } catch (error) {
      throw new DomainError(
        "CUSTODY.SECRET_UNREADABLE",
        "internal",
        "A sealed secret could not be opened (wrong CUSTODY_MASTER_KEY?)",
        { purpose },
        { cause: error },
      );
    }
  }

  private encrypt(version: number, plain: Buffer, additional: Buffer): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.masterKey, nonce);
    cipher.setAAD(additional);
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([version]), nonce, cipher.getAuthTag(), ciphertext]);
  }

  private decrypt(version: number, sealed: Uint8Array, additional: Buffer): Buffer {
    const bytes = Buffer.from(sealed);
    if (bytes[0] !== version) throw new Error(`unknown sealed version ${String(bytes[0])}`);
    const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
    const tag = bytes.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES);
    const decipher = createDecipheriv("aes-256-gcm", this.masterKey, nonce);
    decipher.setAAD(additional);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(bytes.subarray(1 + NONCE_BYTES + TAG_BYTES)), decipher.final()]);
  }
}

function aad(address: string): Buffer {
  return Buffer.from(getAddress(address), "utf8");
}
