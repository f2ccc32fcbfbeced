import { randomBytes } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { Wallet } from "ethers";
import { issueApiKey, parseApiKey, secretMatches, tokenMatches } from "./api-keys.js";
import { KeyVault } from "./key-vault.js";

describe("KeyVault", () => {
  const vault = new KeyVault(randomBytes(32));

  it("creates a key whose sealed form opens to the same address", () => {
    const { address, sealed } = vault.createKey();
    expect(sealed.byteLength).toBe(1 + 12 + 16 + 32);
    expect(vault.open(sealed, address).address).toBe(address);
  });

  it("never stores the key in the clear", () => {
    const wallet = Wallet.createRandom();
    const sealed = vault.seal(wallet.privateKey, wallet.address);
    expect(sealed.toString("hex")).not.toContain(wallet.privateKey.slice(2));
  });

  it("refuses a sealed key moved to another participant's address", () => {
    const a = vault.createKey();
    const b = vault.createKey();
    expect(() => vault.open(a.sealed, b.address)).toThrow(expect.objectContaining({ code: "CUSTODY.KEY_UNREADABLE" }));
  });

  it("refuses to open with another master key, or a tampered ciphertext", () => {
    const { address, sealed } = vault.createKey();
    expect(() => new KeyVault(randomBytes(32)).open(sealed, address)).toThrow(
      expect.objectContaining({ code: "CUSTODY.KEY_UNREADABLE" }),
    );
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(() => vault.open(tampered, address)).toThrow(expect.objectContaining({ code: "CUSTODY.KEY_UNREADABLE" }));
  });

  it("seals other secrets for one purpose: they open for that purpose only, and not as keys", () => {
    const vault = new KeyVault(randomBytes(32));
    const sealed = vault.sealSecret("partner-secret", "pact-callback:https://a.example");
    expect(vault.openSecret(sealed, "pact-callback:https://a.example")).toBe("partner-secret");
    expect(sealed.includes(Buffer.from("partner-secret"))).toBe(false);
    expect(() => vault.openSecret(sealed, "pact-callback:https://b.example")).toThrow(
      expect.objectContaining({ code: "CUSTODY.SECRET_UNREADABLE" }),
    );
    expect(() => new KeyVault(randomBytes(32)).openSecret(sealed, "pact-callback:https://a.example")).toThrow(
      expect.objectContaining({ code: "CUSTODY.SECRET_UNREADABLE" }),
    );
    expect(() => vault.open(sealed, Wallet.createRandom().address)).toThrow(
      expect.objectContaining({ code: "CUSTODY.KEY_UNREADABLE" }),
    );
  });

  it("requires a 32-byte master key", () => {
    expect(() => new KeyVault(randomBytes(16))).toThrow("32 bytes");
  });
});

describe("API keys", () => {
  it("issues keys that parse and match only their own secret", () => {
    const key = issueApiKey();
    const parsed = parseApiKey(key.token);
    expect(parsed?.id).toBe(key.id);
    expect(secretMatches(parsed?.secret ?? "", key.secretSha256)).toBe(true);
    expect(secretMatches(issueApiKey().token.slice(-43), key.secretSha256)).toBe(false);
  });

  it("rejects malformed tokens", () => {
    for (const token of ["", "ctk_", "ctk_zz_abc", `Bearer ${issueApiKey().token}`]) {
      expect(parseApiKey(token)).toBeUndefined();
    }
  });

  it("compares configured tokens in constant time", () => {
    expect(tokenMatches("admin-secret", "admin-secret")).toBe(true);
    expect(tokenMatches("admin-secreT", "admin-secret")).toBe(false);
  });
});
