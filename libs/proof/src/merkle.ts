import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress } from "ethers";
import { digestOfEventHash } from "#epcis";

/**
 * Leaves bind a record to its signer: the StandardMerkleTree leaf of `(bytes32 digest, address signer)`,
 * `keccak256(keccak256(abi.encode(digest, signer)))`, exactly what TraceLedger.leafOf computes on chain. A record
 * is an event (digest: its CBV event hash's SHA-256) or an error declaration (digest: its id).
 */
export const LEAF_ENCODING = ["bytes32", "address"] as const;

export type LeafValue = [digest: string, signer: string];

export function leafValue(recordId: string, signer: string): LeafValue {
  return [recordDigest(recordId), getAddress(signer)];
}

/** The bytes32 a record is anchored as: an event hash's digest, or an error declaration's id as it is. */
export function recordDigest(recordId: string): string {
  return /^0x[0-9a-fA-F]{64}$/.test(recordId) ? recordId.toLowerCase() : digestOfEventHash(recordId);
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
