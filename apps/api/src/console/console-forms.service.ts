import { Injectable } from "@nestjs/common";
import type { ParticipantRecord } from "#database";
import type { ExpectedActivity, Localized, StageOutput } from "#footprint";
import { ModelsService } from "../models/models.service.js";

/** One form the console offers a partner: a step of a product model's stage that its roles may record. */
export interface ConsoleForm {
  readonly model: { readonly id: string; readonly version: number; readonly name: Localized };
  readonly stage: {
    readonly key: string;
    readonly name: Localized;
    readonly role: string;
    readonly process: string | null;
  };
  readonly step: "produce";
  /** What the stage makes, with the mass of one piece for products counted in pieces (when the model gives it). */
  readonly outputs: ReadonlyArray<StageOutput & { readonly itemMassKg: number | null }>;
  /** The activities the form asks for with the lot (per kg of output: electricity, fuels). */
  readonly activities: readonly ExpectedActivity[];
}

export interface ConsoleForms {
  readonly participant: {
    readonly id: string;
    readonly organisation: string;
    readonly name: Localized;
    /** The GLN of its site (its identifier, when that is a GLN). */
    readonly gln: string | null;
    readonly country: string | null;
    readonly custodial: boolean;
    /** The address its events are signed by (a self-custody partner's own key). */
    readonly address: string;
    readonly roles: readonly string[];
  };
  readonly forms: readonly ConsoleForm[];
}

/**
 * The console's forms, generated from the product models: for each stage whose ledger role the partner holds and
 * which makes something, a "record a lot you made" form with the products the stage makes and the activities the
 * model asks for with them.
 */
@Injectable()
export class ConsoleFormsService {
  constructor(private readonly models: ModelsService) {}

  async formsFor(participant: ParticipantRecord): Promise<ConsoleForms> {
    const roles = participant.roles.filter((r) => r.chainStatus === "granted").map((r) => r.role);
    const forms = (await this.models.list()).flatMap(({ model }) =>
      model.stages
        .filter(
          (stage) => roles.includes(stage.role) && stage.steps.includes("produce") && (stage.outputs ?? []).length > 0,
        )
        .map((stage): ConsoleForm => ({
          model: { id: model.id, version: model.version, name: model.name },
          stage: { key: stage.key, name: stage.name, role: stage.role, process: stage.process ?? null },
          step: "produce",
          outputs: (stage.outputs ?? []).map((output) => ({
            ...output,
            itemMassKg: output.unit === "EA" && model.gtins.includes(output.gtin) ? (model.unitMassKg ?? null) : null,
          })),
          activities: stage.activities.filter(
            (activity) => activity.per === "kg-output" && (activity.kind === "electricity" || activity.kind === "fuel"),
          ),
        })),
    );
    return {
      participant: {
        id: participant.id,
        organisation: participant.organisation,
        name: { en: participant.displayNameEn, zh: participant.displayNameZh },
        gln: participant.identifierScheme === "gln" ? participant.identifier : null,
        country: participant.country,
        custodial: participant.custodial,
        address: participant.address,
        roles,
      },
      forms,
    };
  }
}
