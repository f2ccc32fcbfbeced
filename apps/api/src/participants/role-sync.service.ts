import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { getAddress } from "ethers";
import { ChainJobRunner, type ChainJobHandler } from "#anchoring";
import type { DomainError } from "#common";
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

type Change = "grant" | "revoke";

/** The statuses of a role that wants the ledger to hold it, and of one that wants it revoked. */
const WANTS: Readonly<Record<Change, readonly ChainStatus[]>> = {
  grant: ["pending", "failed", "granted"],
  revoke: ["revoking", "revoked"],
};

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
    jobs.register("role", this.roleJob());
  }

  onApplicationBootstrap(): void {
    void this.sync({ recheckGranted: true });
    this.timer = setInterval(() => void this.sync({ recheckGranted: false }), RETRY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass at a time in this instance; resolves when this pass is done (its errors are logged, never thrown). */
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
      const job = await this.jobs.enqueue("role", `${row.participantId}/${row.role}`);
      await this.jobs.runNow(job.id);
    }
  }

  /** Whether the ledger holds a settled role as the row says (an unreachable chain: assumed so, checked next start). */
  private async ledgerAgrees(row: RoleRow): Promise<boolean> {
    try {
      return (await this.holds(row)) === (changeOf(row) === "grant");
    } catch (error) {
      this.logger.warn("role not checked on the ledger", { participantId: row.participantId, error: String(error) });
      return true;
    }
  }

  private holds(row: RoleRow): Promise<boolean> {
    return this.ledger.hasRole(PARTICIPANT_ROLE_IDS[row.role] ?? "", getAddress(row.address));
  }

  /**
   * How a role's chain job runs: one job per role, which makes the ledger hold the role as the role wants it each
   * time it looks (the administrator may revoke while a grant is in flight: the job then revokes too). What it finds
   * is the change the ledger has made; the row is written only while the role still wants that change, never over
   * a change the administrator made meanwhile (the next pass takes that up). The ledger already agreeing sends
   * nothing and keeps no history entry.
   */
  private roleJob(): ChainJobHandler<RoleRow, Change> {
    const current = async (row: RoleRow) => (await this.participants.roleToSync(row.participantId, row.role)) ?? row;
    const write = async (
      row: RoleRow,
      change: Change,
      status: ChainStatus,
      txHash: string | null,
      error: string | null,
    ) => this.participants.setRoleStatus(row.participantId, row.role, status, txHash, error, WANTS[change]);
    return {
      // A refused change (the service not yet the ledger's registrar) is tried again until the operator fixes it.
      retriesRefusals: true,
      load: async (subject) => {
        const [participantId = "", role = ""] = subject.split("/");
        const row = await this.participants.roleToSync(participantId, role);
        return row !== undefined && PARTICIPANT_ROLE_IDS[role] !== undefined ? row : undefined;
      },
      find: async (row) => {
        const now = await current(row);
        const change = changeOf(now);
        return (await this.holds(now)) === (change === "grant") ? change : undefined;
      },
      send: async (row, record) => {
        const now = await current(row);
        return this.ledger.sendRoleChange(
          changeOf(now),
          PARTICIPANT_ROLE_IDS[now.role] ?? "",
          getAddress(now.address),
          record,
        );
      },
      done: async (row, change, tx) => {
        const status: ChainStatus = change === "grant" ? "granted" : "revoked";
        if (!(await write(row, change, status, tx?.hash ?? null, null)) || tx === undefined) return;
        await this.participants.recordRoleChange(row.participantId, row.role, status, tx.hash);
        this.logger.log(`role ${status} on the ledger`, { ...row, txHash: tx.hash });
      },
      refused: async (row, error) => {
        await this.notYet(row, error);
      },
      waiting: async (row, error) => {
        if (error !== undefined) await this.notYet(row, error);
      },
    };
  }

  /**
   * The ledger has not made the change the role wants yet: said on the role (a grant "failed", a revocation still
   * "revoking").
   */
  private async notYet(row: RoleRow, error: DomainError): Promise<void> {
    const now = (await this.participants.roleToSync(row.participantId, row.role)) ?? row;
    const change = changeOf(now);
    const status: ChainStatus = change === "grant" ? "failed" : "revoking";
    await this.participants.setRoleStatus(
      now.participantId,
      now.role,
      status,
      null,
      `${error.code}: ${error.message}`,
      WANTS[change],
    );
    this.logger.warn(`role not ${change === "grant" ? "granted" : "revoked"} on the ledger yet; will retry`, {
      ...now,
      code: error.code,
    });
  }
}

/** Which change a role row asks of the ledger. */
function changeOf(row: RoleRow): Change {
  return WANTS.revoke.includes(row.chainStatus) ? "revoke" : "grant";
}
