import { describe, expect, it } from "@jest/globals";
import { keccak_256 } from "@noble/hashes/sha3";
import { keccak256 } from "ethers";
import { keccak256Bytes } from "./keccak.js";
import { toHex } from "./hex.js";

describe("keccak256Bytes", () => {
  it("is keccak256 (not SHA3-256): the empty input's known digest", () => {
    expect(toHex(keccak256Bytes(new Uint8Array(0)))).toBe(
      "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    );
  });

  it("equals @noble/hashes and ethers on every length around the 136-byte block, and on large inputs", () => {
    const lengths = [...Array.from({ length: 300 }, (_, n) => n), 1_000, 65_537];
    for (const length of lengths) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 0xff);
      const ours = toHex(keccak256Bytes(data));
      expect(ours).toBe(toHex(keccak_256(data)));
      expect(ours).toBe(keccak256(data));
    }
  });

  it("reads only the view it is given (a subarray of a larger buffer)", () => {
    const buffer = Uint8Array.from({ length: 100 }, (_, i) => i);
    const view = buffer.subarray(10, 74);
    expect(toHex(keccak256Bytes(view))).toBe(toHex(keccak_256(Uint8Array.from(view))));
  });
});
