import type { ChainConnection } from "./chain.js";
import {
  CONTRACT_NAMES,
  OffsetRegistry__factory,
  ROLES,
  TraceLedger__factory,
  type ContractAddresses,
  type ContractName,
  type OffsetRegistry,
  type TraceLedger,
} from "./contracts.js";

export interface ChainHealth {
  readonly status: "ok" | "failing";
  readonly detail: string;
  readonly chainId?: string;
  readonly block?: number;
  readonly account?: string;
  readonly contracts?: Readonly<Record<ContractName, { address: string; deployed: boolean }>>;
  readonly roles?: { readonly anchorer: boolean; readonly retirer: boolean };
}

/** Our two contracts on one chain, bound to the service account. */
export class Ledger {
  readonly traceLedger: TraceLedger;
  readonly offsetRegistry: OffsetRegistry;

  constructor(
    readonly chain: ChainConnection,
    readonly addresses: ContractAddresses,
    private readonly embedded: boolean,
  ) {
    this.traceLedger = TraceLedger__factory.connect(addresses.TraceLedger, chain.signer);
    this.offsetRegistry = OffsetRegistry__factory.connect(addresses.OffsetRegistry, chain.signer);
  }

  /** Contracts that have no code at their address (a chain that was reset, or a wrong address). */
  async missingContracts(): Promise<ContractName[]> {
    const missing: ContractName[] = [];
    for (const name of CONTRACT_NAMES) {
      if ((await this.chain.provider.getCode(this.addresses[name])) === "0x") missing.push(name);
    }
    return missing;
  }

  async health(): Promise<ChainHealth> {
    const source = this.embedded ? "embedded anvil" : "chain at RPC_URL";
    try {
      const account = this.chain.wallet.address;
      const [block, missing, anchorer, retirer] = await Promise.all([
        this.chain.provider.getBlockNumber(),
        this.missingContracts(),
        this.traceLedger.hasRole(ROLES.anchorer, account).catch(() => false),
        this.offsetRegistry.hasRole(ROLES.retirer, account).catch(() => false),
      ]);
      const contracts = Object.fromEntries(
        CONTRACT_NAMES.map((name) => [name, { address: this.addresses[name], deployed: !missing.includes(name) }]),
      ) as Record<ContractName, { address: string; deployed: boolean }>;
      const problems = [
        ...missing.map((name) => `${name} has no code at ${this.addresses[name]}`),
        ...(anchorer ? [] : ["the service account lacks ANCHORER_ROLE"]),
        ...(retirer ? [] : ["the service account lacks RETIRER_ROLE"]),
      ];
      return {
        status: problems.length === 0 ? "ok" : "failing",
        detail: problems.length === 0 ? source : `${source}: ${problems.join("; ")}`,
        chainId: this.chain.chainId.toString(),
        block,
        account,
        contracts,
        roles: { anchorer, retirer },
      };
    } catch (error) {
      return { status: "failing", detail: `${source}: ${String(error)}`, chainId: this.chain.chainId.toString() };
    }
  }
}
