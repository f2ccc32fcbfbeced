import { describe, expect, it } from "@jest/globals";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, hexlify, randomBytes } from "ethers";
import {
  buildTree,
  buildTreeWithLeaves,
  LEAF_ENCODING,
  leafHashOf,
  loadTree,
  verifyLeafProof,
  type LeafValue,
} from "./merkle.js";

function values(count: number): LeafValue[] {
  return Array.from({ length: count }, () => [hexlify(randomBytes(32)), getAddress(hexlify(randomBytes(20)))]);
}

describe("the batch Merkle tree", () => {
  it.each([1, 2, 3, 17, 200])(
    "is StandardMerkleTree.of's tree for %i leaves: same dump, root, leaf hashes and proofs",
    (count) => {
      const leaves = values(count);
      const ours = buildTree(leaves);
      const { leafHashes } = buildTreeWithLeaves(leaves);
      const reference = StandardMerkleTree.of(leaves, [...LEAF_ENCODING]);
      expect(ours.dump()).toEqual(reference.dump());
      expect(ours.root).toBe(reference.root);
      leaves.forEach((leaf, i) => {
        expect(leafHashOf(leaf)).toBe(reference.leafHash(leaf));
        expect(leafHashes[i]).toBe(reference.leafHash(leaf));
        expect(ours.getProof(i)).toEqual(reference.getProof(i));
        expect(verifyLeafProof(ours.root, leaf[0], leaf[1], ours.getProof(i))).toBe(true);
      });
    },
  );

  it("places equal leaves as StandardMerkleTree.of does (the same record twice)", () => {
    const [one, two] = values(2) as [LeafValue, LeafValue];
    const leaves = [one, two, one, two, one];
    expect(buildTree(leaves).dump()).toEqual(StandardMerkleTree.of(leaves, [...LEAF_ENCODING]).dump());
  });

  it("loads a dump as StandardMerkleTree.load does, and refuses one whose values were changed", () => {
    const leaves = values(9);
    const dump = StandardMerkleTree.of(leaves, [...LEAF_ENCODING]).dump();
    const loaded = loadTree(dump);
    const reference = StandardMerkleTree.load(dump);
    leaves.forEach((_, i) => expect(loaded.getProof(i)).toEqual(reference.getProof(i)));

    const [first, ...rest] = dump.values;
    if (first === undefined) throw new Error("empty dump");
    const tampered = { ...dump, values: [{ ...first, value: values(1)[0] as LeafValue }, ...rest] };
    expect(() => loadTree(tampered)).toThrow();
    expect(() => StandardMerkleTree.load(tampered)).toThrow();
    expect(() => loadTree({ ...dump, leafEncoding: ["bytes32", "bytes32"] })).toThrow(/leaf encoding/);
  });
});
