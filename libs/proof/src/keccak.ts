import jsSha3 from "js-sha3";

/**
 * keccak256 of bytes, as bytes: the hash of the hot paths (each captured event's EIP-712 digest and signer
 * address, each anchored leaf and tree node; about six per event). js-sha3 rather than @noble/hashes there: on
 * this project's machines it takes 4–5 µs per 64-byte input against noble's 9–10 µs. Both are plain JavaScript,
 * so the browser bundle and the CLI run it too; tests hold it equal to noble's on every length around the
 * sponge's block size.
 */
export function keccak256Bytes(data: Uint8Array): Uint8Array {
  return new Uint8Array(jsSha3.keccak256.arrayBuffer(data));
}
