import { getAddress, type ContractTransactionResponse } from "ethers";
import { DomainError, type Logger } from "#common";
import type { ChainConnection } from "./chain.js";
import { toChainError } from "./chain-errors.js";
import { OffsetRegistry__factory, TraceLedger__factory, type ContractName } from "./contracts.js";

export interface DeployedContract {
  readonly name: ContractName;
  readonly address: string;
  readonly txHash: string;
  readonly blockNumber: bigint;
}

/** Two days: long enough for the old admin (or anyone watching) to notice and cancel a hand-over it did not want. */
export const DEFAULT_ADMIN_DELAY_SECONDS = 2 * 24 * 3600;

export interface DeployOptions {
  /** Holder of DEFAULT_ADMIN_ROLE (a multisig or a cold key): appoints operators, never used by the service. */
  readonly admin: string;
  /** The service account: REGISTRAR_ROLE and ANCHORER_ROLE on TraceLedger, RETIRER_ROLE on OffsetRegistry. */
  readonly operator: string;
  /** Seconds a hand-over of DEFAULT_ADMIN_ROLE waits (default two days). */
  readonly adminDelaySeconds?: number;
}

/**
 * Deploys TraceLedger and OffsetRegistry from the connected account (which only pays the gas). The admin and the
 * service account's roles are set by the constructors, so the service key never holds DEFAULT_ADMIN_ROLE, not even
 * for a moment; the admin must be another account.
 */
export async function deployContracts(
  chain: ChainConnection,
  log: Logger,
  options: DeployOptions,
): Promise<DeployedContract[]> {
  const admin = getAddress(options.admin);
  const operator = getAddress(options.operator);
  if (admin === operator) {
    throw new DomainError(
      "CHAIN.ADMIN_IS_OPERATOR",
      "invalid",
      "The admin must be another account than the service's: the service key is online and must not administer the ledger",
      { admin },
    );
  }
  const delay = options.adminDelaySeconds ?? DEFAULT_ADMIN_DELAY_SECONDS;
  try {
    const ledger = await new TraceLedger__factory(chain.signer).deploy(delay, admin, operator);
    const ledgerDeployed = await deployed("TraceLedger", ledger.deploymentTransaction(), await ledger.getAddress());
    const registry = await new OffsetRegistry__factory(chain.signer).deploy(delay, admin, operator);
    const registryDeployed = await deployed(
      "OffsetRegistry",
      registry.deploymentTransaction(),
      await registry.getAddress(),
    );
    const result = [ledgerDeployed, registryDeployed];
    for (const contract of result) {
      log.info("contract deployed", {
        ...contract,
        blockNumber: contract.blockNumber.toString(),
        admin,
        operator,
        adminDelaySeconds: delay,
      });
    }
    return result;
  } catch (error) {
    throw toChainError(error);
  }
}

async function deployed(
  name: ContractName,
  tx: ContractTransactionResponse | null,
  address: string,
): Promise<DeployedContract> {
  if (tx === null) throw new Error(`${name} has no deployment transaction`);
  const receipt = await tx.wait();
  if (receipt === null) throw new Error(`${name} deployment was dropped`);
  return { name, address, txHash: receipt.hash, blockNumber: BigInt(receipt.blockNumber) };
}
