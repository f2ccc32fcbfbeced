import { bytesToHex, hexToBytes } from "@noble/hashes/utils";

/** Bytes as 0x-prefixed lowercase hex (what ethers' hexlify gives, without its checks of input we made). */
export function toHex(bytes: Uint8Array): string {
  return `0x${bytesToHex(bytes)}`;
}

/** Exactly `length` bytes of 0x-hex, or an error (a manifest's values are checked, not trusted). */
export function hexBytes(hex: string, length: number): Uint8Array {
  if (hex.length !== 2 + 2 * length || !hex.startsWith("0x")) {
    throw new Error(`expected ${String(length)} bytes of 0x-hex, got ${JSON.stringify(hex)}`);
  }
  return hexToBytes(hex.slice(2));
}
