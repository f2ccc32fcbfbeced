import type { ContractTransactionResponse } from "ethers";
import type { Logger } from "#common";
import type { ChainConnection } from "./chain.js";
import { toChainError } from "./chain-errors.js";
import { OffsetRegistry__factory, ROLES, TraceLedger__factory, type ContractName } from "./contracts.js";

export interface DeployedContract {
  readonly name: ContractName;
  readonly address: string;
  readonly txHash: string;
  readonly blockNumber: bigint;
}

export interface DeployOptions {
  /** Final holder of DEFAULT_ADMIN_ROLE (e.g. a multisig); the deployer keeps it when unset. */
  readonly admin?: string;
}

/**
 * Deploys TraceLedger and OffsetRegistry from the service account, grants that account ANCHORER_ROLE and
 * RETIRER_ROLE, then hands DEFAULT_ADMIN_ROLE to `admin` if one is given (the deployer renounces it).
 */
export async function deployContracts(
  chain: ChainConnection,
  log: Logger,
  options: DeployOptions = {},
): Promise<DeployedContract[]> {
  try {
    const operator = await chain.signer.getAddress();
    const ledgerFactory = new TraceLedger__factory(chain.signer);
    const registryFactory = new OffsetRegistry__factory(chain.signer);

    const ledger = await ledgerFactory.deploy(operator);
    const ledgerDeployed = await deployed("TraceLedger", ledger.deploymentTransaction(), await ledger.getAddress());
    const registry = await registryFactory.deploy(operator);
    const registryDeployed = await deployed(
      "OffsetRegistry",
      registry.deploymentTransaction(),
      await registry.getAddress(),
    );

    await mined(ledger.grantRole(ROLES.anchorer, operator));
    await mined(registry.grantRole(ROLES.retirer, operator));
    if (options.admin !== undefined && options.admin.toLowerCase() !== operator.toLowerCase()) {
      for (const contract of [ledger, registry]) {
        await mined(contract.grantRole(ROLES.admin, options.admin));
        await mined(contract.renounceRole(ROLES.admin, operator));
      }
    }
    const result = [ledgerDeployed, registryDeployed];
    for (const contract of result)
      log.info("contract deployed", { ...contract, blockNumber: contract.blockNumber.toString() });
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

async function mined(sent: Promise<ContractTransactionResponse>): Promise<void> {
  await (await sent).wait();
}
