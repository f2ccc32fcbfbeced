import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { Wallet } from "ethers";
import { silentLogger } from "#common";
import { connectChain, deployContracts, Ledger, type ChainConnection } from "#ledger";
import { buildBatch, canonicalBytes, cidOf } from "#proof";
import { startAnvil } from "#runtime";
import { stopOnSignal } from "./on-signal.js";
import { progress, round } from "./progress.js";

/** anvil's first development key: funded at genesis on every fresh anvil. */
const DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

export interface AnchoringGas {
  readonly gasPerEvent: Record<"1" | "64" | "1024", number>;
  /** Mean gas of anchoring each event in its own transaction (root = the event's leaf). */
  readonly perEventTxGas: number;
  /** perEventTxGas ÷ gasPerEvent: how many times cheaper batching is. */
  readonly savings: Record<"1" | "64" | "1024", number>;
  readonly batchTxGas: Record<"1" | "64" | "1024", number>;
}

function randomEvents(n: number): Array<{ eventHash: string; signer: string }> {
  const signer = Wallet.createRandom().address;
  return Array.from({ length: n }, () => ({
    eventHash: `ni:///sha-256;${randomBytes(32).toString("hex")}?ver=CBV2.0`,
    signer,
  }));
}

async function anchorGas(
  ledger: Ledger,
  chain: ChainConnection,
  events: Array<{ eventHash: string; signer: string }>,
): Promise<bigint> {
  const batch = buildBatch(chain.chainId, ledger.addresses.TraceLedger, events);
  const cid = await cidOf(canonicalBytes(batch.manifest));
  const receipt = await (await ledger.traceLedger.anchor(batch.root, events.length, cid)).wait();
  return receipt?.gasUsed ?? 0n;
}

/**
 * Gas of `TraceLedger.anchor` per event, on a fresh anvil, for batches of 1, 64 and 1,024 events (real roots and
 * manifest CIDs), next to anchoring 64 events one transaction each. The first anchor pays for the batch counter's
 * first write, so one warm-up batch is anchored before measuring.
 */
export async function measureAnchoringGas(workDir: string): Promise<AnchoringGas> {
  const anvil = await startAnvil({ dir: join(workDir, "gas-chain"), port: 0, log: silentLogger });
  const forget = stopOnSignal(() => anvil.stop());
  const chain = await connectChain(anvil.rpcUrl, DEV_KEY);
  try {
    const deployed = await deployContracts(chain, silentLogger, {
      admin: Wallet.createRandom().address,
      operator: chain.wallet.address,
    });
    const address = (name: string): string => deployed.find((d) => d.name === name)?.address ?? "";
    const ledger = new Ledger(
      chain,
      { TraceLedger: address("TraceLedger"), OffsetRegistry: address("OffsetRegistry") },
      true,
    );
    await anchorGas(ledger, chain, randomEvents(1));

    let single = 0n;
    const singles = 64;
    progress(`anchoring gas: ${singles} events, one transaction each`);
    for (let i = 0; i < singles; i++) single += await anchorGas(ledger, chain, randomEvents(1));
    const perEventTxGas = Number(single) / singles;

    const sizes = [1, 64, 1024] as const;
    const batchTxGas = {} as Record<"1" | "64" | "1024", number>;
    const gasPerEvent = {} as Record<"1" | "64" | "1024", number>;
    const savings = {} as Record<"1" | "64" | "1024", number>;
    for (const size of sizes) {
      progress(`anchoring gas: a batch of ${size}`);
      const gas = Number(await anchorGas(ledger, chain, randomEvents(size)));
      const key = String(size) as "1" | "64" | "1024";
      batchTxGas[key] = gas;
      gasPerEvent[key] = round(gas / size, 1);
      savings[key] = round(perEventTxGas / (gas / size), 1);
    }
    return { gasPerEvent, perEventTxGas: round(perEventTxGas, 1), savings, batchTxGas };
  } finally {
    await chain.close();
    await anvil.stop();
    forget();
  }
}
