import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { getAddress } from "ethers";
import { ChainJobRunner, type ChainJobHandler } from "#anchoring";
import { ParticipantRepository, type ChainStatus } from "#database";
import { PARTICIPANT_ROLE_IDS } from "#ledger";
import { ROLE_REGISTRY, type RoleRegistry } from "./role-registry.js";

const RETRY_MS = 30_000;

/** The participant rows role sync reads and updates. */
export type RoleRows = Pick<ParticipantRepository, "rolesToSync" | "roleToSync" | "setRoleStatus" | "recordRoleChange">;

/** A role as role sync sees it: whose, which, and where the ledger stands. */
interface RoleRow {
  readonly participantId: string;
  readonly address: string;
  readonly role: string;
  readonly chainStatus: ChainStatus;
}

type RoleJob = "role-grant" | "role-revoke";

/**
 * Keeps the ledger's roles in step with the participants' roles, as TraceLedger's registrar: grants what is
 * pending and revokes what the administrator revoked (right away, then every 30 s while the chain is unreachable)
 * and, at start, re-grants roles a reset chain has lost. Each grant or revocation is a chain job (the outbox of
 * every transaction the service sends), so two instances never send the same one twice. A participant may only
 * capture under a role the ledger has granted; every grant and revocation the ledger makes is kept in the
 * participant's role history.
 */
@Injectable()
export class RoleSyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger("roles");
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();

  constructor(
    @Inject(ROLE_REGISTRY) private readonly ledger: RoleRegistry,
    @Inject(ParticipantRepository) private readonly participants: RoleRows,
    @Inject(ChainJobRunner) private readonly jobs: ChainJobRunner,
  ) {
    jobs.register("role-grant", this.roleJob("grant"));
    jobs.register("role-revoke", this.roleJob("revoke"));
  }

  onApplicationBootstrap(): void {
    void this.sync({ recheckGranted: true });
    this.timer = setInterval(() => void this.sync({ recheckGranted: false }), RETRY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Runs one pass at a time in this instance; resolves when this pass is done (its errors are logged, never thrown). */
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
    for (const row of await this.participants.rolesToSync()) {
      if (participantId !== undefined && row.participantId !== participantId) continue;
      if (PARTICIPANT_ROLE_IDS[row.role] === undefined) continue;
      const settled = row.chainStatus === "granted" || row.chainStatus === "revoked";
      if (settled && (!recheckGranted || (await this.ledgerAgrees(row)))) continue;
      const job = await this.jobs.enqueue(jobOf(row), `${row.participantId}/${row.role}`);
      await this.jobs.runNow(job.id);
    }
  }

  /** Whether the ledger holds a settled role as the row says (an unreachable chain: assumed so, checked next start). */
  private async ledgerAgrees(row: RoleRow): Promise<boolean> {
    try {
      return (await this.holds(row)) === (jobOf(row) === "role-grant");
    } catch (error) {
      this.logger.warn("role not checked on the ledger", { participantId: row.participantId, error: String(error) });
      return true;
    }
  }

  private holds(row: RoleRow): Promise<boolean> {
    return this.ledger.hasRole(PARTICIPANT_ROLE_IDS[row.role] ?? "", getAddress(row.address));
  }

  /**
   * How a grant's or a revocation's chain job runs. A job the administrator has since reversed (a grant whose role
   * is now revoked) is superseded, not sent; the ledger already agreeing sends nothing and keeps no history entry.
   */
  private roleJob(change: "grant" | "revoke"): ChainJobHandler<RoleRow, true> {
    const kind: RoleJob = change === "grant" ? "role-grant" : "role-revoke";
    const done: ChainStatus = change === "grant" ? "granted" : "revoked";
    const waiting: ChainStatus = change === "grant" ? "failed" : "revoking";
    return {
      // A refused grant (the service not yet the ledger's registrar) is tried again until the operator fixes it.
      retriesRefusals: true,
      load: async (subject) => {
        const [participantId = "", role = ""] = subject.split("/");
        const row = await this.participants.roleToSync(participantId, role);
        return row !== undefined && jobOf(row) === kind && PARTICIPANT_ROLE_IDS[role] !== undefined ? row : undefined;
      },
      find: async (row) => ((await this.holds(row)) === (change === "grant") ? true : undefined),
      send: (row, record) =>
        this.ledger.sendRoleChange(change, PARTICIPANT_ROLE_IDS[row.role] ?? "", getAddress(row.address), record),
      done: async (row, _found, tx) => {
        await this.participants.setRoleStatus(row.participantId, row.role, done, tx?.hash ?? null, null);
        if (tx === undefined) return;
        await this.participants.recordRoleChange(row.participantId, row.role, done, tx.hash);
        this.logger.log(`role ${done} on the ledger`, { ...row, txHash: tx.hash });
      },
      refused: (row, error) =>
        this.participants.setRoleStatus(row.participantId, row.role, waiting, null, `${error.code}: ${error.message}`),
      waiting: async (row, error) => {
        if (error === undefined) return;
        await this.participants.setRoleStatus(
          row.participantId,
          row.role,
          waiting,
          null,
          `${error.code}: ${error.message}`,
        );
        this.logger.warn(`role not ${done} on the ledger yet; will retry`, { ...row, code: error.code });
      },
    };
  }
}

/** Which change a role row asks of the ledger. */
function jobOf(row: RoleRow): RoleJob {
  return row.chainStatus === "revoking" || row.chainStatus === "revoked" ? "role-revoke" : "role-grant";
}
