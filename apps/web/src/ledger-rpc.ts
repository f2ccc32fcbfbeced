import { Interface } from "ethers";
import type { LedgerReader } from "#proof";

/** The four TraceLedger views a verifier reads; a full provider and the contract's whole ABI would triple the page's script. */
const TRACE_LEDGER = new Interface([
  "function anchorOf(bytes32 root) view returns (tuple(uint64 batchId, uint64 leafCount, uint64 anchoredAt, uint64 blockNumber))",
  "function hadRoleAt(bytes32 role, address account, uint64 timestamp) view returns (bool)",
  "function attestationsOf(bytes32 subject) view returns (tuple(address certifier, bytes32 statementHash, uint8 verdict, uint64 attestedAt)[])",
]);

/** A LedgerReader over plain JSON-RPC `fetch` calls to a public RPC URL of the chain. */
export function fetchLedgerReader(rpcUrl: string, traceLedger: string): LedgerReader {
  let nextId = 1;
  const rpc = async (method: string, params: unknown[]): Promise<string> => {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
    });
    const body = (await response.json()) as { result?: string; error?: { message?: string } };
    if (body.result === undefined) throw new Error(`${method}: ${body.error?.message ?? response.statusText}`);
    return body.result;
  };
  const call = async (name: string, args: unknown[]) => {
    const data = TRACE_LEDGER.encodeFunctionData(name, args);
    return TRACE_LEDGER.decodeFunctionResult(name, await rpc("eth_call", [{ to: traceLedger, data }, "latest"]));
  };
  return {
    chainId: async () => BigInt(await rpc("eth_chainId", [])),
    anchorOf: async (root) => {
      const anchor = (await call("anchorOf", [root]))[0] as {
        batchId: bigint;
        blockNumber: bigint;
        anchoredAt: bigint;
      };
      return { batchId: anchor.batchId, blockNumber: anchor.blockNumber, anchoredAt: anchor.anchoredAt };
    },
    hadRoleAt: async (role, account, timestamp) => Boolean((await call("hadRoleAt", [role, account, timestamp]))[0]),
    attestationsOf: async (subject) => {
      const [list] = await call("attestationsOf", [subject]);
      return (list as Array<{ certifier: string; statementHash: string }>).map((a) => ({
        certifier: a.certifier,
        statementHash: a.statementHash,
      }));
    },
  };
}
