import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { getAddress } from "ethers";
import { DomainError } from "#common";
import {
  AdvisoryPassLease,
  LotRepository,
  type AttestationRecord,
  type ParticipantRecord,
  type PassLease,
} from "#database";
import {
  ledgerDomain,
  recoverAttestationSigner,
  statementHash,
  VERDICTS,
  type AttestationAuthorization,
  type AttestationStatement,
  type Verdict,
} from "#proof";
import type { EvidenceStore } from "#evidence";
import { type Ledger, toChainError } from "#ledger";
import { EVIDENCE_STORE, LEDGER } from "../runtime.ports.js";

const RETRY_MS = 30_000;

/**
 * Certifiers sign a statement about a lot's bundle (EIP-712, TraceLedger's domain); the service checks it and
 * records it on the ledger with `attestBySig`, paying the gas. What the chain has not taken yet is retried.
 */
@Injectable()
export class AttestationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger("attestations");
  private readonly inFlight = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(EVIDENCE_STORE) private readonly evidence: EvidenceStore,
    private readonly lots: LotRepository,
    @Inject(AdvisoryPassLease) private readonly lease: PassLease,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.retryPending(), RETRY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async attest(
    certifier: ParticipantRecord,
    lot: { id: string },
    input: Readonly<Record<string, unknown>>,
    signature: string,
    authorization: AttestationAuthorization,
  ): Promise<AttestationRecord> {
    const statement = checkStatement(input, lot.id);
    if (authorization.deadline * 1000 <= Date.now()) {
      throw new DomainError(
        "ATTESTATION.EXPIRED",
        "invalid",
        `The signature's deadline (${new Date(authorization.deadline * 1000).toISOString()}) has passed: sign again`,
        { deadline: authorization.deadline },
      );
    }
    if (!certifier.roles.some((r) => r.role === "certifier" && r.chainStatus === "granted")) {
      throw new DomainError(
        "ATTESTATION.NOT_A_CERTIFIER",
        "forbidden",
        "Only a participant holding the certifier role on the ledger may attest",
      );
    }
    const domain = ledgerDomain(this.ledger.chain.chainId, this.ledger.addresses.TraceLedger);
    let signer: string;
    try {
      signer = recoverAttestationSigner(domain, statement, authorization, signature);
    } catch (error) {
      throw new DomainError(
        "ATTESTATION.SIGNATURE_MALFORMED",
        "invalid",
        "The signature cannot be recovered",
        {},
        { cause: error },
      );
    }
    if (signer !== getAddress(certifier.address)) {
      throw new DomainError(
        "ATTESTATION.SIGNATURE_INVALID",
        "forbidden",
        `Signed by ${signer}, not by the certifier's key ${certifier.address}`,
        {
          recovered: signer,
        },
      );
    }
    if (!(await this.evidence.has(statement.reportCid))) {
      throw new DomainError(
        "ATTESTATION.REPORT_UNKNOWN",
        "invalid",
        `The report ${statement.reportCid} is not held by this service: upload it first`,
        {
          cid: statement.reportCid,
        },
      );
    }
    const record = await this.lots.addAttestation({
      lotId: lot.id,
      subject: statement.bundleDigest,
      statementHash: statementHash(statement),
      statement: statement as unknown as Record<string, unknown>,
      verdict: statement.verdict,
      reportCid: statement.reportCid,
      participantId: certifier.id,
      certifier: certifier.address,
      signature,
      nonce: authorization.nonce,
      deadline: authorization.deadline,
    });
    if (record === undefined) {
      throw new DomainError(
        "ATTESTATION.EXISTS",
        "conflict",
        "This certifier already made this statement about this bundle",
      );
    }
    return this.record(record);
  }

  /**
   * Submits one attestation (never twice at once in this process). A revert is checked against the ledger: if the
   * attestation is there (a retry racing the first submission, whose nonce it then finds used), it is recorded.
   */
  private async record(record: AttestationRecord): Promise<AttestationRecord> {
    if (this.inFlight.has(record.id)) return record;
    this.inFlight.add(record.id);
    try {
      await this.submit(record);
    } finally {
      this.inFlight.delete(record.id);
    }
    const [updated] = (await this.lots.attestations(record.lotId)).filter((a) => a.id === record.id);
    return updated ?? record;
  }

  private async submit(record: AttestationRecord): Promise<void> {
    try {
      const verdict = VERDICTS.indexOf(record.verdict as Verdict);
      const tx = await this.ledger.traceLedger.attestBySig(
        record.subject,
        record.statementHash,
        verdict,
        record.reportCid,
        record.nonce,
        record.deadline,
        record.certifier,
        record.signature,
      );
      const receipt = await tx.wait();
      await this.lots.markAttestation(record.id, {
        status: "recorded",
        txHash: tx.hash,
        blockNumber: receipt?.blockNumber ?? 0,
      });
      this.logger.log("attestation recorded on the ledger", { id: record.id, tx: tx.hash });
    } catch (error) {
      const chainError = toChainError(error);
      if (await this.onLedger(record)) {
        await this.lots.markAttestation(record.id, { status: "recorded" });
        return;
      }
      // A signature past its deadline can never be recorded: the certifier must sign again.
      const retry = chainError.kind === "unavailable" && record.deadline * 1000 > Date.now();
      await this.lots.markAttestation(record.id, {
        status: retry ? "pending" : "failed",
        error: `${chainError.code}: ${chainError.message}`,
      });
    }
  }

  private async onLedger(record: AttestationRecord): Promise<boolean> {
    try {
      const recorded = await this.ledger.traceLedger.attestationsOf(record.subject);
      return recorded.some(
        (a) => getAddress(a.certifier) === getAddress(record.certifier) && a.statementHash === record.statementHash,
      );
    } catch {
      return false;
    }
  }

  /** One instance at a time retries (the lease): two would submit the same attestation twice. */
  private async retryPending(): Promise<void> {
    try {
      await this.lease.run("attestations", async () => {
        for (const record of await this.lots.pendingAttestations()) await this.record(record);
      });
    } catch (error) {
      this.logger.warn("attestations could not be retried; will try again", { error: String(error) });
    }
  }
}

/** The statement as the certifier sent it, checked field by field before it is trusted as a statement. */
function checkStatement(statement: Readonly<Record<string, unknown>>, lotId: string): AttestationStatement {
  const text = (value: unknown): string => (typeof value === "string" ? value : "");
  const problems = [
    statement.type === "CarbonTraceAttestation" ? undefined : 'type must be "CarbonTraceAttestation"',
    statement.version === 1 ? undefined : "version must be 1",
    statement.lot === lotId ? undefined : `lot must be ${lotId}`,
    /^0x[0-9a-f]{64}$/.test(text(statement.bundleDigest)) ? undefined : "bundleDigest must be a bytes32 hex digest",
    (VERDICTS as readonly string[]).includes(text(statement.verdict))
      ? undefined
      : `verdict must be one of ${VERDICTS.join(", ")}`,
    text(statement.reportCid) !== "" ? undefined : "reportCid is required",
    !Number.isNaN(Date.parse(text(statement.issuedAt))) ? undefined : "issuedAt must be a date-time",
    statement.footprint === null || typeof statement.footprint === "object"
      ? undefined
      : "footprint must be an object or null",
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) {
    throw new DomainError("ATTESTATION.STATEMENT_INVALID", "invalid", problems.join("; "), { problems });
  }
  return statement as unknown as AttestationStatement;
}
