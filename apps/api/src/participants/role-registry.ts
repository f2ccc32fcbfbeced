import type { Ledger, SignedTransaction } from "#ledger";

/** Injection token of the RoleRegistry: TraceLedger's AccessControl as role sync uses it. */
export const ROLE_REGISTRY = Symbol("ROLE_REGISTRY");

/** What role sync asks of TraceLedger (OpenZeppelin AccessControl). */
export interface RoleRegistry {
  hasRole(role: string, account: string): Promise<boolean>;
  /** Signs the grant or revocation, hands the signed transaction to `record`, then broadcasts it. */
  sendRoleChange(
    change: "grant" | "revoke",
    role: string,
    account: string,
    record: (signed: SignedTransaction) => Promise<void>,
  ): Promise<unknown>;
}

/** TraceLedger's roles, granted and revoked by the service account (its registrar) through its only sender. */
export function roleRegistryOf(ledger: Ledger): RoleRegistry {
  const traceLedger = ledger.traceLedger;
  return {
    hasRole: (role, account) => traceLedger.hasRole(role, account),
    sendRoleChange: async (change, role, account, record) => {
      const method = change === "grant" ? traceLedger.grantRole : traceLedger.revokeRole;
      return ledger.chain.signer.sendRecorded(await method.populateTransaction(role, account), record);
    },
  };
}
