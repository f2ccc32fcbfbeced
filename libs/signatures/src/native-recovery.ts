import { createRequire } from "node:module";
import { Signature } from "ethers";
import { checksummed, keccak256Bytes, type DigestSignerRecovery } from "#proof";

/** The part of the `secp256k1` package's native binding (libsecp256k1) used here. */
interface Secp256k1Binding {
  ecdsaRecover(signature: Uint8Array, recoveryId: number, message: Uint8Array, compressed: boolean): Uint8Array;
}

/**
 * Public-key recovery in libsecp256k1 (the `secp256k1` package's prebuilt binary): the same answers as ethers'
 * JavaScript recovery, about two orders of magnitude faster, which is most of what capturing a signed event
 * costs. The signature is parsed by ethers first, so exactly the same forms are accepted (v = 27/28 or 0/1,
 * 64-byte compact) and refused (malformed, non-canonical s). Undefined when the binary cannot load on this
 * platform: callers fall back to ethers. The package's own JavaScript fallback (elliptic) is never used.
 */
export function nativeSignerRecovery(): DigestSignerRecovery | undefined {
  const binding = loadBinding();
  if (binding === undefined) return undefined;
  return (digest, signature) => {
    const parsed = Signature.from(signature);
    if (!DIGEST.test(digest)) throw new Error("a digest is 32 bytes of 0x-hex");
    // Buffer's hex codec rather than ethers' getBytes/concat: this runs once per signed event captured.
    const compact = Buffer.from(`${parsed.r.slice(2)}${parsed.s.slice(2)}`, "hex");
    const publicKey = binding.ecdsaRecover(compact, parsed.yParity, Buffer.from(digest.slice(2), "hex"), false);
    // The address is the last 20 bytes of keccak256 of the uncompressed key without its 0x04 prefix.
    return checksummed(`0x${Buffer.from(keccak256Bytes(publicKey.subarray(1)).subarray(12)).toString("hex")}`);
  };
}

const DIGEST = /^0x[0-9a-fA-F]{64}$/;

function loadBinding(): Secp256k1Binding | undefined {
  try {
    return createRequire(import.meta.url)("secp256k1/bindings") as Secp256k1Binding;
  } catch {
    return undefined;
  }
}
