import { IsNull, type DataSource, type EntityManager } from "typeorm";
import { ConsoleInvitationEntity } from "./entities/console-invitation.entity.js";
import { ConsoleSessionEntity } from "./entities/console-session.entity.js";
import { ConsoleUserEntity } from "./entities/console-user.entity.js";
import { pgCode } from "./sql.js";

export interface InvitationRecord {
  readonly id: string;
  readonly participantId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface ConsoleUserRecord {
  readonly id: string;
  readonly participantId: string;
  readonly username: string;
  readonly passphraseHash: string;
}

export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly secretSha256: Buffer;
  readonly userAgent: string | null;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
}

export interface NewSession {
  readonly id: string;
  readonly secretSha256: Buffer;
  readonly userAgent: string | null;
  readonly expiresAt: Date;
}

/** Why an invitation cannot be used ("unknown" never says whether the id exists); or its username is taken. */
export type InvitationRefusal = "unknown" | "used" | "expired" | "revoked" | "username-taken";

/** The partner console's invitations, people and sessions. */
export class ConsoleRepository {
  constructor(private readonly dataSource: DataSource) {}

  async createInvitation(invitation: {
    id: string;
    participantId: string;
    secretSha256: Buffer;
    expiresAt: Date;
  }): Promise<InvitationRecord> {
    const repository = this.dataSource.getRepository(ConsoleInvitationEntity);
    return toInvitation(await repository.save(repository.create({ ...invitation, usedAt: null, revokedAt: null })));
  }

  async invitations(participantId: string): Promise<InvitationRecord[]> {
    const rows = await this.dataSource
      .getRepository(ConsoleInvitationEntity)
      .find({ where: { participantId }, order: { createdAt: "DESC" } });
    return rows.map(toInvitation);
  }

  /** True if an unused invitation of the participant was revoked. */
  async revokeInvitation(participantId: string, id: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(ConsoleInvitationEntity)
      .update({ id, participantId, usedAt: IsNull(), revokedAt: IsNull() }, { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Uses an invitation: in one transaction, the invitation row is locked and checked (`secretMatches` on its
   * stored hash, not used, not revoked, not expired), marked used, and the person and their first session are
   * created. Two browsers using the same link at once: one wins, the other is refused as "used".
   */
  async redeemInvitation(
    id: string,
    secretMatches: (secretSha256: Buffer) => boolean,
    user: { username: string; passphraseHash: string },
    session: NewSession,
  ): Promise<{ user: ConsoleUserRecord; session: SessionRecord } | { refused: InvitationRefusal }> {
    try {
      return await this.redeem(id, secretMatches, user, session);
    } catch (error) {
      // Another person took the username between the caller's check and this insert: nothing was written.
      if (pgCode(error) === "23505") return { refused: "username-taken" };
      throw error;
    }
  }

  private redeem(
    id: string,
    secretMatches: (secretSha256: Buffer) => boolean,
    user: { username: string; passphraseHash: string },
    session: NewSession,
  ): Promise<{ user: ConsoleUserRecord; session: SessionRecord } | { refused: InvitationRefusal }> {
    return this.dataSource.transaction(async (manager) => {
      const invitation = await manager
        .getRepository(ConsoleInvitationEntity)
        .findOne({ where: { id }, lock: { mode: "pessimistic_write" } });
      if (invitation === null || !secretMatches(invitation.secretSha256)) return { refused: "unknown" as const };
      if (invitation.usedAt !== null) return { refused: "used" as const };
      if (invitation.revokedAt !== null) return { refused: "revoked" as const };
      if (invitation.expiresAt.getTime() <= Date.now()) return { refused: "expired" as const };
      await manager.getRepository(ConsoleInvitationEntity).update({ id }, { usedAt: new Date() });
      const users = manager.getRepository(ConsoleUserEntity);
      const created = await users.save(users.create({ participantId: invitation.participantId, ...user }));
      return { user: toUser(created), session: await insertSession(manager, created.id, session) };
    });
  }

  async usernameTaken(username: string): Promise<boolean> {
    return this.dataSource.getRepository(ConsoleUserEntity).exists({ where: { username } });
  }

  async userByUsername(username: string): Promise<ConsoleUserRecord | undefined> {
    const row = await this.dataSource.getRepository(ConsoleUserEntity).findOneBy({ username });
    return row === null ? undefined : toUser(row);
  }

  async user(id: string): Promise<ConsoleUserRecord | undefined> {
    const row = await this.dataSource.getRepository(ConsoleUserEntity).findOneBy({ id });
    return row === null ? undefined : toUser(row);
  }

  createSession(userId: string, session: NewSession): Promise<SessionRecord> {
    return this.dataSource.transaction((manager) => insertSession(manager, userId, session));
  }

  async session(id: string): Promise<SessionRecord | undefined> {
    const row = await this.dataSource.getRepository(ConsoleSessionEntity).findOneBy({ id });
    return row === null ? undefined : toSession(row);
  }

  /** Marks the session seen now (its idle deadline moves on). */
  async touchSession(id: string, at: Date): Promise<void> {
    await this.dataSource.getRepository(ConsoleSessionEntity).update({ id }, { lastSeenAt: at });
  }

  /** A person's live sessions, newest first. */
  async sessions(userId: string): Promise<SessionRecord[]> {
    const rows = await this.dataSource
      .getRepository(ConsoleSessionEntity)
      .find({ where: { userId, revokedAt: IsNull() }, order: { createdAt: "DESC" } });
    return rows.map(toSession);
  }

  /** True if a live session of this person was revoked. */
  async revokeSession(userId: string, id: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(ConsoleSessionEntity)
      .update({ id, userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }
}

async function insertSession(manager: EntityManager, userId: string, session: NewSession): Promise<SessionRecord> {
  const sessions = manager.getRepository(ConsoleSessionEntity);
  const now = new Date();
  return toSession(await sessions.save(sessions.create({ ...session, userId, lastSeenAt: now, revokedAt: null })));
}

function toInvitation(row: ConsoleInvitationEntity): InvitationRecord {
  const { id, participantId, createdAt, expiresAt, usedAt, revokedAt } = row;
  return { id, participantId, createdAt, expiresAt, usedAt, revokedAt };
}

function toUser(row: ConsoleUserEntity): ConsoleUserRecord {
  const { id, participantId, username, passphraseHash } = row;
  return { id, participantId, username, passphraseHash };
}

function toSession(row: ConsoleSessionEntity): SessionRecord {
  const { id, userId, secretSha256, userAgent, createdAt, lastSeenAt, expiresAt, revokedAt } = row;
  return { id, userId, secretSha256, userAgent, createdAt, lastSeenAt, expiresAt, revokedAt };
}
