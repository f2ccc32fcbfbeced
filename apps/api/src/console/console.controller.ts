import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res } from "@nestjs/common";
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from "@nestjs/swagger";
import type { Request, Response } from "express";
import { DomainError, isUuid } from "#common";
import type { Config } from "#config";
import type { Ledger } from "#ledger";
import { signingDomain } from "#proof";
import type { InvitationRecord, ParticipantRecord, SessionRecord } from "#database";
import { AdminOnly, CurrentPrincipal, ParticipantOnly, Public } from "../auth/access.decorator.js";
import { AuthFailureLimiter } from "../auth/auth-failures.js";
import type { Principal } from "../auth/principal.js";
import { baseUrlOf } from "../common/urls.js";
import { CONFIG, LEDGER } from "../runtime.ports.js";
import { ParticipantDto } from "../participants/dto/participant.dto.js";
import { ParticipantsService, toParticipantDto } from "../participants/participants.service.js";
import {
  ConsoleAccessService,
  INVITATION_HOURS,
  type ConsoleSession,
  type SignedIn,
} from "./console-access.service.js";
import {
  ConsoleFormsService,
  type ConsoleForms,
  type ConsoleLot,
  type ConsoleRecord,
  type ConsolePartner,
} from "./console-forms.service.js";
import {
  ConsoleSessionDto,
  CreateInvitationDto,
  InvitationDto,
  IssuedInvitationDto,
  JoinDto,
  OwnKeyDto,
  SessionDto,
  SignInDto,
} from "./console.dto.js";
import { clearSessionCookie, setSessionCookie } from "./session-cookie.js";

@ApiTags("console")
@Controller()
export class ConsoleController {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly access: ConsoleAccessService,
    private readonly failures: AuthFailureLimiter,
    private readonly forms: ConsoleFormsService,
    private readonly participants: ParticipantsService,
    @Inject(LEDGER) private readonly ledger: Ledger,
  ) {}

  @Post("participants/:id/invitations")
  @AdminOnly()
  @ApiBearerAuth()
  @ApiOperation({
    summary: "Invite a participant's person to the partner console: a one-time link (and its QR code), shown once",
  })
  @ApiCreatedResponse({ type: IssuedInvitationDto })
  async invite(
    @Param("id") participantId: string,
    @Body() body: CreateInvitationDto,
    @Req() request: Request,
  ): Promise<IssuedInvitationDto> {
    const hours = body.expiresInHours ?? INVITATION_HOURS.default;
    const issued = await this.access.invite(uuid(participantId), hours, baseUrlOf(request));
    return Object.assign(invitationDto(issued.invitation), { url: issued.url, qrSvg: issued.qrSvg });
  }

  @Get("participants/:id/invitations")
  @AdminOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: "A participant's console invitations, newest first (never their secrets)" })
  @ApiOkResponse({ type: InvitationDto, isArray: true })
  async invitations(@Param("id") participantId: string): Promise<InvitationDto[]> {
    return (await this.access.invitations(uuid(participantId))).map(invitationDto);
  }

  @Delete("participants/:id/invitations/:invitation")
  @AdminOnly()
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: "Withdraw an unused invitation" })
  @ApiNoContentResponse()
  async revokeInvitation(@Param("id") participantId: string, @Param("invitation") id: string): Promise<void> {
    await this.access.revokeInvitation(uuid(participantId), id);
  }

  @Post("console/join")
  @Public()
  @ApiOperation({
    summary: "Use an invitation: choose a username and passphrase; signs this browser in (HttpOnly session cookie)",
  })
  @ApiCreatedResponse({ type: ConsoleSessionDto })
  async join(
    @Body() body: JoinDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ConsoleSessionDto> {
    const signedIn = await this.failures.guard(request, () =>
      this.access.join(body.invitation, body.username, body.passphrase, request.headers["user-agent"]),
    );
    return this.startSession(signedIn, request, response);
  }

  @Post("console/sign-in")
  @Public()
  @ApiOperation({ summary: "Sign in to the partner console with a username and passphrase (HttpOnly session cookie)" })
  @ApiCreatedResponse({ type: ConsoleSessionDto })
  async signIn(
    @Body() body: SignInDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ConsoleSessionDto> {
    const signedIn = await this.failures.guard(request, () =>
      this.access.signIn(body.username, body.passphrase, request.headers["user-agent"]),
    );
    return this.startSession(signedIn, request, response);
  }

  @Get("console/session")
  @ParticipantOnly()
  @ApiCookieAuth()
  @ApiOperation({ summary: "The signed-in console user, and the anti-CSRF token its page sends with changes" })
  @ApiOkResponse({ type: ConsoleSessionDto })
  session(@CurrentPrincipal() principal: Principal): ConsoleSessionDto {
    return sessionDto(consoleSessionOf(principal));
  }

  @Get("console/forms")
  @ParticipantOnly()
  @ApiCookieAuth()
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      "The console's forms for the calling partner, generated from the product models: the stages its roles may record, their products and the activities asked for",
  })
  consoleForms(@CurrentPrincipal() principal: Principal): Promise<ConsoleForms> {
    return this.forms.formsFor(participantOf(principal));
  }

  @Post("console/key")
  @ParticipantOnly()
  @ApiCookieAuth()
  @ApiOperation({
    summary:
      "A self-custody participant's key, created in the browser: its address and an EIP-712 proof of possession (KeyPossession); once only. The key and its passphrase never reach the service",
  })
  @ApiCreatedResponse({ type: ParticipantDto })
  async ownKey(@CurrentPrincipal() principal: Principal, @Body() body: OwnKeyDto): Promise<ParticipantDto> {
    const session = consoleSessionOf(principal);
    const domain = signingDomain(this.ledger.chain.chainId, this.ledger.addresses.TraceLedger);
    return toParticipantDto(
      await this.participants.takeOwnKey(session.participant, body.address, body.signature, domain),
    );
  }

  @Get("console/lots")
  @ParticipantOnly()
  @ApiCookieAuth()
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      "The calling partner's lots: what it still holds of each (to use, ship or store) and shipments addressed to it not yet received, with their sender; newest first, at most 500",
  })
  consoleLots(@CurrentPrincipal() principal: Principal): Promise<ConsoleLot[]> {
    return this.forms.lotsOf(participantOf(principal));
  }

  @Get("console/records")
  @ParticipantOnly()
  @ApiCookieAuth()
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      "The calling partner's latest 30 records, newest first, each with its lots and its way onto the ledger (pending → anchored → final, with the transaction)",
  })
  consoleRecords(@CurrentPrincipal() principal: Principal): Promise<ConsoleRecord[]> {
    return this.forms.recordsOf(participantOf(principal));
  }

  @Get("console/partners")
  @ParticipantOnly()
  @ApiCookieAuth()
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      "The directory of partners a lot can be shipped to: other participants with a site (GLN) and a granted role",
  })
  consolePartners(@CurrentPrincipal() principal: Principal): Promise<ConsolePartner[]> {
    return this.forms.partnersOf(participantOf(principal));
  }

  @Get("console/sessions")
  @ParticipantOnly()
  @ApiCookieAuth()
  @ApiOperation({ summary: "The signed-in person's live sessions (browsers), newest first" })
  @ApiOkResponse({ type: SessionDto, isArray: true })
  async sessions(@CurrentPrincipal() principal: Principal): Promise<SessionDto[]> {
    const session = consoleSessionOf(principal);
    return (await this.access.sessions(session)).map((record) => sessionRecordDto(record, session.sessionId));
  }

  @Delete("console/sessions/:id")
  @ParticipantOnly()
  @ApiCookieAuth()
  @HttpCode(204)
  @ApiOperation({ summary: "Sign one of your sessions out (a lost phone); your own ends this browser's session" })
  @ApiNoContentResponse()
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param("id") id: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const session = consoleSessionOf(principal);
    await this.access.revoke(session, id);
    if (id === session.sessionId) clearSessionCookie(response, request, this.config);
  }

  @Post("console/sign-out")
  @ParticipantOnly()
  @ApiCookieAuth()
  @HttpCode(204)
  @ApiOperation({ summary: "Sign this browser out" })
  @ApiNoContentResponse()
  async signOut(
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const session = consoleSessionOf(principal);
    await this.access.revoke(session, session.sessionId);
    clearSessionCookie(response, request, this.config);
  }

  private startSession(signedIn: SignedIn, request: Request, response: Response): ConsoleSessionDto {
    setSessionCookie(response, request, this.config, signedIn.token, signedIn.expiresAt);
    response.setHeader("cache-control", "no-store");
    return sessionDto(signedIn.session);
  }
}

function participantOf(principal: Principal): ParticipantRecord {
  if (principal.kind !== "participant") throw new Error("ParticipantOnly let another principal through");
  return principal.participant;
}

/** The console session of a request signed in by cookie; API keys are for machines, not for the console. */
function consoleSessionOf(principal: Principal): ConsoleSession {
  if (principal.kind !== "participant" || principal.session === undefined) {
    throw new DomainError(
      "CONSOLE.SESSION_REQUIRED",
      "forbidden",
      "This is for a person signed in to the console (a session cookie), not for an API key",
    );
  }
  return principal.session;
}

function uuid(value: string): string {
  if (!isUuid(value)) {
    throw new DomainError("PARTICIPANT.NOT_FOUND", "not-found", `There is no participant ${value}`, {
      participant: value,
    });
  }
  return value.toLowerCase();
}

function invitationDto(invitation: InvitationRecord): InvitationDto {
  const status =
    invitation.usedAt !== null
      ? "used"
      : invitation.revokedAt !== null
        ? "revoked"
        : invitation.expiresAt.getTime() <= Date.now()
          ? "expired"
          : "open";
  return {
    id: invitation.id,
    participant: invitation.participantId,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
    status,
  };
}

function sessionDto(session: ConsoleSession): ConsoleSessionDto {
  return {
    username: session.username,
    participant: session.participant.id,
    organisation: session.participant.organisation,
    csrfToken: session.csrfToken,
    session: session.sessionId,
  };
}

function sessionRecordDto(record: SessionRecord, current: string): SessionDto {
  return {
    id: record.id,
    userAgent: record.userAgent,
    createdAt: record.createdAt.toISOString(),
    lastSeenAt: record.lastSeenAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
    current: record.id === current,
  };
}
