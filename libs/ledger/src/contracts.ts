import { id, ZeroHash } from "ethers";
import { OffsetRegistry__factory, TraceLedger__factory } from "./generated/index.js";

export type { OffsetRegistry, TraceLedger } from "./generated/index.js";
export { OffsetRegistry__factory, TraceLedger__factory } from "./generated/index.js";

/** Names under which the service records its contracts. */
export const CONTRACT_NAMES = ["TraceLedger", "OffsetRegistry"] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];
export type ContractAddresses = Readonly<Record<ContractName, string>>;

/** Role ids as the contracts define them: `keccak256("<NAME>_ROLE")`, the admin role being zero. */
export const ROLES = {
  admin: ZeroHash,
  registrar: id("REGISTRAR_ROLE"),
  anchorer: id("ANCHORER_ROLE"),
  certifier: id("CERTIFIER_ROLE"),
  retirer: id("RETIRER_ROLE"),
  supplier: id("SUPPLIER_ROLE"),
  recycler: id("RECYCLER_ROLE"),
  moulder: id("MOULDER_ROLE"),
  warehouse: id("WAREHOUSE_ROLE"),
} as const;

/** Supply-chain and certifier roles as the service names them, by their ledger role id. */
export const PARTICIPANT_ROLE_IDS: Readonly<Record<string, string>> = {
  supplier: ROLES.supplier,
  recycler: ROLES.recycler,
  moulder: ROLES.moulder,
  warehouse: ROLES.warehouse,
  certifier: ROLES.certifier,
};

/** Every custom error of our contracts (and the OpenZeppelin ones they inherit), for decoding reverts. */
export const CONTRACT_INTERFACES = [TraceLedger__factory.createInterface(), OffsetRegistry__factory.createInterface()];
