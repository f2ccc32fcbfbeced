import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { getAddress } from "ethers";
import { AdvisoryPassLease, ParticipantRepository, type ChainStatus, type PassLease } from "#database";
import { PARTICIPANT_ROLE_IDS, toChainError } from "#ledger";
import { LEDGER } from "../runtime.ports.js";

const RETRY_MS = 30_000;

/** The participant rows role sync reads and updates. */
export type RoleRows = Pick<ParticipantRepository, "rolesToSync" | "setRoleStatus" | "recordRoleChange">;

/** A transaction sent to the chain, as ethers returns it. */
export interface SentTransaction {
  readonly hash: string;
  wait(): Promise<{ readonly hash: string } | null>;
}

/** What role sync asks of TraceLedger (OpenZeppelin AccessControl): the Ledger's `traceLedger` is one. */
export interface RoleRegistry {
  hasRole(role: string, account: string): Promise<boolean>;
  grantRole(role: string, account: string): Promise<SentTransaction>;
  revokeRole(role: string, account: string): Promise<SentTransaction>;
}

/**
 * Keeps the ledger's roles in step with the participants' roles, as TraceLedger's registrar: grants what is
 * pending and revokes what the administrator revoked (right away, then every 30 s while the chain is unreachable)
 * and, at start, re-grants roles a reset chain has lost. A participant may only capture under a role the ledger
 * has granted; every grant and revocation the ledger makes is kept in the participant's role history.
 */
@Injectable()
export class RoleSyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger("roles");
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();

  constructor(
    @Inject(LEDGER) private readonly ledger: { readonly traceLedger: RoleRegistry },
    @Inject(ParticipantRepository) private readonly participants: RoleRows,
    @Inject(AdvisoryPassLease) private readonly lease: PassLease,
  ) {}

  onApplicationBootstrap(): void {
    void this.sync({ recheckGranted: true });
    this.timer = setInterval(() => void this.sync({ recheckGranted: false }), RETRY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * Runs one pass at a time, and one instance at a time (the lease: two would send the same grant twice; a pass
   * skipped because another instance holds it is that instance's to do, it reads every pending role); resolves
   * when this pass is done (its errors are logged, never thrown).
   */
  sync(options: { recheckGranted: boolean; participantId?: string }): Promise<void> {
    this.running = this.running
      .then(async () => {
        await this.lease.run("role-sync", () => this.pass(options));
      })
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
      const settled: readonly ChainStatus[] = recheckGranted ? [] : ["granted", "revoked"];
      if (settled.includes(row.chainStatus)) continue;
      const revoke = row.chainStatus === "revoking" || row.chainStatus === "revoked";
      await this.apply(row.participantId, getAddress(row.address), row.role, revoke ? "revoke" : "grant");
    }
  }

  private async apply(participantId: string, address: string, role: string, change: "grant" | "revoke"): Promise<void> {
    const roleId = PARTICIPANT_ROLE_IDS[role];
    if (roleId === undefined) return;
    const ledger = this.ledger.traceLedger;
    const done: ChainStatus = change === "grant" ? "granted" : "revoked";
    try {
      if ((await ledger.hasRole(roleId, address)) === (change === "grant")) {
        await this.participants.setRoleStatus(participantId, role, done, null, null);
        return;
      }
      const tx =
        change === "grant" ? await ledger.grantRole(roleId, address) : await ledger.revokeRole(roleId, address);
      const receipt = await tx.wait();
      const txHash = receipt?.hash ?? tx.hash;
      await this.participants.setRoleStatus(participantId, role, done, txHash, null);
      await this.participants.recordRoleChange(participantId, role, done, txHash);
      this.logger.log(`role ${done} on the ledger`, { participantId, role, address, txHash });
    } catch (error) {
      const chainError = toChainError(error);
      await this.participants.setRoleStatus(
        participantId,
        role,
        change === "grant" ? "failed" : "revoking",
        null,
        `${chainError.code}: ${chainError.message}`,
      );
      this.logger.warn(`role not ${done} on the ledger yet; will retry`, {
        participantId,
        role,
        code: chainError.code,
      });
    }
  }
}
