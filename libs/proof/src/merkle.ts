import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress } from "ethers";
import { digestOfEventHash } from "#epcis";

/**
 * Leaves bind an event to its signer: the StandardMerkleTree leaf of `(bytes32 eventDigest, address signer)`,
 * `keccak256(keccak256(abi.encode(digest, signer)))`, exactly what TraceLedger.leafOf computes on chain.
 */
export const LEAF_ENCODING = ["bytes32", "address"] as const;

export type LeafValue = [digest: string, signer: string];

export function leafValue(eventHash: string, signer: string): LeafValue {
  return [digestOfEventHash(eventHash), getAddress(signer)];
}

export function leafHash(eventHash: string, signer: string): string {
  return StandardMerkleTree.of([leafValue(eventHash, signer)], [...LEAF_ENCODING]).leafHash(
    leafValue(eventHash, signer),
  );
}

export function buildTree(values: readonly LeafValue[]): StandardMerkleTree<LeafValue> {
  return StandardMerkleTree.of([...values], [...LEAF_ENCODING]);
}

/** Whether `proof` leads from the leaf of (eventHash, signer) to `root`. */
export function verifyLeafProof(root: string, eventHash: string, signer: string, proof: readonly string[]): boolean {
  try {
    return StandardMerkleTree.verify(root, [...LEAF_ENCODING], leafValue(eventHash, signer), [...proof]);
  } catch {
    return false;
  }
}
