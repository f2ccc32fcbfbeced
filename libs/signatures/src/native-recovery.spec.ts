import { describe, expect, it } from "@jest/globals";
import { hexlify, randomBytes, recoverAddress, toBeHex, Wallet, type Signature } from "ethers";
import { nativeSignerRecovery } from "./native-recovery.js";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const native = nativeSignerRecovery();

/** What a recovery answers: the address, or that it refused. */
function outcome(recover: (digest: string, signature: string) => string, digest: string, signature: string): string {
  try {
    return recover(digest, signature);
  } catch {
    return "refused";
  }
}

function signed(): { wallet: Wallet; digest: string; signature: Signature } {
  const wallet = new Wallet(hexlify(randomBytes(32)));
  const digest = hexlify(randomBytes(32));
  return { wallet, digest, signature: wallet.signingKey.sign(digest) };
}

describe("native secp256k1 signer recovery", () => {
  it("loads the prebuilt binary on this platform", () => {
    expect(native).toBeDefined();
  });

  it("recovers the same address as ethers for 200 random keys and digests", () => {
    if (native === undefined) throw new Error("no native binding");
    for (let i = 0; i < 200; i += 1) {
      const { wallet, digest, signature } = signed();
      expect(native(digest, signature.serialized)).toBe(wallet.address);
      expect(native(digest, signature.serialized)).toBe(recoverAddress(digest, signature.serialized));
    }
  });

  it("accepts v as 27/28 and as 0/1, and the 64-byte compact form, like ethers", () => {
    if (native === undefined) throw new Error("no native binding");
    const { wallet, digest, signature } = signed();
    const rs = `${signature.r}${signature.s.slice(2)}`;
    const forms = [
      signature.serialized,
      `${rs}${toBeHex(signature.yParity, 1).slice(2)}`, // v = 0 / 1
      signature.compactSerialized,
    ];
    for (const form of forms) {
      expect(outcome(native, digest, form)).toBe(wallet.address);
      expect(outcome(native, digest, form)).toBe(outcome(recoverAddress, digest, form));
    }
  });

  it("refuses what ethers refuses: the high-s twin, malformed bytes, r or s out of range, a short digest", () => {
    if (native === undefined) throw new Error("no native binding");
    const { digest, signature } = signed();
    const highS = toBeHex(N - BigInt(signature.s), 32);
    const twin = `${signature.r}${highS.slice(2)}${(signature.v === 27 ? 28 : 27).toString(16)}`;
    const zeroR = `0x${"00".repeat(32)}${signature.s.slice(2)}1b`;
    const rTooBig = `${toBeHex(N + 1n, 32)}${signature.s.slice(2)}1b`;
    const cases: Array<[string, string]> = [
      [digest, twin],
      [digest, "0x1234"],
      [digest, `${signature.serialized}00`],
      [digest, `${signature.serialized.slice(0, -2)}1d`], // v = 29
      [digest, zeroR],
      [digest, rTooBig],
      ["0x1234", signature.serialized],
    ];
    for (const [d, s] of cases) {
      expect(outcome(recoverAddress, d, s)).toBe("refused");
      expect(outcome(native, d, s)).toBe("refused");
    }
  });

  it("answers another address (not an error) for a valid signature over another digest, like ethers", () => {
    if (native === undefined) throw new Error("no native binding");
    const { wallet, signature } = signed();
    const other = hexlify(randomBytes(32));
    const recovered = outcome(native, other, signature.serialized);
    expect(recovered).toBe(outcome(recoverAddress, other, signature.serialized));
    expect(recovered).not.toBe(wallet.address);
  });
});
