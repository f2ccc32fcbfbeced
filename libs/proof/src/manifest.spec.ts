import { describe, expect, it } from "@jest/globals";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { AbiCoder, keccak256, Wallet } from "ethers";
import { digestOfEventHash } from "#epcis";
import { buildBatch, canonicalBytes } from "./manifest.js";
import { leafHash, verifyLeafProof } from "./merkle.js";

const hash = (n: number): string => `ni:///sha-256;${n.toString(16).padStart(64, "0")}?ver=CBV2.0`;
const signer = Wallet.createRandom().address;
const events = [3, 1, 2].map((n) => ({ eventHash: hash(n), signer }));

describe("Merkle leaves", () => {
  it("are keccak256(keccak256(abi.encode(digest, signer))), as TraceLedger.leafOf computes them", () => {
    const inner = keccak256(
      AbiCoder.defaultAbiCoder().encode(["bytes32", "address"], [digestOfEventHash(hash(1)), signer]),
    );
    expect(leafHash(hash(1), signer)).toBe(keccak256(inner));
  });
});

describe("buildBatch", () => {
  it("is deterministic: the same events in any order give the same manifest bytes and root", () => {
    const a = buildBatch(31337n, signer, events);
    const b = buildBatch("31337", signer.toLowerCase(), [...events].reverse());
    expect(Buffer.from(canonicalBytes(a.manifest)).equals(Buffer.from(canonicalBytes(b.manifest)))).toBe(true);
    expect(a.root).toBe(b.root);
  });

  it("orders events by hash and gives each a proof to the root", () => {
    const batch = buildBatch(1n, signer, events);
    expect(batch.manifest.events.map((e) => e.eventHash)).toEqual([hash(1), hash(2), hash(3)]);
    for (const leaf of batch.leaves) {
      expect(leaf.leaf).toBe(leafHash(leaf.eventHash, signer));
      const value = batch.manifest.tree.values[leaf.leafIndex];
      expect(value?.value[0]).toBe(digestOfEventHash(leaf.eventHash));
    }
  });

  it("binds the leaf to the signer: another signer's proof does not verify", () => {
    const batch = buildBatch(1n, signer, events);
    const tree = StandardMerkleTree.load(batch.manifest.tree);
    const proof = tree.getProof(0);
    expect(verifyLeafProof(batch.root, hash(1), signer, proof)).toBe(true);
    expect(verifyLeafProof(batch.root, hash(1), Wallet.createRandom().address, proof)).toBe(false);
    expect(verifyLeafProof(batch.root, hash(9), signer, proof)).toBe(false);
  });
});

describe("canonicalBytes", () => {
  it("writes RFC 8785 JSON: sorted keys, no spaces", () => {
    expect(new TextDecoder().decode(canonicalBytes({ b: 1, a: [true, "x"] }))).toBe('{"a":[true,"x"],"b":1}');
  });
});
