import { Injectable } from "@nestjs/common";
import {
  AnchorRepository,
  EventRepository,
  LotRepository,
  ParticipantRepository,
  type ParticipantRecord,
} from "#database";
import type { ExpectedActivity, Localized, ModelStage, ProductModel, StageOutput } from "#footprint";
import { ModelsService } from "../models/models.service.js";

/** The kinds of step the console has a form for. */
export type ConsoleStep = "produce" | "transform" | "ship" | "receive" | "store";

/** One stage of a product model whose ledger role the partner holds: the steps it records there. */
export interface ConsoleForm {
  readonly model: { readonly id: string; readonly version: number; readonly name: Localized };
  readonly stage: {
    readonly key: string;
    readonly name: Localized;
    readonly role: string;
    readonly process: string | null;
  };
  /** The stage's main step: what it makes (produce or transform), else its first. */
  readonly step: ConsoleStep;
  /** Every step of the stage, in the model's order. */
  readonly steps: readonly ConsoleStep[];
  /** What the stage makes, with the mass of one piece for products counted in pieces (when the model gives it). */
  readonly outputs: ReadonlyArray<StageOutput & { readonly itemMassKg: number | null }>;
  /** The activities the form asks for with the lot (per kg of output: electricity, fuels). */
  readonly activities: readonly ExpectedActivity[];
  /** The stage reports its transport legs (mode and distance) when it ships. */
  readonly transport: boolean;
}

export interface ConsoleForms {
  readonly participant: {
    readonly id: string;
    readonly organisation: string;
    readonly name: Localized;
    /** The GLN of its site (its identifier, when that is a GLN). */
    readonly gln: string | null;
    /** Every site its events may name: its own GLN, then its registered locations. */
    readonly sites: readonly string[];
    readonly country: string | null;
    readonly custodial: boolean;
    /** `awaiting`: its person creates its key in this console (POST /console/key) before recording anything. */
    readonly keyStatus: "set" | "awaiting";
    /** The address its events are signed by (a self-custody partner's own key); null while awaiting it. */
    readonly address: string | null;
    readonly roles: readonly string[];
  };
  readonly forms: readonly ConsoleForm[];
}

/** A lot the partner holds, or one shipped to it that it has not received yet. */
export interface ConsoleLot {
  /** The lot's Digital Link URI. */
  readonly lot: string;
  readonly gtin: string;
  readonly lotNumber: string;
  /** The product's name in the models (null for a product no model names). */
  readonly name: Localized | null;
  readonly unit: "KGM" | "EA";
  /** What the partner holds and may use, ship or store. */
  readonly held: number;
  /** Shipped to the partner and not received yet. */
  readonly inTransit: number;
  /** Who shipped what is in transit. */
  readonly from: { readonly id: string; readonly name: Localized; readonly gln: string | null } | null;
  /** kg per piece (lots counted in pieces), for the mass a transport leg carries. */
  readonly itemMassKg: number | null;
}

/** One of the partner's latest records and how far it is on its way onto the ledger. */
export interface ConsoleRecord {
  readonly eventHash: string;
  /** The CBV step without its prefix (commissioning, shipping, receiving, storing…); null when none is given. */
  readonly bizStep: string | null;
  readonly eventType: string;
  readonly recordTime: string;
  readonly lots: ReadonlyArray<{ readonly lot: string; readonly gtin: string; readonly lotNumber: string }>;
  /** pending: stored, waiting for its batch; anchored: in a batch on the ledger; final: past the finality depth. */
  readonly status: "pending" | "anchored" | "final";
  readonly txHash: string | null;
}

/** How many of its latest records the console lists. */
const RECORDS_SHOWN = 30;

/** A partner in the directory: whom a lot can be shipped to. */
export interface ConsolePartner {
  readonly id: string;
  readonly name: Localized;
  readonly gln: string;
  readonly roles: readonly string[];
}

const STEPS: readonly ConsoleStep[] = ["produce", "transform", "ship", "receive", "store"];

/**
 * The console's forms, generated from the product models: for each stage whose ledger role the partner holds,
 * the steps it records there, the products it makes and the activities the model asks for; with them the
 * partner's lots (what remains of each) and the directory of partners it can ship to.
 */
@Injectable()
export class ConsoleFormsService {
  constructor(
    private readonly models: ModelsService,
    private readonly lots: LotRepository,
    private readonly participants: ParticipantRepository,
    private readonly events: EventRepository,
    private readonly anchors: AnchorRepository,
  ) {}

  /** The partner's latest records, newest first, each with its anchoring status and transaction. */
  async recordsOf(participant: ParticipantRecord): Promise<ConsoleRecord[]> {
    const recent = await this.events.recentOf(participant.id, RECORDS_SHOWN);
    const anchors = await this.anchors.anchorsOf(recent.map((event) => event.eventHash));
    return recent.map((event): ConsoleRecord => {
      const batch = anchors.get(event.eventHash)?.batch;
      const status = batch?.status === "final" ? "final" : batch?.status === "anchored" ? "anchored" : "pending";
      return {
        eventHash: event.eventHash,
        bizStep: event.bizStep === null ? null : event.bizStep.replace(/^.*[/:-]/, ""),
        eventType: event.eventType,
        recordTime: event.recordTime.toISOString(),
        lots: event.lots.map((lot) => {
          const match = /\/01\/(\d{14})\/10\/(.+)$/.exec(lot);
          return { lot, gtin: match?.[1] ?? "", lotNumber: match === null ? lot : decodeURIComponent(match[2] ?? "") };
        }),
        status,
        txHash: status === "pending" ? null : (batch?.txHash ?? null),
      };
    });
  }

  async formsFor(participant: ParticipantRecord): Promise<ConsoleForms> {
    const roles = grantedRoles(participant);
    const forms = (await this.models.list()).flatMap(({ model }) =>
      model.stages.filter((stage) => roles.includes(stage.role)).map((stage) => formOf(model, stage)),
    );
    return {
      participant: {
        id: participant.id,
        organisation: participant.organisation,
        name: { en: participant.displayNameEn, zh: participant.displayNameZh },
        gln: glnOf(participant),
        sites: [
          ...new Set([...(glnOf(participant) === null ? [] : [participant.identifier]), ...participant.locations]),
        ],
        country: participant.country,
        custodial: participant.custodial,
        keyStatus: participant.keyStatus,
        address: participant.keyStatus === "awaiting" ? null : participant.address,
        roles,
      },
      forms,
    };
  }

  /** The partner's lots: what it holds of each, and shipments to it not yet received, with who sent them. */
  async lotsOf(participant: ParticipantRecord): Promise<ConsoleLot[]> {
    const [holdings, models, everyone] = await Promise.all([
      this.lots.holdingsOf(participant.id),
      this.models.list(),
      this.participants.list(),
    ]);
    const names = productNames(models.map((view) => view.model));
    const masses = new Map(models.flatMap(({ model }) => model.gtins.map((gtin) => [gtin, model.unitMassKg] as const)));
    const byId = new Map(everyone.map((p) => [p.id, p]));
    return holdings.map((holding): ConsoleLot => {
      const shipper = holding.shipperId === null ? undefined : byId.get(holding.shipperId);
      const unit = holding.unit === "EA" ? "EA" : "KGM";
      return {
        lot: holding.lotId,
        gtin: holding.gtin,
        lotNumber: holding.lotNumber,
        name: names.get(holding.gtin) ?? null,
        unit,
        held: Number(holding.held),
        inTransit: Number(holding.inTransit),
        from:
          shipper === undefined
            ? null
            : { id: shipper.id, name: { en: shipper.displayNameEn, zh: shipper.displayNameZh }, gln: glnOf(shipper) },
        itemMassKg: unit === "EA" ? (numberOrNull(holding.kgPerUnit) ?? masses.get(holding.gtin) ?? null) : null,
      };
    });
  }

  /** Every other participant with a site (GLN) and a granted supply-chain role: whom a lot may be shipped to. */
  async partnersOf(participant: ParticipantRecord): Promise<ConsolePartner[]> {
    return (await this.participants.list()).flatMap((other) => {
      const gln = glnOf(other);
      const roles = grantedRoles(other).filter((role) => role !== "certifier");
      return other.id === participant.id || gln === null || roles.length === 0
        ? []
        : [{ id: other.id, name: { en: other.displayNameEn, zh: other.displayNameZh }, gln, roles }];
    });
  }
}

function formOf(model: ProductModel, stage: ModelStage): ConsoleForm {
  const steps = STEPS.filter((step) => (stage.steps as readonly string[]).includes(step));
  return {
    model: { id: model.id, version: model.version, name: model.name },
    stage: { key: stage.key, name: stage.name, role: stage.role, process: stage.process ?? null },
    step: steps.find((step) => step === "produce" || step === "transform") ?? steps[0] ?? "store",
    steps,
    outputs: (stage.outputs ?? []).map((output) => ({
      ...output,
      itemMassKg: output.unit === "EA" && model.gtins.includes(output.gtin) ? (model.unitMassKg ?? null) : null,
    })),
    activities: stage.activities.filter(
      (activity) => activity.per === "kg-output" && (activity.kind === "electricity" || activity.kind === "fuel"),
    ),
    transport: stage.activities.some((activity) => activity.kind === "transport"),
  };
}

/** Products by GTIN as the models name them (the first model to name one wins). */
function productNames(models: readonly ProductModel[]): Map<string, Localized> {
  const names = new Map<string, Localized>();
  for (const output of models.flatMap((model) => model.stages.flatMap((stage) => stage.outputs ?? []))) {
    if (!names.has(output.gtin)) names.set(output.gtin, output.name);
  }
  return names;
}

function grantedRoles(participant: ParticipantRecord): string[] {
  return participant.roles.filter((r) => r.chainStatus === "granted").map((r) => r.role);
}

function glnOf(participant: ParticipantRecord): string | null {
  return participant.identifierScheme === "gln" ? participant.identifier : null;
}

function numberOrNull(text: string | null): number | null {
  return text === null ? null : Number(text);
}
