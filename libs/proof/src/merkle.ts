import { SimpleMerkleTree, StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { concat, getAddress, keccak256, zeroPadValue } from "ethers";
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

/**
 * The StandardMerkleTree leaf of a value, keccak256(keccak256(abi.encode(digest, signer))), computed directly:
 * abi.encode of a bytes32 and an address is the digest followed by the address left-padded to 32 bytes. The
 * library's own path (a generic ABI encoder) costs far more per leaf, and anchoring and proof bundles hash every
 * leaf of a batch; tests hold both equal.
 */
export function leafHashOf([digest, signer]: LeafValue): string {
  return keccak256(keccak256(concat([digest, zeroPadValue(signer, 32)])));
}

export function leafHash(eventHash: string, signer: string): string {
  return leafHashOf(leafValue(eventHash, signer));
}

type TreeData = ReturnType<StandardMerkleTree<LeafValue>["dump"]>;

/** A StandardMerkleTree of LeafValues (same tree, dump and proofs) whose leaves are hashed by leafHashOf. */
class LeafTree extends StandardMerkleTree<LeafValue> {
  constructor(tree: string[], values: TreeData["values"]) {
    super(tree, values, [...LEAF_ENCODING]);
    // The library keeps the leaf hash function in this property; validate, getProof and leafHash call it.
    Object.defineProperty(this, "leafHash", { value: leafHashOf });
  }
}

/** The batch's tree: leaves sorted by hash, as StandardMerkleTree.of sorts them. */
export function buildTree(values: readonly LeafValue[]): StandardMerkleTree<LeafValue> {
  const simple = SimpleMerkleTree.of(values.map(leafHashOf)).dump();
  return new LeafTree(
    simple.tree,
    values.map((value, i) => ({ value, treeIndex: simple.values[i]?.treeIndex ?? -1 })),
  );
}

/** A tree from a manifest's dump, checked like StandardMerkleTree.load checks it (every leaf hashed again). */
export function loadTree(data: TreeData): StandardMerkleTree<LeafValue> {
  const { format } = data as { format: unknown };
  if (format !== "standard-v1") throw new Error(`Unknown format '${String(format)}'`);
  if (JSON.stringify(data.leafEncoding) !== JSON.stringify(LEAF_ENCODING)) {
    throw new Error(`Unexpected leaf encoding ${JSON.stringify(data.leafEncoding)}`);
  }
  const tree = new LeafTree(data.tree, data.values);
  tree.validate();
  return tree;
}

/** Whether `proof` leads from the leaf of (eventHash, signer) to `root`. */
export function verifyLeafProof(root: string, eventHash: string, signer: string, proof: readonly string[]): boolean {
  try {
    return StandardMerkleTree.verify(root, [...LEAF_ENCODING], leafValue(eventHash, signer), [...proof]);
  } catch {
    return false;
  }
}
