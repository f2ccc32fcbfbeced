import { getAddress, JsonRpcProvider, type Provider } from "ethers";
import { OffsetRegistry__factory, TraceLedger__factory } from "./contracts.js";
import type { RetiredOnLedger } from "#proof";

/**
 * Reads what a verifier needs from TraceLedger (anchors, role history, attestations) and OffsetRegistry
 * (retirements). Structurally the LedgerReader of libs/proof; works in Node and in the browser (any
 * EIP-1193/JSON-RPC endpoint).
 */
export interface TraceLedgerReader {
  chainId(): Promise<bigint>;
  anchorOf(root: string): Promise<{ batchId: bigint; blockNumber: bigint; anchoredAt: bigint }>;
  hadRoleAt(role: string, account: string, timestamp: bigint): Promise<boolean>;
  attestationsOf(subject: string): Promise<Array<{ certifier: string; statementHash: string }>>;
  retirementsIn(registry: string, txHash: string): Promise<RetiredOnLedger[]>;
}

const OFFSET_REGISTRY = OffsetRegistry__factory.createInterface();

/** The CreditsRetired events `registry` emitted in the transaction `txHash` (none if it does not exist). */
async function retirementsIn(provider: Provider, registry: string, txHash: string): Promise<RetiredOnLedger[]> {
  const receipt = await provider.getTransactionReceipt(txHash);
  if (receipt === null || receipt.status !== 1) return [];
  const logs: RetiredOnLedger[] = [];
  for (const log of receipt.logs) {
    if (getAddress(log.address) !== getAddress(registry)) continue;
    const parsed = OFFSET_REGISTRY.parseLog(log);
    if (parsed?.name !== "CreditsRetired") continue;
    const retirement = parsed.args.getValue("retirement") as {
      registry: string;
      serialBlock: string;
      projectId: string;
      vintage: bigint;
      firstSerial: bigint;
      lastSerial: bigint;
      beneficiary: string;
    };
    logs.push({
      retirementId: parsed.args.getValue("retirementId") as bigint,
      lotKey: parsed.args.getValue("lotId") as string,
      registry: retirement.registry,
      serialBlock: retirement.serialBlock,
      projectId: retirement.projectId,
      vintage: retirement.vintage,
      firstSerial: retirement.firstSerial,
      lastSerial: retirement.lastSerial,
      beneficiary: retirement.beneficiary,
      quantityKg: parsed.args.getValue("quantityKg") as bigint,
      blockNumber: BigInt(receipt.blockNumber),
    });
  }
  return logs;
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
    retirementsIn: (registry, txHash) => retirementsIn(provider, registry, txHash),
  };
}

/** A reader over a JSON-RPC URL (e.g. a public RPC of the chain). */
export function rpcLedgerReader(rpcUrl: string, traceLedger: string): TraceLedgerReader {
  return traceLedgerReader(new JsonRpcProvider(rpcUrl, undefined, { batchMaxCount: 1 }), traceLedger);
}
