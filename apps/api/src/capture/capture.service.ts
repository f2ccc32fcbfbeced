import { createHash } from "node:crypto";
import { Inject, Injectable } from "@nestjs/common";
import { DomainError, isUuid } from "#common";
import {
  captureDocumentFromXml,
  checkEventCount,
  EpcisSchemaValidator,
  parseDocument,
  prepareEvents,
  SUPPLY_CHAIN_ROLES,
  type ParsedDocument,
  type PreparedEvent,
  type SupplyChainRole,
} from "#capture";
import { KeyVault } from "#custody";
import {
  CaptureRepository,
  EventRepository,
  ParticipantRepository,
  type CaptureJobRecord,
  type CaptureResult,
  type EventToStore,
  type ParticipantRecord,
} from "#database";
import {
  declarationIdOf,
  recoverDeclarationSigner,
  recoverEventSigner,
  signDeclaration,
  signEventHash,
  signingDomain,
  type SigningDomain,
  type DigestSignerRecovery,
  type DocumentHashing,
  type HashedDocument,
  type TypedDataSigner,
} from "#proof";
import type { Config } from "#config";
import { explainHashDifference, type HashDifference } from "#epcis";
import type { EvidenceStore } from "#evidence";
import type { Ledger } from "#ledger";
import type { EpcisSchemaSource, EpcisXmlSchema } from "#runtime";
import { Metrics } from "../metrics/metrics.js";
import {
  CONFIG,
  EPCIS_SCHEMA,
  EPCIS_XML_SCHEMA,
  DOCUMENT_HASHING,
  EVIDENCE_STORE,
  LEDGER,
  SIGNER_RECOVERY,
} from "../runtime.ports.js";

/** A finished capture job and the events it stored. */
export interface CaptureJob {
  readonly job: CaptureJobRecord;
  readonly stored: ReadonlyArray<{ readonly eventId: string; readonly eventHash: string }>;
}

/**
 * POST /capture: the GS1 schema, our extension, who may record what, authorship (EIP-712 signatures over the
 * CBV event hashes, or the service signing for a custodial participant), evidence that resolves in IPFS, then
 * one database transaction with mass balance. Any failure rejects the whole document and stores nothing.
 */
@Injectable()
export class CaptureService {
  private readonly validator: EpcisSchemaValidator | undefined;
  readonly domain: SigningDomain;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(EPCIS_SCHEMA) private readonly epcisSchema: EpcisSchemaSource,
    @Inject(EPCIS_XML_SCHEMA) private readonly epcisXmlSchema: EpcisXmlSchema,
    @Inject(EVIDENCE_STORE) private readonly evidence: EvidenceStore,
    @Inject(LEDGER) ledger: Ledger,
    @Inject(SIGNER_RECOVERY) private readonly recover: DigestSignerRecovery,
    @Inject(DOCUMENT_HASHING) private readonly hashing: DocumentHashing,
    private readonly captures: CaptureRepository,
    private readonly events: EventRepository,
    private readonly participants: ParticipantRepository,
    private readonly vault: KeyVault,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    const schema = epcisSchema.schema;
    this.validator = schema === undefined ? undefined : new EpcisSchemaValidator(schema);
    this.domain = signingDomain(ledger.chain.chainId, ledger.addresses.TraceLedger);
  }

  get limits(): { maxBytes: number; maxEvents: number } {
    return { maxBytes: this.config.capture.maxBytes, maxEvents: this.config.capture.maxEvents };
  }

  /** Capture jobs, newest first: a participant's own, or everyone's when `owner` is undefined (administrator). */
  async jobs(owner: string | undefined, limit: number): Promise<CaptureJob[]> {
    const jobs = await this.events.listCaptureJobs(owner, limit);
    return Promise.all(jobs.map((job) => this.withEvents(job)));
  }

  /** One job; another participant's looks the same as none. */
  async job(owner: string | undefined, id: string): Promise<CaptureJob> {
    const job = isUuid(id) ? await this.events.findCaptureJob(id) : undefined;
    if (job === undefined || (owner !== undefined && job.participantId !== owner)) {
      throw new DomainError("CAPTURE.NOT_FOUND", "not-found", `No capture job ${id}`);
    }
    return this.withEvents(job);
  }

  private async withEvents(job: CaptureJobRecord): Promise<CaptureJob> {
    return { job, stored: await this.events.eventHashesOfCapture(job.id) };
  }

  async capture(participant: ParticipantRecord, body: unknown, rawBody: Buffer | undefined): Promise<CaptureResult> {
    const stop = this.metrics.captureDuration.startTimer();
    const result = await this.store(participant, body, rawBody);
    stop();
    for (const event of result.events) this.metrics.capturedEvents.inc({ outcome: event.outcome });
    return result;
  }

  /**
   * An EPCIS XML document (2.0, or 1.2 where the standard maps it): checked against GS1's XSDs when configured,
   * then captured as its JSON-LD form, with the same event hashes; the stored digest is that of the XML bytes.
   */
  async captureXml(participant: ParticipantRecord, xml: string, rawBody: Buffer | undefined): Promise<CaptureResult> {
    const read = captureDocumentFromXml(xml);
    if (this.epcisXmlSchema.validate !== undefined && read.version === "2.0") {
      const problems = await this.epcisXmlSchema.validate(xml, read.kind);
      if (problems.length > 0) {
        throw new DomainError(
          "EPCIS.XML_SCHEMA_INVALID",
          "invalid",
          `The document does not match GS1's EPCIS 2.0 XML schema: ${problems.slice(0, 3).join("; ")}`,
          { problems: problems.slice(0, 50) },
        );
      }
    }
    return this.capture(participant, read.document, rawBody);
  }

  /** The GS1 schema, then the document's events, as many as a capture may hold. */
  private validated(body: unknown): ParsedDocument {
    if (this.validator === undefined) {
      throw new DomainError("EPCIS.SCHEMA_UNAVAILABLE", "unavailable", this.epcisSchema.detail);
    }
    this.validator.check(body);
    const document = parseDocument(body);
    checkEventCount(document, this.limits.maxEvents);
    return document;
  }

  /**
   * A document read as capture reads it (schema, extension, who may record what, quantities), stopping before
   * signatures, evidence and storage: what a partner sees before signing. The administrator reads it with every
   * supply-chain role.
   */
  prepareUnsigned(participant: ParticipantRecord | undefined, body: unknown): PreparedEvent[] {
    return this.readUnsigned(participant, body).events;
  }

  private readUnsigned(
    participant: ParticipantRecord | undefined,
    body: unknown,
  ): { document: ParsedDocument; events: PreparedEvent[] } {
    const document = this.validated(body);
    const roles = participant === undefined ? SUPPLY_CHAIN_ROLES : grantedRoles(participant);
    const prepare = () => prepareEvents(document, roles, this.limits.maxEvents);
    return {
      document,
      events: participant === undefined ? prepare() : withPendingRolesExplained(participant, prepare),
    };
  }

  /**
   * Before signing: the document read as capture reads it, its evidence looked up, and its storing rehearsed in a
   * transaction that is rolled back, so that a mass-balance, custody or place problem is known (with capture's
   * code and details) while the partner can still correct the form. Signatures are not asked for yet.
   */
  async rehearse(participant: ParticipantRecord, body: unknown): Promise<PreparedEvent[]> {
    requireOwnKey(participant);
    const { document, events } = this.readUnsigned(participant, body);
    await this.checkEvidence(events);
    await this.captures.rehearse({
      participantId: participant.id,
      recordTime: new Date(),
      documentSha256: createHash("sha256").update(JSON.stringify(body)).digest("hex"),
      context: document.context,
      events: events.map((event) => ({
        prepared: event,
        signer: participant.address,
        signature: UNSIGNED,
        custodial: participant.custodial,
        declarationId: declarationOf(event),
      })),
    });
    return events;
  }

  private async store(
    participant: ParticipantRecord,
    body: unknown,
    rawBody: Buffer | undefined,
  ): Promise<CaptureResult> {
    requireOwnKey(participant);
    const document = this.validated(body);
    // Hashes and signers off the event loop (worker threads), then every rule in the same order as ever.
    const hashed = await this.hashing.hash({
      domain: this.domain,
      namespaces: document.namespaces,
      events: document.events,
      signatures: participant.custodial ? new Map() : document.signatures,
    });
    const events = withPendingRolesExplained(participant, () =>
      prepareEvents(document, grantedRoles(participant), this.limits.maxEvents, hashed.hashes),
    );
    const signed = participant.custodial
      ? await this.signForCustodian(participant, events)
      : this.checkSignatures(participant, document, events, document.signatures, hashed.signers);
    await this.checkEvidence(events);
    return this.captures.capture({
      participantId: participant.id,
      recordTime: new Date(),
      documentSha256: createHash("sha256")
        .update(rawBody ?? JSON.stringify(body))
        .digest("hex"),
      context: document.context,
      events: signed,
    });
  }

  private checkSignatures(
    participant: ParticipantRecord,
    document: ParsedDocument,
    events: readonly PreparedEvent[],
    signatures: ReadonlyMap<string, string>,
    recovered: HashedDocument["signers"],
  ): EventToStore[] {
    const missing = events.filter((event) => !signatures.has(event.eventHash));
    if (missing.length > 0) {
      const mismatch = hashMismatchOf(missing, signatures, document);
      if (mismatch !== undefined) throw mismatch;
      const unmatched = unmatchedSignatures(missing, signatures);
      throw new DomainError(
        "CAPTURE.SIGNATURE_MISSING",
        "invalid",
        `${missing.length} event(s) are not signed: add ct:signatures with an EIP-712 signature of each event hash ` +
          "(`carbontrace sign` does it)" +
          (unmatched.length === 0
            ? ""
            : `; the signatures name ${String(unmatched.length)} hash(es) no event has: an event changed after ` +
              "signing, or the signing tool hashes differently (compare its pre-hash string with " +
              "`carbontrace hash --explain`)"),
        {
          missing: missing.map((e) => ({ eventIndex: e.index, eventHash: e.eventHash })),
          ...(unmatched.length === 0 ? {} : { unmatchedSignatures: unmatched }),
        },
      );
    }
    return events.map((event) => {
      const signature = signatures.get(event.eventHash) ?? "";
      // Events' signers were recovered with their hashes; declarations are signed as declarations, checked here.
      const signer =
        event.errorDeclaration === undefined
          ? (thrown(recovered.get(event.eventHash)) ??
            recoverEventSigner(this.domain, event.eventHash, signature, this.recover))
          : recoverDeclarationSigner(this.domain, event.eventHash, event.errorDeclaration, signature, this.recover);
      if (signer !== participant.address) {
        throw new DomainError(
          "CAPTURE.SIGNATURE_INVALID",
          "forbidden",
          `Event ${event.index} is signed by ${signer}, not by this participant's key ${participant.address} ` +
            "(or it was signed over different content or for another ledger" +
            `${event.errorDeclaration === undefined ? "" : "; an error declaration is signed as one: `carbontrace sign` does it"})`,
          { eventIndex: event.index, eventHash: event.eventHash, recovered: signer, expected: participant.address },
        );
      }
      return { prepared: event, signer, signature, custodial: false, declarationId: declarationOf(event) };
    });
  }

  private async signForCustodian(
    participant: ParticipantRecord,
    events: readonly PreparedEvent[],
  ): Promise<EventToStore[]> {
    const sealed = await this.participants.sealedKeyOf(participant.id);
    if (sealed === null) throw new Error(`custodial participant ${participant.id} has no sealed key`);
    const wallet = this.vault.open(sealed, participant.address);
    const signed: EventToStore[] = [];
    for (const event of events) {
      const signature = await this.sign(wallet, event);
      signed.push({
        prepared: event,
        signer: wallet.address,
        signature,
        custodial: true,
        declarationId: declarationOf(event),
      });
    }
    return signed;
  }

  private sign(wallet: TypedDataSigner, event: PreparedEvent): Promise<string> {
    return event.errorDeclaration === undefined
      ? signEventHash(wallet, this.domain, event.eventHash)
      : signDeclaration(wallet, this.domain, event.eventHash, event.errorDeclaration);
  }

  private async checkEvidence(events: readonly PreparedEvent[]): Promise<void> {
    const checked = new Map<string, boolean>();
    for (const event of events) {
      for (const cid of event.evidenceCids) {
        let held = checked.get(cid);
        if (held === undefined) {
          held = await this.evidence.has(cid).catch((error: unknown) => {
            if ((error as { code?: string }).code === "EVIDENCE.INVALID_CID") return false;
            throw error;
          });
          checked.set(cid, held);
        }
        if (!held) {
          throw new DomainError(
            "CAPTURE.EVIDENCE_UNKNOWN",
            "invalid",
            `Event ${event.index} points to evidence ${cid}, which this service does not hold: upload it with POST /evidence first`,
            { eventIndex: event.index, cid },
          );
        }
      }
    }
  }
}

/** A participant whose person has not created its key yet has nothing to sign with (its address is a placeholder). */
function requireOwnKey(participant: ParticipantRecord): void {
  if (participant.keyStatus === "awaiting") {
    throw new DomainError(
      "CAPTURE.KEY_NOT_SET",
      "conflict",
      "This participant's key has not been created yet: its person creates it in the partner console first",
    );
  }
}

/** What a rehearsal stores in place of a signature (65 zero bytes): rolled back, never kept. */
const UNSIGNED = `0x${"00".repeat(65)}`;

/** An error declaration's id (what it is anchored under), or undefined for an ordinary event. */
function declarationOf(event: PreparedEvent): string | undefined {
  return event.errorDeclaration === undefined ? undefined : declarationIdOf(event.eventHash, event.errorDeclaration);
}

function grantedRoles(participant: ParticipantRecord): SupplyChainRole[] {
  return participant.roles
    .filter((role) => role.chainStatus === "granted")
    .map((role) => role.role)
    .filter((role): role is SupplyChainRole => (SUPPLY_CHAIN_ROLES as readonly string[]).includes(role));
}

/**
 * Only roles the ledger has granted count, because verifiers check signers against the ledger. When a role
 * that would allow the event is registered but not granted yet, say that instead of "not allowed".
 */
function withPendingRolesExplained<T>(participant: ParticipantRecord, prepare: () => T): T {
  try {
    return prepare();
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== "CAPTURE.ROLE_NOT_ALLOWED") throw error;
    const allowed = (error.details.allowed ?? []) as readonly string[];
    const pending = participant.roles.find(
      (role) => (role.chainStatus === "pending" || role.chainStatus === "failed") && allowed.includes(role.role),
    );
    if (pending === undefined) throw error;
    throw new DomainError(
      "CAPTURE.ROLE_NOT_ON_CHAIN",
      "conflict",
      `The participant's ${pending.role} role is not granted on the ledger yet (${pending.chainStatus}` +
        `${pending.chainError === null ? "" : `: ${pending.chainError}`}); try again once it is`,
      { ...error.details, role: pending.role, chainStatus: pending.chainStatus },
    );
  }
}

/** A signer recovered beforehand, or the error its recovery met (PROOF.SIGNATURE_MALFORMED) thrown. */
function thrown(signer: string | DomainError | undefined): string | undefined {
  if (signer instanceof DomainError) throw signer;
  return signer;
}

const HASH_CAUSES: Readonly<Record<Exclude<HashDifference["cause"], "unknown">, string>> = {
  "python-booleans": "wrote booleans as Python's True/False (CBV 2.0 writes them as XML does: true/false)",
  "undeclared-prefixes":
    "left prefixes that the EPCIS context declares unexpanded because the document does not repeat them " +
    "(CBV 2.0 expands every compact IRI)",
  "python-booleans+undeclared-prefixes":
    "wrote booleans as True/False and left the EPCIS context's prefixes unexpanded (CBV 2.0 does neither)",
};

/**
 * A signature under a hash that is not the event's, which one of the reference implementation's known departures
 * explains: the partner's tool hashed the event differently. Names the event, both hashes, the cause and the
 * fields. Undefined otherwise (an event changed after signing looks the same, and stays SIGNATURE_MISSING).
 */
function hashMismatchOf(
  missing: readonly PreparedEvent[],
  signatures: ReadonlyMap<string, string>,
  document: ParsedDocument,
): DomainError | undefined {
  const claimed = unmatchedSignatures(missing, signatures);
  for (const event of missing) {
    for (const claimedHash of claimed) {
      const difference = explainHashDifference(document.events[event.index] ?? {}, document.namespaces, claimedHash);
      if (difference.cause === "unknown") continue;
      return new DomainError(
        "CAPTURE.EVENT_HASH_MISMATCH",
        "invalid",
        `Event ${String(event.index)} is signed under the hash ${claimedHash}, but its CBV 2.0 event hash is ` +
          `${event.eventHash}: your tool ${HASH_CAUSES[difference.cause]}, in ${difference.fields.join(", ")}. ` +
          "Sign the hash `carbontrace hash` prints (docs/event-hash.md).",
        {
          eventIndex: event.index,
          claimedHash,
          eventHash: event.eventHash,
          cause: difference.cause,
          fields: difference.fields,
          preHash: difference.preHash,
        },
      );
    }
  }
  return undefined;
}

/** Hashes the document's signatures name that none of its unsigned events has. */
function unmatchedSignatures(missing: readonly PreparedEvent[], signatures: ReadonlyMap<string, string>): string[] {
  return [...signatures.keys()].filter((hash) => !missing.some((event) => event.eventHash === hash));
}
