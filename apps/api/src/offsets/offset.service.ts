import { Inject, Injectable } from "@nestjs/common";
import { ChainJobRunner, type ChainJobHandler } from "#anchoring";
import { DomainError } from "#common";
import {
  OffsetRepository,
  ParticipantRepository,
  type HoldingRecord,
  type ParticipantRecord,
  type ProductRecord,
  type ProductRevisionRecord,
  type RetirementRecord,
} from "#database";
import { parseLabelPath } from "#digital-link";
import type { CreditRetirement, RetiredOnChain } from "#ledger";
import { formatSerial, parseCreditSerial } from "#offsets";
import { LotAccess } from "../proofs/lot-access.js";
import { OFFSET_LEDGER, type OffsetLedger } from "./offset-ledger.js";
import type { HoldingDto, ProductDto, RetireDto } from "./offsets.dto.js";

/** The offset rows the service reads and writes. */
export type OffsetRows = Pick<
  OffsetRepository,
  | "saveProduct"
  | "product"
  | "productHistory"
  | "addHolding"
  | "holdings"
  | "holding"
  | "reserveRetirement"
  | "markRetirement"
  | "retirement"
  | "retirementsOfLot"
>;

/** What a retirement looks like to API clients and on the journey page (serials as decimal strings). */
export interface RetirementView {
  readonly id: string;
  readonly lot: string;
  readonly registry: string;
  readonly projectId: string;
  readonly vintage: number;
  readonly serial: string;
  readonly firstSerial: string;
  readonly lastSerial: string;
  readonly credits: string;
  readonly quantityKg: number;
  readonly beneficiary: string;
  readonly reason: string | null;
  readonly status: RetirementRecord["status"];
  readonly chain: {
    readonly chainId: string;
    readonly offsetRegistry: string;
    readonly retirementId: number | null;
    readonly txHash: string | null;
    readonly blockNumber: number | null;
  };
  readonly retiredAt: string | null;
  readonly lastError: string | null;
}

/**
 * Products, credit holdings, and retirements of credits for lots: a range is reserved in PostgreSQL first (no
 * two requests can take the same serials, and the reservation queues its chain job in the same transaction), then
 * retired on OffsetRegistry (which refuses any overlap on its own) by the chain-job outbox. A chain that cannot be
 * reached leaves the retirement pending; its job is tried again until the chain answers.
 */
@Injectable()
export class OffsetService {
  constructor(
    @Inject(OFFSET_LEDGER) private readonly ledger: OffsetLedger,
    @Inject(OffsetRepository) private readonly offsets: OffsetRows,
    @Inject(ParticipantRepository) private readonly participants: Pick<ParticipantRepository, "brandOwnerOf">,
    private readonly access: LotAccess,
    @Inject(ChainJobRunner) private readonly jobs: ChainJobRunner,
  ) {
    jobs.register("retirement", this.retirementJob());
  }

  async saveProduct(
    gtin: string,
    body: ProductDto,
    participant: ParticipantRecord | undefined,
  ): Promise<ProductRecord> {
    const { gtin: normalized } = parseLabelPath(gtin, "0");
    if (participant !== undefined) await this.requireBrandOwner(normalized, participant);
    return this.offsets.saveProduct({
      gtin: normalized,
      name: { en: body.name.en, zh: body.name.zh },
      ...(body.description === undefined ? {} : { description: body.description }),
      registeredBy: participant?.id ?? null,
    });
  }

  /** Who named the product, when, and how: every change is kept. */
  async productHistory(gtin: string): Promise<ProductRevisionRecord[]> {
    const product = await this.product(gtin);
    return this.offsets.productHistory(product.gtin);
  }

  /**
   * Only the brand owner names a product: the participant that registered the GS1 Company Prefix the GTIN is
   * under (the administrator may too). Labels and the journey page print this name.
   */
  private async requireBrandOwner(gtin: string, participant: ParticipantRecord): Promise<void> {
    const owner = await this.participants.brandOwnerOf(gtin);
    if (owner?.id === participant.id) return;
    throw new DomainError(
      "PRODUCT.NOT_BRAND_OWNER",
      "forbidden",
      owner === undefined
        ? `No participant has registered the GS1 Company Prefix of GTIN ${gtin}: only the administrator may name it`
        : `GTIN ${gtin} belongs to ${owner.organisation} (its GS1 Company Prefix): only it or the administrator may name it`,
      { gtin, brandOwner: owner?.organisation ?? null },
    );
  }

  async product(gtin: string): Promise<ProductRecord> {
    const { gtin: normalized } = parseLabelPath(gtin, "0");
    const product = await this.offsets.product(normalized);
    if (product === undefined) {
      throw new DomainError("PRODUCT.NOT_FOUND", "not-found", `There is no product with GTIN ${normalized}`, {
        gtin: normalized,
      });
    }
    return product;
  }

  async addHolding(body: HoldingDto, participant: ParticipantRecord | undefined): Promise<HoldingView> {
    const parsed = parseCreditSerial(body.serial, body.registry);
    const { firstSerial, lastSerial, quantity, ...fields } = parsed;
    const holding = await this.offsets.addHolding({
      registry: parsed.registry,
      serialBlock: parsed.serialBlock,
      projectId: parsed.projectId,
      vintage: parsed.vintage,
      country: parsed.country ?? null,
      firstSerial,
      lastSerial,
      serial: parsed.canonical,
      details: { ...fields, quantity: quantity.toString() },
      registeredBy: participant?.id ?? null,
    });
    return holdingView(holding);
  }

  async holdings(): Promise<HoldingView[]> {
    return (await this.offsets.holdings()).map(holdingView);
  }

  /** Retires credits for a lot: a producer of the lot or the administrator. */
  async retire(lotId: string, body: RetireDto, participant: ParticipantRecord | undefined): Promise<RetirementView> {
    const lot = await this.access.requireLot(lotId);
    if (participant !== undefined) await this.access.requireProducer(lot.id, participant);
    const holding = await this.offsets.holding(body.holdingId);
    if (holding === undefined) {
      throw new DomainError("OFFSET.HOLDING_NOT_FOUND", "not-found", `There is no credit holding ${body.holdingId}`, {
        holding: body.holdingId,
      });
    }
    const reserved = await this.offsets.reserveRetirement({
      holdingId: holding.id,
      lotId: lot.id,
      serials: serialsOf(body, holding),
      beneficiary: body.beneficiary,
      reason: body.reason ?? null,
      requestedBy: participant?.id ?? null,
      serialOf: (h, first, last) => formatSerial(parseCreditSerial(h.serial), first, last),
    });
    const job = await this.jobs.enqueue("retirement", reserved.id);
    const outcome = await this.jobs.runNow(job.id);
    if (outcome.state === "refused") throw outcome.error;
    return this.view((await this.offsets.retirement(reserved.id)) ?? reserved);
  }

  async retirementsOfLot(lotId: string): Promise<RetirementView[]> {
    const lot = await this.access.requireLot(lotId);
    return (await this.offsets.retirementsOfLot(lot.id)).map((r) => this.view(r));
  }

  /**
   * How a retirement's chain job runs: found on OffsetRegistry (exactly this range for this lot) or sent there;
   * a refusal releases the reserved serials ("failed"); an unreachable chain keeps them ("pending").
   */
  private retirementJob(): ChainJobHandler<RetirementRecord, RetiredOnChain> {
    return {
      load: async (id) => {
        const retirement = await this.offsets.retirement(id);
        return retirement?.status === "pending" ? retirement : undefined;
      },
      find: (retirement) => this.ledger.find(creditRetirementOf(retirement)),
      send: (retirement, record) => this.ledger.send(creditRetirementOf(retirement), record),
      done: (retirement, retired) =>
        this.offsets.markRetirement(retirement.id, {
          status: "retired",
          txHash: retired.txHash,
          blockNumber: retired.blockNumber,
          chainRetirementId: retired.retirementId,
        }),
      refused: (retirement, error) =>
        this.offsets.markRetirement(retirement.id, { status: "failed", error: `${error.code}: ${error.message}` }),
      waiting: (retirement, error) =>
        this.offsets.markRetirement(retirement.id, {
          status: "pending",
          ...(error === undefined ? {} : { error: `${error.code}: ${error.message}` }),
        }),
    };
  }

  private view(retirement: RetirementRecord): RetirementView {
    return {
      id: retirement.id,
      lot: retirement.lotId,
      registry: retirement.registry,
      projectId: retirement.projectId,
      vintage: retirement.vintage,
      serial: retirement.serial,
      firstSerial: retirement.firstSerial.toString(),
      lastSerial: retirement.lastSerial.toString(),
      credits: (retirement.lastSerial - retirement.firstSerial + 1n).toString(),
      quantityKg: retirement.quantityKg,
      beneficiary: retirement.beneficiary,
      reason: retirement.reason,
      status: retirement.status,
      chain: {
        chainId: this.ledger.chainId.toString(),
        offsetRegistry: this.ledger.offsetRegistry,
        retirementId: retirement.chainRetirementId,
        txHash: retirement.txHash,
        blockNumber: retirement.blockNumber,
      },
      retiredAt: retirement.retiredAt?.toISOString() ?? null,
      lastError: retirement.lastError,
    };
  }
}

export interface HoldingView {
  readonly id: string;
  readonly registry: string;
  readonly serialBlock: string;
  readonly projectId: string;
  readonly vintage: number;
  readonly country: string | null;
  readonly serial: string;
  readonly firstSerial: string;
  readonly lastSerial: string;
  readonly credits: string;
  readonly retiredCredits: string;
  readonly availableCredits: string;
  readonly details: Record<string, unknown>;
  readonly createdAt: string;
}

function holdingView(holding: HoldingRecord): HoldingView {
  const credits = holding.lastSerial - holding.firstSerial + 1n;
  return {
    id: holding.id,
    registry: holding.registry,
    serialBlock: holding.serialBlock,
    projectId: holding.projectId,
    vintage: holding.vintage,
    country: holding.country,
    serial: holding.serial,
    firstSerial: holding.firstSerial.toString(),
    lastSerial: holding.lastSerial.toString(),
    credits: credits.toString(),
    retiredCredits: holding.usedCredits.toString(),
    availableCredits: (credits - holding.usedCredits).toString(),
    details: holding.details,
    createdAt: holding.createdAt.toISOString(),
  };
}

function creditRetirementOf(retirement: RetirementRecord): CreditRetirement {
  return {
    registry: retirement.registry,
    serialBlock: retirement.serialBlock,
    projectId: retirement.projectId,
    vintage: retirement.vintage,
    firstSerial: retirement.firstSerial,
    lastSerial: retirement.lastSerial,
    lot: retirement.lotId,
    beneficiary: retirement.beneficiary,
  };
}

/** Which serials a request names: a count, or an explicit sub-range written as a serial of the same block. */
function serialsOf(body: RetireDto, holding: HoldingRecord): { credits: bigint } | { first: bigint; last: bigint } {
  if (body.serial === undefined) return { credits: BigInt(body.credits ?? "0") };
  const named = parseCreditSerial(body.serial);
  if (named.registry !== holding.registry || named.serialBlock !== holding.serialBlock) {
    throw new DomainError(
      "OFFSET.RANGE_OUTSIDE_HOLDING",
      "invalid",
      `Serial ${body.serial} is not of the holding's block ${holding.registry} ${holding.serialBlock}`,
      { holding: holding.id },
    );
  }
  return { first: named.firstSerial, last: named.lastSerial };
}
