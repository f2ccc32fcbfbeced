import { createHash, createHmac } from "node:crypto";
import { Inject, Injectable, Logger } from "@nestjs/common";
import { DomainError } from "#common";
import type { Config } from "#config";
import { hashPassphrase, issueConsoleToken, parseConsoleToken, passphraseMatches, sha256Matches } from "#custody";
import {
  ConsoleRepository,
  ParticipantRepository,
  type ConsoleUserRecord,
  type InvitationRecord,
  type ParticipantRecord,
  type SessionRecord,
} from "#database";
import { qrSvg } from "#labels";
import { CONFIG } from "../runtime.ports.js";

/** How long an invitation link works unless the administrator says otherwise (hours), and at most. */
export const INVITATION_HOURS = { default: 72, max: 168 } as const;
/** A session ends 30 days after sign-in, or after 7 days unused. */
const SESSION_DAYS = 30;
const IDLE_DAYS = 7;
const DAY_MS = 86_400_000;
/** Last-seen times are written at most this often (not on every request). */
const TOUCH_MS = 60_000;

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,39}$/;
export const PASSPHRASE_LENGTH = { min: 12, max: 200 } as const;

/** A signed-in console user, as the guard hands it on with the request. */
export interface ConsoleSession {
  readonly sessionId: string;
  readonly userId: string;
  readonly username: string;
  /** What the page must send back in `X-CSRF-Token` with every change it asks for. */
  readonly csrfToken: string;
  readonly participant: ParticipantRecord;
}

export interface IssuedInvitation {
  readonly invitation: InvitationRecord;
  readonly url: string;
  readonly qrSvg: string;
}

export interface SignedIn {
  readonly session: ConsoleSession;
  /** The cookie's value (the session token): set once, HttpOnly. */
  readonly token: string;
  readonly expiresAt: Date;
}

/**
 * The partner console's way in: the administrator invites a participant (a one-time link, also as a QR code);
 * the person who opens it chooses a username and passphrase, and is signed in. Later sign-ins use those. Browser
 * sessions are HttpOnly cookies; every change a session asks for carries an anti-CSRF token derived from the
 * session's secret (HMAC), so nothing about it is stored and a page on another site cannot produce it.
 */
@Injectable()
export class ConsoleAccessService {
  private readonly logger = new Logger("console");

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly console: ConsoleRepository,
    private readonly participants: ParticipantRepository,
  ) {}

  async invite(participantId: string, hours: number, baseUrl: string): Promise<IssuedInvitation> {
    await this.requireParticipant(participantId);
    const issued = issueConsoleToken("invitation");
    const invitation = await this.console.createInvitation({
      id: issued.id,
      participantId,
      secretSha256: issued.secretSha256,
      expiresAt: new Date(Date.now() + hours * 3_600_000),
    });
    // In the fragment: browsers never send it to a server, nor in a Referer.
    const url = `${this.config.public.baseUrl ?? baseUrl}/console/join#${issued.token}`;
    this.logger.log("console invitation issued", { participant: participantId, invitation: issued.id });
    return { invitation, url, qrSvg: qrSvg(url) };
  }

  async invitations(participantId: string): Promise<InvitationRecord[]> {
    await this.requireParticipant(participantId);
    return this.console.invitations(participantId);
  }

  async revokeInvitation(participantId: string, id: string): Promise<void> {
    if (!(await this.console.revokeInvitation(participantId, id))) {
      throw new DomainError(
        "CONSOLE.INVITATION_NOT_FOUND",
        "not-found",
        "There is no unused invitation with this id for this participant",
        { invitation: id },
      );
    }
  }

  /** Uses an invitation: the person's username and passphrase, and their first session. */
  async join(token: string, username: string, passphrase: string, userAgent: string | undefined): Promise<SignedIn> {
    const parsed = parseConsoleToken("invitation", token);
    if (parsed === undefined) throw invitationRefused("unknown");
    const name = checkUsername(username);
    checkPassphrase(passphrase);
    if (await this.console.usernameTaken(name)) throw usernameTaken(name);
    const issued = issueConsoleToken("session");
    const result = await this.console.redeemInvitation(
      parsed.id,
      (stored) => sha256Matches(parsed.secret, stored),
      { username: name, passphraseHash: await hashPassphrase(passphrase) },
      this.newSession(issued, userAgent),
    );
    if ("refused" in result) {
      if (result.refused === "username-taken") throw usernameTaken(name);
      throw invitationRefused(result.refused);
    }
    this.logger.log("console account set up", { user: result.user.id, participant: result.user.participantId });
    return this.signedIn(result.user, result.session, issued.token);
  }

  async signIn(username: string, passphrase: string, userAgent: string | undefined): Promise<SignedIn> {
    const user = await this.console.userByUsername(username.trim().toLowerCase());
    // A passphrase is hashed whether or not the user exists, so timing does not tell which usernames exist.
    const matches = await passphraseMatches(passphrase, user?.passphraseHash ?? UNKNOWN_USER_HASH);
    if (user === undefined || !matches) {
      throw new DomainError("AUTH.INVALID_CREDENTIALS", "unauthenticated", "The username or passphrase is not right");
    }
    const issued = issueConsoleToken("session");
    const session = await this.console.createSession(user.id, this.newSession(issued, userAgent));
    return this.signedIn(user, session, issued.token);
  }

  /** The session a cookie stands for; AUTH.SESSION_INVALID when it is unknown, revoked or expired. */
  async authenticate(token: string): Promise<ConsoleSession> {
    const parsed = parseConsoleToken("session", token);
    const session = parsed === undefined ? undefined : await this.console.session(parsed.id);
    const now = Date.now();
    if (
      parsed === undefined ||
      session === undefined ||
      !sha256Matches(parsed.secret, session.secretSha256) ||
      session.revokedAt !== null ||
      session.expiresAt.getTime() <= now ||
      session.lastSeenAt.getTime() + IDLE_DAYS * DAY_MS <= now
    ) {
      throw new DomainError(
        "AUTH.SESSION_INVALID",
        "unauthenticated",
        "The console session has ended (signed out, revoked or expired): sign in again",
      );
    }
    const user = await this.console.user(session.userId);
    if (user === undefined) throw new DomainError("AUTH.SESSION_INVALID", "unauthenticated", "Sign in again");
    if (now - session.lastSeenAt.getTime() > TOUCH_MS) await this.console.touchSession(session.id, new Date(now));
    return this.consoleSession(user, session.id, token);
  }

  /** Whether `header` is the session's anti-CSRF token. */
  csrfMatches(session: ConsoleSession, header: string | undefined): boolean {
    if (header === undefined) return false;
    return sha256Matches(header, createHash("sha256").update(session.csrfToken, "utf8").digest());
  }

  async sessions(session: ConsoleSession): Promise<SessionRecord[]> {
    return this.console.sessions(session.userId);
  }

  async revoke(session: ConsoleSession, id: string): Promise<void> {
    if (!(await this.console.revokeSession(session.userId, id))) {
      throw new DomainError("CONSOLE.SESSION_NOT_FOUND", "not-found", "You have no live session with this id", {
        session: id,
      });
    }
    this.logger.log("console session revoked", { user: session.userId, session: id });
  }

  private newSession(issued: { id: string; secretSha256: Buffer }, userAgent: string | undefined) {
    return {
      id: issued.id,
      secretSha256: issued.secretSha256,
      userAgent: userAgent?.slice(0, 300) ?? null,
      expiresAt: new Date(Date.now() + SESSION_DAYS * DAY_MS),
    };
  }

  private async signedIn(user: ConsoleUserRecord, session: SessionRecord, token: string): Promise<SignedIn> {
    return { session: await this.consoleSession(user, session.id, token), token, expiresAt: session.expiresAt };
  }

  private async consoleSession(user: ConsoleUserRecord, sessionId: string, token: string): Promise<ConsoleSession> {
    const participant = await this.requireParticipant(user.participantId);
    return {
      sessionId,
      userId: user.id,
      username: user.username,
      csrfToken: createHmac("sha256", token).update("carbontrace console csrf").digest("base64url"),
      participant,
    };
  }

  private async requireParticipant(id: string): Promise<ParticipantRecord> {
    const participant = await this.participants.findById(id);
    if (participant === undefined) {
      throw new DomainError("PARTICIPANT.NOT_FOUND", "not-found", `There is no participant ${id}`, { participant: id });
    }
    return participant;
  }
}

/** A valid scrypt hash of a random passphrase nobody knows: sign-ins of unknown usernames cost the same. */
const UNKNOWN_USER_HASH = await hashPassphrase(`unknown-${String(Math.random())}-${String(Date.now())}`);

function checkUsername(username: string): string {
  const name = username.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(name)) {
    throw new DomainError(
      "CONSOLE.USERNAME_INVALID",
      "invalid",
      "A username is 3 to 40 letters (a–z), digits, dots, dashes or underscores, starting with a letter or digit",
      { field: "username" },
    );
  }
  return name;
}

function checkPassphrase(passphrase: string): void {
  // Counted in graphemes (what a person counts on a keyboard), whatever the script.
  const length = [...new Intl.Segmenter().segment(passphrase)].length;
  if (length < PASSPHRASE_LENGTH.min || length > PASSPHRASE_LENGTH.max) {
    throw new DomainError(
      "CONSOLE.PASSPHRASE_TOO_SHORT",
      "invalid",
      `A passphrase is ${String(PASSPHRASE_LENGTH.min)} to ${String(PASSPHRASE_LENGTH.max)} characters (a few words are easiest)`,
      { field: "passphrase", min: PASSPHRASE_LENGTH.min },
    );
  }
}

function usernameTaken(username: string): DomainError {
  return new DomainError("CONSOLE.USERNAME_TAKEN", "conflict", `The username ${username} is taken: choose another`, {
    field: "username",
  });
}

function invitationRefused(reason: "unknown" | "used" | "expired" | "revoked"): DomainError {
  const words = {
    unknown: "This invitation link is not valid: ask your administrator for a new one",
    used: "This invitation link was already used: sign in, or ask your administrator for a new one",
    expired: "This invitation link has expired: ask your administrator for a new one",
    revoked: "This invitation link was withdrawn: ask your administrator for a new one",
  } as const;
  return new DomainError("CONSOLE.INVITATION_INVALID", reason === "unknown" ? "invalid" : "conflict", words[reason], {
    reason,
  });
}
