import { Inject, Injectable } from "@nestjs/common";
import { DomainError } from "#common";
import {
  ParticipantRepository,
  ProductModelRepository,
  type ParticipantRecord,
  type ProductModelRecord,
} from "#database";
import { BUILT_IN_MODELS, parseProductModel, type ProductModel } from "#footprint";

/** A model as the API shows it: the model, where it comes from, and who declared it. */
export interface ModelView {
  readonly model: ProductModel;
  /** "built-in": shipped with CarbonTrace (version 1 of its id); "declared": stored through the API. */
  readonly origin: "built-in" | "declared";
  readonly declaredBy: string | null;
  readonly declaredAt: string | null;
}

const builtIn = (model: ProductModel): ModelView => ({ model, origin: "built-in", declaredBy: null, declaredAt: null });

/**
 * Product models: the shipped ones and those declared through the API, version by version. A lot's model is the
 * latest declared version naming its GTIN, else the shipped model naming it. Who may declare: the administrator,
 * or the brand owner of every GTIN the model names (the participant that registered their GS1 Company Prefix);
 * a new version of a declared model only by the participant that declared it (or the administrator); a new
 * version of a shipped model only by the administrator.
 */
@Injectable()
export class ModelsService {
  constructor(
    @Inject(ProductModelRepository) private readonly models: ProductModelRepository,
    @Inject(ParticipantRepository) private readonly participants: Pick<ParticipantRepository, "brandOwnerOf">,
  ) {}

  async list(): Promise<ModelView[]> {
    const declared = (await this.models.latest()).map(declaredView);
    const ids = new Set(declared.map((view) => view.model.id));
    return [...BUILT_IN_MODELS.filter((model) => !ids.has(model.id)).map(builtIn), ...declared];
  }

  async get(id: string, version?: number): Promise<ModelView> {
    const shipped = BUILT_IN_MODELS.find((model) => model.id === id);
    if (version === 1 && shipped !== undefined) return builtIn(shipped);
    const stored = await this.models.find(id, version);
    if (stored !== undefined) return declaredView(stored);
    if (version === undefined && shipped !== undefined) return builtIn(shipped);
    throw new DomainError(
      "MODEL.NOT_FOUND",
      "not-found",
      version === undefined
        ? `There is no product model ${id}`
        : `Product model ${id} has no version ${String(version)}`,
      { id, ...(version === undefined ? {} : { version }) },
    );
  }

  async versions(id: string): Promise<ModelView[]> {
    const shipped = BUILT_IN_MODELS.find((model) => model.id === id);
    const stored = (await this.models.versions(id)).map(declaredView);
    if (shipped === undefined && stored.length === 0) {
      throw new DomainError("MODEL.NOT_FOUND", "not-found", `There is no product model ${id}`, { id });
    }
    return [...(shipped === undefined ? [] : [builtIn(shipped)]), ...stored];
  }

  /** The model a lot of this GTIN is read with, or undefined (generic stage names, no range checks). */
  async forGtin(gtin: string): Promise<ProductModel | undefined> {
    const stored = await this.models.forGtin(gtin);
    if (stored !== undefined) return modelOf(stored);
    return BUILT_IN_MODELS.find((model) => model.gtins.includes(gtin));
  }

  /** Declares a new model (version 1). */
  async create(body: unknown, participant: ParticipantRecord | undefined): Promise<ModelView> {
    const model = parseProductModel(withoutVersion(body));
    await this.requireBrandOwner(model, participant);
    return this.append(model, participant, "new", 0);
  }

  /** Declares the next version of a model; the body's `id`, if any, must be the path's. */
  async createVersion(id: string, body: unknown, participant: ParticipantRecord | undefined): Promise<ModelView> {
    const model = parseProductModel({ id, ...withoutVersion(body) });
    if (model.id !== id) {
      throw new DomainError("MODEL.INVALID", "invalid", `The body names model ${model.id}, the path ${id}`, {
        errors: [`/id is ${model.id}, not ${id}`],
      });
    }
    const shipped = BUILT_IN_MODELS.some((m) => m.id === id);
    const first = (await this.models.versions(id))[0];
    if (participant !== undefined && (shipped || (first !== undefined && first.createdBy !== participant.id))) {
      throw new DomainError(
        "MODEL.FORBIDDEN",
        "forbidden",
        shipped
          ? `Model ${id} ships with CarbonTrace: only the administrator may version it; declare your own model id instead`
          : `Model ${id} was declared by another participant: only it or the administrator may version it`,
        { id },
      );
    }
    await this.requireBrandOwner(model, participant);
    return this.append(model, participant, "next", shipped ? 1 : 0);
  }

  private async append(
    model: ProductModel,
    participant: ParticipantRecord | undefined,
    expect: "new" | "next",
    floor: number,
  ): Promise<ModelView> {
    const outcome = await this.models.append({
      id: model.id,
      // The version is the row's: the stored body never says which version it is.
      body: { ...model, version: undefined },
      gtins: model.gtins,
      createdBy: participant?.id ?? null,
      expect,
      floor,
    });
    if ("appended" in outcome) return declaredView(outcome.appended);
    switch (outcome.conflict) {
      case "exists":
        throw new DomainError(
          "MODEL.EXISTS",
          "conflict",
          `Product model ${model.id} exists: declare a new version with POST /models/${model.id}/versions`,
          { id: model.id },
        );
      case "missing":
        throw new DomainError("MODEL.NOT_FOUND", "not-found", `There is no product model ${model.id}`, {
          id: model.id,
        });
      case "gtin-taken":
        throw new DomainError(
          "MODEL.GTIN_TAKEN",
          "conflict",
          `GTIN ${outcome.gtin} is modelled by ${outcome.model}: a product has one model (version that one instead)`,
          { gtin: outcome.gtin, model: outcome.model },
        );
    }
  }

  /** A participant declares models only for its own products (every GTIN under its GS1 Company Prefixes). */
  private async requireBrandOwner(model: ProductModel, participant: ParticipantRecord | undefined): Promise<void> {
    if (participant === undefined) return;
    for (const gtin of model.gtins) {
      const owner = await this.participants.brandOwnerOf(gtin);
      if (owner?.id !== participant.id) {
        throw new DomainError(
          "MODEL.NOT_BRAND_OWNER",
          "forbidden",
          owner === undefined
            ? `No participant has registered the GS1 Company Prefix of GTIN ${gtin}: only the administrator may model it`
            : `GTIN ${gtin} belongs to ${owner.organisation} (its GS1 Company Prefix): only it or the administrator may model it`,
          { gtin, brandOwner: owner?.organisation ?? null },
        );
      }
    }
  }
}

/** The service numbers versions: a declared `version` is ignored rather than trusted. */
function withoutVersion(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new DomainError("MODEL.INVALID", "invalid", "The product model must be a JSON object", {
      errors: ["/ must be object"],
    });
  }
  return { ...(body as Record<string, unknown>), version: undefined };
}

function modelOf(record: ProductModelRecord): ProductModel {
  return parseProductModel({ ...record.body, id: record.id, version: record.version });
}

function declaredView(record: ProductModelRecord): ModelView {
  return {
    model: modelOf(record),
    origin: "declared",
    declaredBy: record.createdBy,
    declaredAt: record.createdAt.toISOString(),
  };
}
