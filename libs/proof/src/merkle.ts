import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { checksummed } from "./address.js";
import { hexBytes, toHex } from "./hex.js";
import { keccak256Bytes } from "./keccak.js";
import { digestOfEventHash } from "#epcis";

/**
 * Leaves bind a record to its signer: the StandardMerkleTree leaf of `(bytes32 digest, address signer)`,
 * `keccak256(keccak256(abi.encode(digest, signer)))`, exactly what TraceLedger.leafOf computes on chain. A record
 * is an event (digest: its CBV event hash's SHA-256) or an error declaration (digest: its id).
 */
export const LEAF_ENCODING = ["bytes32", "address"] as const;

export type LeafValue = [digest: string, signer: string];

export function leafValue(recordId: string, signer: string): LeafValue {
  return [recordDigest(recordId), checksummed(signer)];
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
export function leafHashOf(value: LeafValue): string {
  return toHex(leafBytesOf(value));
}

function leafBytesOf([digest, signer]: LeafValue): Uint8Array {
  const encoded = new Uint8Array(64);
  encoded.set(hexBytes(digest, 32), 0);
  encoded.set(hexBytes(signer, 20), 44); // an address is left-padded to 32 bytes: 12 zero bytes, then its 20
  return keccak256Bytes(keccak256Bytes(encoded));
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
  return buildTreeWithLeaves(values).tree;
}

/**
 * The batch's tree and each value's leaf hash (in the order of `values`): the same tree StandardMerkleTree.of
 * builds (leaves sorted by hash, placed from the end of the array; each node keccak256 of its two children in
 * sorted order, as OpenZeppelin's MerkleProof verifies), built on bytes with every leaf hashed once. The library's
 * own path ABI-encodes each leaf and converts every node to hex and back, several times what the hashing costs;
 * anchoring builds a tree per batch on the service's event loop. Tests hold both equal.
 */
export function buildTreeWithLeaves(values: readonly LeafValue[]): {
  tree: StandardMerkleTree<LeafValue>;
  leafHashes: string[];
} {
  if (values.length === 0) throw new Error("Expected non-zero number of leaves");
  const leaves = values.map(leafBytesOf);
  // Lowercase hex of equal length sorts as its bytes do; comparing strings is native, comparing bytes is a JS loop.
  const leafHashes = leaves.map(toHex);
  const order = leaves
    .map((_, index) => index)
    .sort((a, b) => compareHex(leafHashes[a] as string, leafHashes[b] as string));
  const nodes = new Array<Uint8Array>(2 * leaves.length - 1);
  const treeIndex = new Array<number>(values.length);
  order.forEach((valueIndex, position) => {
    const index = nodes.length - 1 - position;
    nodes[index] = leaves[valueIndex] as Uint8Array;
    treeIndex[valueIndex] = index;
  });
  for (let i = nodes.length - 1 - leaves.length; i >= 0; i--) {
    nodes[i] = nodeHash(nodes[2 * i + 1] as Uint8Array, nodes[2 * i + 2] as Uint8Array);
  }
  const tree = new LeafTree(
    nodes.map(toHex),
    values.map((value, i) => ({ value, treeIndex: treeIndex[i] ?? -1 })),
  );
  return { tree, leafHashes };
}

function nodeHash(a: Uint8Array, b: Uint8Array): Uint8Array {
  const pair = new Uint8Array(64);
  const [first, second] = compareBytes(a, b) <= 0 ? [a, b] : [b, a];
  pair.set(first, 0);
  pair.set(second, 32);
  return keccak256Bytes(pair);
}

function compareHex(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const difference = (a[i] as number) - (b[i] as number);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
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
