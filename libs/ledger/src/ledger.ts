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
import { IOffsetRegistry__factory, ITraceLedger__factory } from "./generated/index.js";
import { interfaceIdOf } from "./interface-id.js";

export interface ChainHealth {
  readonly status: "ok" | "failing";
  readonly detail: string;
  readonly chainId?: string;
  readonly block?: number;
  readonly account?: string;
  readonly contracts?: Readonly<Record<ContractName, { address: string; deployed: boolean }>>;
  /** The roles the service account holds; it should hold registrar, anchorer and retirer, and never admin. */
  readonly roles?: {
    readonly registrar: boolean;
    readonly anchorer: boolean;
    readonly retirer: boolean;
    readonly admin: boolean;
  };
  /** The account holding DEFAULT_ADMIN_ROLE on TraceLedger. */
  readonly admin?: string;
  /** Things an operator should fix that do not stop the service. */
  readonly warnings?: readonly string[];
}

/** Our two contracts on one chain, bound to the service account. */
export class Ledger {
  readonly traceLedger: TraceLedger;
  readonly offsetRegistry: OffsetRegistry;

  /**
   * @param deployBlocks where each contract was deployed, where known: no log of ours is older, so log queries
   *   start there instead of at genesis.
   */
  constructor(
    readonly chain: ChainConnection,
    readonly addresses: ContractAddresses,
    private readonly embedded: boolean,
    private readonly deployBlocks: Readonly<Partial<Record<ContractName, number>>> = {},
  ) {
    this.traceLedger = TraceLedger__factory.connect(addresses.TraceLedger, chain.signer);
    this.offsetRegistry = OffsetRegistry__factory.connect(addresses.OffsetRegistry, chain.signer);
  }

  /** The block the contract was deployed in; 0 (genesis) when unknown. */
  deployBlockOf(name: ContractName): number {
    return this.deployBlocks[name] ?? 0;
  }

  /**
   * Contracts at their address that are not the version this code speaks (an older deployment): they answer
   * `supportsInterface` for another interface id, or not at all.
   */
  async outdatedContracts(): Promise<ContractName[]> {
    const expected: Record<ContractName, string> = {
      TraceLedger: interfaceIdOf(ITraceLedger__factory.createInterface()),
      OffsetRegistry: interfaceIdOf(IOffsetRegistry__factory.createInterface()),
    };
    const contracts = { TraceLedger: this.traceLedger, OffsetRegistry: this.offsetRegistry };
    const outdated: ContractName[] = [];
    for (const name of CONTRACT_NAMES) {
      const current = await contracts[name].supportsInterface(expected[name]).catch(() => false);
      if (!current) outdated.push(name);
    }
    return outdated;
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
      const [block, missing, registrar, anchorer, retirer, ledgerAdmin, registryAdmin, admin] = await Promise.all([
        this.chain.provider.getBlockNumber(),
        this.missingContracts(),
        this.traceLedger.hasRole(ROLES.registrar, account).catch(() => false),
        this.traceLedger.hasRole(ROLES.anchorer, account).catch(() => false),
        this.offsetRegistry.hasRole(ROLES.retirer, account).catch(() => false),
        this.traceLedger.hasRole(ROLES.admin, account).catch(() => false),
        this.offsetRegistry.hasRole(ROLES.admin, account).catch(() => false),
        this.traceLedger.defaultAdmin().catch(() => undefined),
      ]);
      const contracts = Object.fromEntries(
        CONTRACT_NAMES.map((name) => [name, { address: this.addresses[name], deployed: !missing.includes(name) }]),
      ) as Record<ContractName, { address: string; deployed: boolean }>;
      const problems = [
        ...missing.map((name) => `${name} has no code at ${this.addresses[name]}`),
        ...(registrar ? [] : ["the service account lacks REGISTRAR_ROLE"]),
        ...(anchorer ? [] : ["the service account lacks ANCHORER_ROLE"]),
        ...(retirer ? [] : ["the service account lacks RETIRER_ROLE"]),
      ];
      const warnings =
        ledgerAdmin || registryAdmin
          ? [
              "the service account holds DEFAULT_ADMIN_ROLE: hand it to a cold key or multisig " +
                "(beginDefaultAdminTransfer), the service needs only registrar, anchorer and retirer",
            ]
          : [];
      return {
        status: problems.length === 0 ? "ok" : "failing",
        detail: problems.length === 0 ? source : `${source}: ${problems.join("; ")}`,
        chainId: this.chain.chainId.toString(),
        block,
        account,
        contracts,
        roles: { registrar, anchorer, retirer, admin: ledgerAdmin || registryAdmin },
        ...(admin === undefined ? {} : { admin }),
        warnings,
      };
    } catch (error) {
      return { status: "failing", detail: `${source}: ${String(error)}`, chainId: this.chain.chainId.toString() };
    }
  }
}
