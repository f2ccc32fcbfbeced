import { silentLogger } from "#common";
import { connectChain, deployContracts, Ledger, type ChainConnection } from "#ledger";
import { startAnvil, type EmbeddedChain } from "#runtime";
import { tempDir } from "./temp.js";

/** anvil's first well-known development key: funded at genesis, never used outside tests. */
export const ANVIL_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/** anvil's second development key: the ledger's admin in tests (the service account never is). */
export const ANVIL_ADMIN_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
export const ANVIL_ADMIN_ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

export interface TestChain {
  readonly anvil: EmbeddedChain;
  readonly chain: ChainConnection;
  readonly dir: string;
  stop(): Promise<void>;
}

/** A fresh anvil (its own state directory) and a connection with the funded development key. */
export async function startTestChain(): Promise<TestChain> {
  const dir = await tempDir("chain");
  const anvil = await startAnvil({ dir: dir.path, port: 0, log: silentLogger });
  const chain = await connectChain(anvil.rpcUrl, ANVIL_DEV_KEY);
  return {
    anvil,
    chain,
    dir: dir.path,
    stop: async () => {
      await chain.close();
      await anvil.stop();
      await dir.remove();
    },
  };
}

/** Deploys both contracts with the connected account as the service (operator) and ANVIL_ADMIN_ADDRESS as admin. */
export async function deployTestLedger(chain: ChainConnection): Promise<Ledger> {
  const deployed = await deployTestContracts(chain);
  const address = (name: string): string => deployed.find((d) => d.name === name)?.address ?? "";
  return new Ledger(chain, { TraceLedger: address("TraceLedger"), OffsetRegistry: address("OffsetRegistry") }, false);
}

export function deployTestContracts(chain: ChainConnection): ReturnType<typeof deployContracts> {
  return deployContracts(chain, silentLogger, { admin: ANVIL_ADMIN_ADDRESS, operator: chain.wallet.address });
}
