import { AbiCoder, keccak256 } from "ethers";
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
 * Retires the range on OffsetRegistry, or finds it already retired for this lot (a send whose answer was lost):
 * retrying is always safe. A range retired for anything else surfaces as CHAIN.OffsetRegistryRangeOverlaps.
 */
export async function retireCredits(registry: OffsetRegistry, retirement: CreditRetirement): Promise<RetiredOnChain> {
  const found = await findRetirement(registry, retirement);
  if (found !== undefined) return found;
  const blockKey = creditBlockKey(retirement.registry, retirement.serialBlock);
  // A hint made stale by a concurrent retirement in the same block is refused by the contract: ask again once.
  for (let attempt = 0; ; attempt += 1) {
    try {
      const hint = await registry.predecessorOf(blockKey, retirement.firstSerial);
      const tx = await registry.retire(
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
      const receipt = await tx.wait();
      const retired = receipt?.logs
        .map((log) => registry.interface.parseLog(log))
        .find((parsed) => parsed?.name === "CreditsRetired");
      return {
        retirementId: Number(retired?.args.getValue("retirementId") ?? 0n),
        txHash: tx.hash,
        blockNumber: receipt?.blockNumber ?? 0,
      };
    } catch (error) {
      const chainError = toChainError(error);
      if (chainError.code !== "CHAIN.OffsetRegistryInvalidHint" || attempt > 0) throw chainError;
    }
  }
}

async function findRetirement(
  registry: OffsetRegistry,
  retirement: CreditRetirement,
): Promise<RetiredOnChain | undefined> {
  const blockKey = creditBlockKey(retirement.registry, retirement.serialBlock);
  const [exists, range] = await registry.rangeAt(blockKey, retirement.firstSerial);
  if (!exists || range.lastSerial !== retirement.lastSerial) return undefined;
  const events = await registry.queryFilter(
    registry.filters.CreditsRetired(undefined, offsetLotKey(retirement.lot), blockKey),
  );
  const event = events.find((e) => e.args.retirement.firstSerial === retirement.firstSerial);
  return event === undefined
    ? undefined
    : { retirementId: Number(event.args.retirementId), txHash: event.transactionHash, blockNumber: event.blockNumber };
}
