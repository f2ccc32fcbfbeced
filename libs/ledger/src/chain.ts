import { FetchRequest, JsonRpcProvider, Network, WebSocketProvider, Wallet, type JsonRpcApiProvider } from "ethers";
import { DomainError } from "#common";
import { toChainError } from "./chain-errors.js";
import { SerialSigner } from "./serial-signer.js";

/** A provider bound to one chain and the service account that signs on it. */
export interface ChainConnection {
  readonly chainId: bigint;
  readonly provider: JsonRpcApiProvider;
  readonly wallet: Wallet;
  /** The only sender of the service account's transactions: serial, nonce from the node. */
  readonly signer: SerialSigner;
  readonly rpcUrl: string;
  close(): Promise<void>;
}

/**
 * Connects to an EVM node. The chain id is read once with a plain request and then fixed, so an unreachable
 * node fails fast with CHAIN.UNAVAILABLE instead of ethers retrying network detection forever.
 */
export interface ChainOptions {
  /** Runs after each transaction the service account sends, with its hash (the embedded chain writes its state). */
  readonly afterSend?: (txHash: string) => Promise<void>;
}

export async function connectChain(
  rpcUrl: string,
  privateKey: string,
  options: ChainOptions = {},
): Promise<ChainConnection> {
  const chainId = await readChainId(rpcUrl);
  const network = Network.from(chainId);
  const provider: JsonRpcApiProvider = rpcUrl.startsWith("ws")
    ? new WebSocketProvider(rpcUrl, network)
    : new JsonRpcProvider(rpcRequest(rpcUrl), network, {
        staticNetwork: network,
        pollingInterval: 250,
        batchMaxCount: 1,
        // No 250 ms response cache: a block number read right after a receipt must not be stale.
        cacheTimeout: -1,
      });
  const wallet = new Wallet(privateKey, provider);
  return {
    chainId,
    provider,
    wallet,
    signer: new SerialSigner(wallet, provider, options.afterSend),
    rpcUrl,
    close: () => {
      provider.destroy();
      return Promise.resolve();
    },
  };
}

/**
 * Each JSON-RPC request gives up after this long (ethers' default is five minutes): a stalled node then fails the
 * call as CHAIN.UNAVAILABLE, and the anchoring worker tries again, instead of blocking for the whole stall.
 */
export const RPC_TIMEOUT_MS = 15_000;

function rpcRequest(rpcUrl: string): FetchRequest {
  const request = new FetchRequest(rpcUrl);
  request.timeout = RPC_TIMEOUT_MS;
  return request;
}

export async function readChainId(rpcUrl: string): Promise<bigint> {
  if (rpcUrl.startsWith("ws")) {
    const probe = new WebSocketProvider(rpcUrl);
    try {
      return (await probe.getNetwork()).chainId;
    } catch (error) {
      throw toChainError(error);
    } finally {
      await probe.destroy();
    }
  }
  const request = new FetchRequest(rpcUrl);
  request.timeout = 10_000;
  request.body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] });
  request.setHeader("content-type", "application/json");
  try {
    const response = await request.send();
    response.assertOk();
    const body = response.bodyJson as { result?: string };
    if (typeof body.result !== "string") throw new Error("no result");
    return BigInt(body.result);
  } catch (error) {
    throw new DomainError(
      "CHAIN.UNAVAILABLE",
      "unavailable",
      `No EVM node answered eth_chainId at ${new URL(rpcUrl).origin}`,
      {},
      { cause: error },
    );
  }
}
