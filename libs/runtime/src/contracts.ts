import { DomainError, type Logger } from "#common";
import { ChainContractRepository } from "#database";
import {
  CONTRACT_NAMES,
  deployContracts,
  findDeployBlock,
  Ledger,
  type ChainConnection,
  type ContractAddresses,
  type ContractName,
} from "#ledger";
import type { DataSource } from "typeorm";

export interface ContractsSource {
  /** The embedded chain: deploy on first start, redeploy if the chain lost the contracts. */
  readonly embedded: boolean;
  /** Addresses from configuration (external chains). */
  readonly configured?: ContractAddresses;
  /** Who administers contracts deployed here (embedded chain): a key of its own, never the service account. */
  readonly admin?: string;
}

/**
 * Finds the contracts the service should use on this chain and makes sure they exist. On the embedded chain
 * they are deployed on first start and their addresses remembered in the database; later starts reuse them.
 * A chain that lost them is detected by their missing code.
 */
export async function ensureContracts(
  chain: ChainConnection,
  dataSource: DataSource,
  source: ContractsSource,
  log: Logger,
): Promise<Ledger> {
  const repository = new ChainContractRepository(dataSource);
  const recorded = await repository.findByChain(chain.chainId);
  if (source.configured !== undefined) {
    const ledger = new Ledger(chain, source.configured, false);
    const missing = await ledger.missingContracts();
    if (missing.length > 0) throw contractsMissing(chain, source.configured, missing);
    const outdated = await ledger.outdatedContracts();
    if (outdated.length > 0) throw contractsOutdated(chain, source.configured, outdated);
    const blocks: Partial<Record<ContractName, number>> = {};
    for (const name of CONTRACT_NAMES) {
      const address = source.configured[name];
      const before = recorded.find((r) => r.name === name && r.address.toLowerCase() === address.toLowerCase());
      const block =
        before?.deployBlock === null || before?.deployBlock === undefined
          ? await findDeployBlock(chain.provider, address)
          : Number(before.deployBlock);
      if (block !== undefined) blocks[name] = block;
      await repository.save({
        chainId: chain.chainId,
        name,
        address,
        deployTxHash: before?.deployTxHash ?? null,
        deployBlock: block === undefined ? null : BigInt(block),
      });
    }
    return new Ledger(chain, source.configured, false, blocks);
  }

  const known = addressesOf(recorded);
  if (known !== undefined) {
    const ledger = new Ledger(chain, known, source.embedded, deployBlocksOf(recorded));
    const missing = await ledger.missingContracts();
    const outdated = missing.length === 0 ? await ledger.outdatedContracts() : [];
    if (missing.length === 0 && outdated.length === 0) {
      log.info("using recorded contracts", { chainId: chain.chainId.toString(), ...known });
      return ledger;
    }
    log.warn(
      missing.length > 0
        ? "the embedded chain has lost our contracts (its state was reset); deploying them again"
        : "the embedded chain has an older version of our contracts; deploying the current ones",
      { missing, outdated, ...known },
    );
  }

  if (source.admin === undefined) throw new Error("deploying contracts needs the admin's address");
  const deployed = await deployContracts(chain, log, { admin: source.admin, operator: chain.wallet.address });
  for (const contract of deployed) {
    await repository.save({
      chainId: chain.chainId,
      name: contract.name,
      address: contract.address,
      deployTxHash: contract.txHash,
      deployBlock: contract.blockNumber,
    });
  }
  const saved = await repository.findByChain(chain.chainId);
  const addresses = addressesOf(saved);
  if (addresses === undefined) throw new Error("deployed contracts were not recorded");
  return new Ledger(chain, addresses, source.embedded, deployBlocksOf(saved));
}

function deployBlocksOf(
  records: ReadonlyArray<{ name: string; deployBlock: bigint | null }>,
): Partial<Record<ContractName, number>> {
  const blocks: Partial<Record<ContractName, number>> = {};
  for (const name of CONTRACT_NAMES) {
    const block = records.find((r) => r.name === name)?.deployBlock;
    if (block !== null && block !== undefined) blocks[name] = Number(block);
  }
  return blocks;
}

function addressesOf(records: ReadonlyArray<{ name: string; address: string }>): ContractAddresses | undefined {
  const byName = new Map(records.map((r) => [r.name, r.address]));
  const ledger = byName.get("TraceLedger");
  const registry = byName.get("OffsetRegistry");
  return ledger !== undefined && registry !== undefined ? { TraceLedger: ledger, OffsetRegistry: registry } : undefined;
}

function contractsMissing(chain: ChainConnection, addresses: ContractAddresses, missing: ContractName[]): DomainError {
  return new DomainError(
    "CHAIN.CONTRACTS_MISSING",
    "invalid",
    `No contract code on chain ${chain.chainId} at ${missing.map((n) => `${n} ${addresses[n]}`).join(", ")}; ` +
      "check TRACE_LEDGER_ADDRESS / OFFSET_REGISTRY_ADDRESS or deploy with `npm run deploy`",
    { chainId: chain.chainId.toString(), missing },
  );
}

function contractsOutdated(
  chain: ChainConnection,
  addresses: ContractAddresses,
  outdated: ContractName[],
): DomainError {
  return new DomainError(
    "CHAIN.CONTRACTS_OUTDATED",
    "invalid",
    `The contracts on chain ${chain.chainId} at ${outdated.map((n) => `${n} ${addresses[n]}`).join(", ")} are an ` +
      "older version than this service speaks; deploy the current ones with `npm run deploy`",
    { chainId: chain.chainId.toString(), outdated },
  );
}
