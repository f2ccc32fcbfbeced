import { getAddress, Interface } from "ethers";
import type { LedgerReader, RetiredOnLedger } from "#proof";

/** OffsetRegistry's retirement event, read from transaction receipts. */
const OFFSET_REGISTRY = new Interface([
  "event CreditsRetired(uint256 indexed retirementId, bytes32 indexed lotId, bytes32 indexed blockKey, tuple(string registry, string serialBlock, string projectId, uint16 vintage, uint256 firstSerial, uint256 lastSerial, bytes32 lotId, string beneficiary) retirement, uint256 quantityKg, address retiredBy)",
]);

interface ReceiptLog {
  readonly address: string;
  readonly topics: string[];
  readonly data: string;
}

/** The four TraceLedger views a verifier reads; a full provider and the contract's whole ABI would triple the page's script. */
const TRACE_LEDGER = new Interface([
  "function anchorOf(bytes32 root) view returns (tuple(uint64 batchId, uint64 leafCount, uint64 anchoredAt, uint64 blockNumber))",
  "function hadRoleAt(bytes32 role, address account, uint64 timestamp) view returns (bool)",
  "function attestationsOf(bytes32 subject) view returns (tuple(address certifier, bytes32 statementHash, uint8 verdict, uint64 attestedAt)[])",
]);

interface RpcAnswer<T> {
  readonly id?: number;
  readonly result?: T | null;
  readonly error?: { message?: string };
}

interface Queued {
  readonly id: number;
  readonly method: string;
  readonly params: unknown[];
  readonly resolve: (answer: RpcAnswer<unknown>) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A LedgerReader over plain JSON-RPC `fetch` calls to a public RPC URL of the chain. Calls made together (the
 * verifier asks for all its reads at once) go out as one JSON-RPC batch: one round trip, one CORS preflight, on a
 * slow mobile network too. A server that refuses batches is asked one call at a time.
 */
export function fetchLedgerReader(rpcUrl: string, traceLedger: string): LedgerReader {
  let nextId = 1;
  let queue: Queued[] = [];
  const post = async (body: unknown): Promise<{ response: Response; json: unknown }> => {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { response, json: (await response.json()) as unknown };
  };
  const sendOne = async (call: Queued): Promise<void> => {
    const { json } = await post({ jsonrpc: "2.0", id: call.id, method: call.method, params: call.params });
    call.resolve(json as RpcAnswer<unknown>);
  };
  const flush = async (): Promise<void> => {
    const calls = queue;
    queue = [];
    try {
      if (calls.length === 1 && calls[0] !== undefined) {
        await sendOne(calls[0]);
        return;
      }
      const { json } = await post(
        calls.map((call) => ({ jsonrpc: "2.0", id: call.id, method: call.method, params: call.params })),
      );
      if (!Array.isArray(json)) {
        await Promise.all(calls.map(sendOne));
        return;
      }
      const answers = new Map((json as RpcAnswer<unknown>[]).map((answer) => [answer.id, answer]));
      for (const call of calls) call.resolve(answers.get(call.id) ?? { error: { message: "no answer in the batch" } });
    } catch (error) {
      for (const call of calls) call.reject(error);
    }
  };
  const request = async <T>(method: string, params: unknown[]): Promise<T | null> => {
    const answer = await new Promise<RpcAnswer<unknown>>((resolve, reject) => {
      queue.push({ id: nextId++, method, params, resolve, reject });
      if (queue.length === 1) setTimeout(() => void flush(), 0);
    });
    if (answer.result === undefined) throw new Error(`${method}: ${answer.error?.message ?? "no result"}`);
    return answer.result as T | null;
  };
  const rpc = async (method: string, params: unknown[]): Promise<string> => {
    const result = await request<string>(method, params);
    if (result === null) throw new Error(`${method}: no result`);
    return result;
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
    retirementsIn: async (registry, txHash) => {
      const receipt = await request<{ status: string; blockNumber: string; logs: ReceiptLog[] }>(
        "eth_getTransactionReceipt",
        [txHash],
      );
      if (receipt === null || BigInt(receipt.status) !== 1n) return [];
      return receipt.logs
        .filter((log) => getAddress(log.address) === getAddress(registry))
        .map((log) => retirementOf(log, BigInt(receipt.blockNumber)))
        .filter((found): found is RetiredOnLedger => found !== undefined);
    },
  };
}

function retirementOf(log: ReceiptLog, blockNumber: bigint): RetiredOnLedger | undefined {
  const parsed = OFFSET_REGISTRY.parseLog(log);
  if (parsed === null) return undefined;
  const retirement = parsed.args.getValue("retirement") as {
    registry: string;
    serialBlock: string;
    projectId: string;
    vintage: bigint;
    firstSerial: bigint;
    lastSerial: bigint;
    beneficiary: string;
  };
  return {
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
    blockNumber,
  };
}
