import { AbiCoder, keccak256, type ContractTransaction } from "ethers";
import { offsetLotKey } from "#offsets";
import { toChainError } from "./chain-errors.js";
import type { OffsetRegistry } from "./contracts.js";

/** A serial range to retire for a lot, as OffsetRegistry takes it. */
export interface CreditRetirement {
  readonly registry: string;
  readonly serialBlock: string;
  readonly projectId: string;
  readonly vintage: number;
  readonly firstSerial: bigint;
  readonly lastSerial: bigint;
  /** The lot's identifier (its GS1 Digital Link URI); the chain stores keccak256 of it. */
  readonly lot: string;
  readonly beneficiary: string;
}

export interface RetiredOnChain {
  readonly retirementId: number;
  readonly txHash: string;
  readonly blockNumber: number;
}

/** The key OffsetRegistry files a registry's serial block under. */
export function creditBlockKey(registry: string, serialBlock: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["string", "string"], [registry, serialBlock]));
}

/**
 * Hosted RPC nodes refuse log queries over long block ranges (10,000 blocks is a common limit): logs are read in
 * pages of this many blocks.
 */
export const LOG_PAGE_BLOCKS = 10_000;

/** Where the registry's logs can be: from its deployment block (no retirement is older), read in pages. */
export interface LogSearch {
  readonly fromBlock?: number;
  readonly pageBlocks?: number;
}

/**
 * Retires the range on OffsetRegistry, or finds it already retired for this lot (a send whose answer was lost,
 * or an earlier send mined while this one waited): retrying is always safe. A range retired for anything else
 * surfaces as CHAIN.OffsetRegistryRangeOverlaps.
 */
export async function retireCredits(
  registry: OffsetRegistry,
  retirement: CreditRetirement,
  logs: LogSearch = {},
): Promise<RetiredOnChain> {
  const found = await findRetirement(registry, retirement, logs);
  if (found !== undefined) return found;
  try {
    return await retireNow(registry, retirement);
  } catch (error) {
    // Whatever this send ran into (typically RangeOverlaps, or a revert on mining), if the chain now has exactly
    // this range retired for this lot, an earlier send of the same retirement was mined meanwhile: done.
    const mined = await findRetirement(registry, retirement, logs).catch(() => undefined);
    if (mined === undefined) throw error;
    return mined;
  }
}

/** How many times a retirement is tried with a fresh hint (see sendRetirement). */
const HINT_ATTEMPTS = 8;

/**
 * Sends the retirement through `send` (which signs, estimates and broadcasts it) with the registry's current
 * hint. A hint made stale by a concurrent retirement in the same block is refused by the contract (at estimation,
 * before anything is sent): ask again. Each refusal means another retirement of the block was mined meanwhile,
 * so a few attempts cover as many retirements of one block at once (several instances, a burst of requests).
 */
export async function sendRetirement<T>(
  registry: OffsetRegistry,
  retirement: CreditRetirement,
  send: (request: ContractTransaction) => Promise<T>,
): Promise<T> {
  const blockKey = creditBlockKey(retirement.registry, retirement.serialBlock);
  for (let attempt = 1; ; attempt += 1) {
    try {
      const hint = await registry.predecessorOf(blockKey, retirement.firstSerial);
      const request = await registry.retire.populateTransaction(
        {
          registry: retirement.registry,
          serialBlock: retirement.serialBlock,
          projectId: retirement.projectId,
          vintage: retirement.vintage,
          firstSerial: retirement.firstSerial,
          lastSerial: retirement.lastSerial,
          lotId: offsetLotKey(retirement.lot),
          beneficiary: retirement.beneficiary,
        },
        hint,
      );
      return await send(request);
    } catch (error) {
      const chainError = toChainError(error);
      if (chainError.code !== "CHAIN.OffsetRegistryInvalidHint" || attempt >= HINT_ATTEMPTS) throw chainError;
    }
  }
}

/** Sends the retirement from the registry's own signer and reads its id from the receipt. */
function retireNow(registry: OffsetRegistry, retirement: CreditRetirement): Promise<RetiredOnChain> {
  return sendRetirement(registry, retirement, async (request) => {
    const runner = registry.runner;
    if (runner?.sendTransaction === undefined) throw new Error("the OffsetRegistry contract has no signer");
    const tx = await runner.sendTransaction(request);
    const receipt = await tx.wait();
    const retired = receipt?.logs
      .map((log) => registry.interface.parseLog(log))
      .find((parsed) => parsed?.name === "CreditsRetired");
    return {
      retirementId: Number(retired?.args.getValue("retirementId") ?? 0n),
      txHash: tx.hash,
      blockNumber: receipt?.blockNumber ?? 0,
    };
  });
}

/**
 * The retirement of exactly this range for this lot, if the chain has it: the registry says whether the range is
 * retired (one call); only then are its logs searched, newest page first (a retry looks for a recent send).
 */
export async function findRetirement(
  registry: OffsetRegistry,
  retirement: CreditRetirement,
  { fromBlock = 0, pageBlocks = LOG_PAGE_BLOCKS }: LogSearch,
): Promise<RetiredOnChain | undefined> {
  const blockKey = creditBlockKey(retirement.registry, retirement.serialBlock);
  const [exists, range] = await registry.rangeAt(blockKey, retirement.firstSerial);
  if (!exists || range.lastSerial !== retirement.lastSerial) return undefined;
  const filter = registry.filters.CreditsRetired(undefined, offsetLotKey(retirement.lot), blockKey);
  const runner = registry.runner?.provider;
  if (runner === null || runner === undefined) throw new Error("the OffsetRegistry contract has no provider");
  for (let to = await runner.getBlockNumber(); to >= fromBlock; to -= pageBlocks) {
    const from = Math.max(fromBlock, to - pageBlocks + 1);
    const events = await registry.queryFilter(filter, from, to);
    const event = events.find((e) => e.args.retirement.firstSerial === retirement.firstSerial);
    if (event !== undefined) {
      return {
        retirementId: Number(event.args.retirementId),
        txHash: event.transactionHash,
        blockNumber: event.blockNumber,
      };
    }
  }
  return undefined;
}
