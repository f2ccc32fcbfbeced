import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { getAddress } from "ethers";
import { ParticipantRepository } from "#database";
import { ROLES, toChainError } from "#ledger";
import type { Runtime } from "#runtime";
import { RUNTIME } from "../runtime.tokens.js";

const ROLE_IDS: Readonly<Record<string, string>> = {
  supplier: ROLES.supplier,
  recycler: ROLES.recycler,
  moulder: ROLES.moulder,
  warehouse: ROLES.warehouse,
  certifier: ROLES.certifier,
};

const RETRY_MS = 30_000;

/**
 * Keeps the ledger's roles in step with the participants' roles: grants what is pending (right after
 * registration, then every 30 s while the chain is unreachable) and, at start, re-grants roles a reset chain
 * has lost. A participant may only capture under a role the ledger has granted.
 */
@Injectable()
export class RoleSyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger("roles");
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();

  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly participants: ParticipantRepository,
  ) {}

  onApplicationBootstrap(): void {
    void this.sync({ recheckGranted: true });
    this.timer = setInterval(() => void this.sync({ recheckGranted: false }), RETRY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Runs one pass at a time; resolves when this pass is done. */
  sync(options: { recheckGranted: boolean; participantId?: string }): Promise<void> {
    this.running = this.running
      .then(() => this.pass(options))
      .catch((error: unknown) => {
        this.logger.error("role sync failed", { error: String(error) });
      });
    return this.running;
  }

  private async pass({
    recheckGranted,
    participantId,
  }: {
    recheckGranted: boolean;
    participantId?: string;
  }): Promise<void> {
    const rows = await this.participants.rolesToSync();
    for (const row of rows) {
      if (participantId !== undefined && row.participantId !== participantId) continue;
      if (row.chainStatus === "granted" && !recheckGranted) continue;
      await this.grant(row.participantId, getAddress(row.address), row.role);
    }
  }

  private async grant(participantId: string, address: string, role: string): Promise<void> {
    const roleId = ROLE_IDS[role];
    if (roleId === undefined) return;
    const ledger = this.runtime.ledger.traceLedger;
    try {
      if (await ledger.hasRole(roleId, address)) {
        await this.participants.setRoleStatus(participantId, role, "granted", null, null);
        return;
      }
      const tx = await ledger.grantRole(roleId, address);
      const receipt = await tx.wait();
      await this.participants.setRoleStatus(participantId, role, "granted", receipt?.hash ?? tx.hash, null);
      this.logger.log("role granted on the ledger", { participantId, role, address, txHash: tx.hash });
    } catch (error) {
      const chainError = toChainError(error);
      await this.participants.setRoleStatus(
        participantId,
        role,
        "failed",
        null,
        `${chainError.code}: ${chainError.message}`,
      );
      this.logger.warn("role not granted on the ledger yet; will retry", {
        participantId,
        role,
        code: chainError.code,
      });
    }
  }
}
