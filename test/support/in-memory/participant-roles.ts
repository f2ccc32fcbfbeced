// In-memory participant roles for the role sync unit tests: each role's chain status and its grant/revoke history.
import type { ChainStatus } from "#database";
import type { RoleRows } from "../../../apps/api/src/participants/role-sync.service.js";

export interface RoleRow {
  participantId: string;
  address: string;
  role: string;
  chainStatus: ChainStatus;
  chainTxHash: string | null;
  chainError: string | null;
}

export class InMemoryRoles implements RoleRows {
  /** Oldest update first, as rolesToSync orders them. */
  readonly rows: RoleRow[] = [];
  readonly history: Array<{
    participantId: string;
    role: string;
    action: "granted" | "revoked";
    txHash: string | null;
  }> = [];

  add(participantId: string, address: string, role: string, chainStatus: ChainStatus): RoleRow {
    const row = { participantId, address, role, chainStatus, chainTxHash: null, chainError: null };
    this.rows.push(row);
    return row;
  }

  rolesToSync(): Promise<Array<{ participantId: string; address: string; role: string; chainStatus: ChainStatus }>> {
    return Promise.resolve(
      this.rows.map(({ participantId, address, role, chainStatus }) => ({ participantId, address, role, chainStatus })),
    );
  }

  roleToSync(
    participantId: string,
    role: string,
  ): Promise<{ participantId: string; address: string; role: string; chainStatus: ChainStatus } | undefined> {
    const row = this.row(participantId, role);
    return Promise.resolve(
      row === undefined ? undefined : { participantId, address: row.address, role, chainStatus: row.chainStatus },
    );
  }

  setRoleStatus(
    participantId: string,
    role: string,
    status: ChainStatus,
    txHash: string | null,
    error: string | null,
    onlyIf?: readonly ChainStatus[],
  ): Promise<boolean> {
    const index = this.rows.findIndex(
      (r) => r.participantId === participantId && r.role === role && (onlyIf?.includes(r.chainStatus) ?? true),
    );
    const [row] = index < 0 ? [] : this.rows.splice(index, 1);
    if (row !== undefined)
      this.rows.push(Object.assign(row, { chainStatus: status, chainTxHash: txHash, chainError: error }));
    return Promise.resolve(row !== undefined);
  }

  recordRoleChange(
    participantId: string,
    role: string,
    action: "granted" | "revoked",
    txHash: string | null,
  ): Promise<void> {
    this.history.push({ participantId, role, action, txHash });
    return Promise.resolve();
  }

  row(participantId: string, role: string): RoleRow | undefined {
    return this.rows.find((r) => r.participantId === participantId && r.role === role);
  }
}
