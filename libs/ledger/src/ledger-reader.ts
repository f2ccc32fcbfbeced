import { JsonRpcProvider, type Provider } from "ethers";
import { TraceLedger__factory } from "./contracts.js";

/**
 * Reads what a verifier needs from TraceLedger: anchors, role history, attestations. Structurally the
 * LedgerReader of libs/proof; works in Node and in the browser (any EIP-1193/JSON-RPC endpoint).
 */
export interface TraceLedgerReader {
  chainId(): Promise<bigint>;
  anchorOf(root: string): Promise<{ batchId: bigint; blockNumber: bigint; anchoredAt: bigint }>;
  hadRoleAt(role: string, account: string, timestamp: bigint): Promise<boolean>;
  attestationsOf(subject: string): Promise<Array<{ certifier: string; statementHash: string }>>;
}

export function traceLedgerReader(provider: Provider, traceLedger: string): TraceLedgerReader {
  const contract = TraceLedger__factory.connect(traceLedger, provider);
  return {
    chainId: async () => (await provider.getNetwork()).chainId,
    anchorOf: async (root) => {
      const anchor = await contract.anchorOf(root);
      return { batchId: anchor.batchId, blockNumber: anchor.blockNumber, anchoredAt: anchor.anchoredAt };
    },
    hadRoleAt: (role, account, timestamp) => contract.hadRoleAt(role, account, timestamp),
    attestationsOf: async (subject) =>
      (await contract.attestationsOf(subject)).map((a) => ({ certifier: a.certifier, statementHash: a.statementHash })),
  };
}

/** A reader over a JSON-RPC URL (e.g. a public RPC of the chain). */
export function rpcLedgerReader(rpcUrl: string, traceLedger: string): TraceLedgerReader {
  return traceLedgerReader(new JsonRpcProvider(rpcUrl, undefined, { batchMaxCount: 1 }), traceLedger);
}
