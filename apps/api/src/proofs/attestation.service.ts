import { Inject, Injectable } from "@nestjs/common";
import { getAddress } from "ethers";
import { ChainJobRunner, type ChainJobHandler } from "#anchoring";
import { DomainError } from "#common";
import { LotRepository, type AttestationRecord, type ParticipantRecord } from "#database";
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
import type { Ledger } from "#ledger";
import { EVIDENCE_STORE, LEDGER } from "../runtime.ports.js";

/**
 * Certifiers sign a statement about a lot's bundle (EIP-712, TraceLedger's domain); the service checks it and
 * records it on the ledger with `attestBySig`, paying the gas, through the chain-job outbox (the attestation and
 * its job are stored in one transaction). What the chain has not taken yet is retried.
 */
@Injectable()
export class AttestationService {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(EVIDENCE_STORE) private readonly evidence: EvidenceStore,
    private readonly lots: LotRepository,
    @Inject(ChainJobRunner) private readonly jobs: ChainJobRunner,
  ) {
    jobs.register("attestation", this.attestationJob());
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

  /** Records the attestation on the ledger now, unless another worker already is (then it stays pending). */
  private async record(record: AttestationRecord): Promise<AttestationRecord> {
    const job = await this.jobs.enqueue("attestation", record.id);
    await this.jobs.runNow(job.id);
    return (await this.lots.attestation(record.id)) ?? record;
  }

  /**
   * How an attestation's chain job runs: found among the subject's attestations on TraceLedger (same certifier,
   * same statement: sent by an earlier attempt, whose nonce a retry would find used) or sent with `attestBySig`.
   * A signature past its deadline can never be recorded: the certifier must sign again.
   */
  private attestationJob(): ChainJobHandler<AttestationRecord, true> {
    return {
      load: async (id) => {
        const record = await this.lots.attestation(id);
        return record?.status === "pending" ? record : undefined;
      },
      find: async (record) => ((await this.onLedger(record)) ? true : undefined),
      expired: (record) =>
        record.deadline * 1000 > Date.now()
          ? undefined
          : new DomainError(
              "ATTESTATION.EXPIRED",
              "invalid",
              `The signature's deadline (${new Date(record.deadline * 1000).toISOString()}) passed before the ledger took it: sign again`,
              { deadline: record.deadline },
            ),
      send: async (record, sign) => {
        const request = await this.ledger.traceLedger.attestBySig.populateTransaction(
          record.subject,
          record.statementHash,
          VERDICTS.indexOf(record.verdict as Verdict),
          record.reportCid,
          record.nonce,
          record.deadline,
          record.certifier,
          record.signature,
        );
        return this.ledger.chain.signer.sendRecorded(request, sign);
      },
      done: (record, _found, tx) =>
        this.lots.markAttestation(record.id, {
          status: "recorded",
          ...(tx === undefined ? {} : { txHash: tx.hash, blockNumber: tx.blockNumber }),
        }),
      refused: (record, error) =>
        this.lots.markAttestation(record.id, { status: "failed", error: `${error.code}: ${error.message}` }),
      waiting: (record, error) =>
        this.lots.markAttestation(record.id, {
          status: "pending",
          ...(error === undefined ? {} : { error: `${error.code}: ${error.message}` }),
        }),
    };
  }

  private async onLedger(record: AttestationRecord): Promise<boolean> {
    const recorded = await this.ledger.traceLedger.attestationsOf(record.subject);
    return recorded.some(
      (a) => getAddress(a.certifier) === getAddress(record.certifier) && a.statementHash === record.statementHash,
    );
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
