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
  /** The last healthy answer of `health` and the block it was read at. */
  private healthy: { readonly blockHash: string; readonly health: ChainHealth } | undefined;

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
  async missingContracts(blockTag: number | "latest" = "latest"): Promise<ContractName[]> {
    const codes = await Promise.all(
      CONTRACT_NAMES.map((name) => this.chain.provider.getCode(this.addresses[name], blockTag)),
    );
    return CONTRACT_NAMES.filter((_, i) => codes[i] === "0x");
  }

  /**
   * The service account's standing on the chain. Nothing on a chain changes without a new block: while the latest
   * block is the one the last healthy answer was read at (same hash), that answer stands, and a probe costs one call
   * instead of nine (an idle chain, such as the embedded one, mines no block between probes). Answers with a
   * problem, or read through a failed call, are never kept.
   */
  async health(): Promise<ChainHealth> {
    const source = this.embedded ? "embedded anvil" : "chain at RPC_URL";
    try {
      const latest = await this.chain.provider.getBlock("latest");
      if (latest?.hash == null) throw new Error("the node names no latest block");
      if (this.healthy?.blockHash === latest.hash) return this.healthy.health;
      const { health, exact } = await this.healthAt(source, latest.number);
      this.healthy = exact && health.status === "ok" ? { blockHash: latest.hash, health } : undefined;
      return health;
    } catch (error) {
      return { status: "failing", detail: `${source}: ${String(error)}`, chainId: this.chain.chainId.toString() };
    }
  }

  /** The health facts as of one block; `exact` is false when a call failed and a fallback stood in for it. */
  private async healthAt(source: string, block: number): Promise<{ health: ChainHealth; exact: boolean }> {
    let exact = true;
    const or =
      <T>(fallback: T) =>
      (): T => {
        exact = false;
        return fallback;
      };
    const at = { blockTag: block };
    const account = this.chain.wallet.address;
    const [missing, registrar, anchorer, retirer, ledgerAdmin, registryAdmin, admin] = await Promise.all([
      this.missingContracts(block),
      this.traceLedger.hasRole(ROLES.registrar, account, at).catch(or(false)),
      this.traceLedger.hasRole(ROLES.anchorer, account, at).catch(or(false)),
      this.offsetRegistry.hasRole(ROLES.retirer, account, at).catch(or(false)),
      this.traceLedger.hasRole(ROLES.admin, account, at).catch(or(false)),
      this.offsetRegistry.hasRole(ROLES.admin, account, at).catch(or(false)),
      this.traceLedger.defaultAdmin(at).catch(or(undefined)),
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
    const health: ChainHealth = {
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
    return { health, exact };
  }
}
