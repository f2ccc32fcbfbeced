import { randomBytes } from "node:crypto";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getProof, makeMerkleTree } from "@openzeppelin/merkle-tree/dist/core.js";
import { concat, keccak256, zeroPadValue } from "ethers";
import { progress } from "./progress.js";

/**
 * Merkle proof size per event (bytes: 32 per sibling) for 1k, 100k and 1M leaves. 1k uses StandardMerkleTree
 * itself; the larger trees use its core (same layout and node hashing) over leaves hashed the same way but
 * without ABI-encoding overhead, which is what makes StandardMerkleTree.of slow at that scale.
 */
export function measureProofSizes(): {
  bytesPerEvent: Record<"1000" | "100000" | "1000000", number>;
  proofLength: Record<string, number>;
} {
  const bytesPerEvent = {} as Record<"1000" | "100000" | "1000000", number>;
  const proofLength: Record<string, number> = {};
  {
    const values = Array.from({ length: 1000 }, () => [
      `0x${randomBytes(32).toString("hex")}`,
      `0x${randomBytes(20).toString("hex")}`,
    ]);
    const tree = StandardMerkleTree.of(values, ["bytes32", "address"]);
    const lengths = [0, 499, 999].map((i) => tree.getProof(i).length);
    proofLength["1000"] = Math.max(...lengths);
    bytesPerEvent["1000"] = 32 * Math.max(...lengths);
  }
  for (const n of [100_000, 1_000_000] as const) {
    progress(`proof size: building a tree of ${n.toLocaleString("en")} leaves`);
    const leaves = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const encoded = concat([randomBytes(32), zeroPadValue(randomBytes(20), 32)]);
      leaves[i] = keccak256(keccak256(encoded));
    }
    leaves.sort();
    const tree = makeMerkleTree(leaves);
    const lengths = [0, Math.floor(n / 2), n - 1].map((i) => getProof(tree, tree.length - 1 - i).length);
    proofLength[String(n)] = Math.max(...lengths);
    bytesPerEvent[String(n) as "100000" | "1000000"] = 32 * Math.max(...lengths);
  }
  return { bytesPerEvent, proofLength };
}
