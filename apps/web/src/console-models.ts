/**
 * Product models in the console ("online modelling"): the models there are, and for a brand owner a form to
 * declare its product's model, starting from one of them, or a new version of one it declared. The form edits the
 * common fields; the whole model is the JSON beneath it, sent as is and checked by the service.
 */
import {
  element,
  fill,
  form,
  say,
  send,
  type ConsoleConfig,
  type Localized,
  type Problem,
  type SessionView,
} from "./console-common.js";

interface ModelView {
  readonly model: {
    readonly id: string;
    readonly version: number;
    readonly name: Localized;
    readonly gtins: readonly string[];
    readonly unitMassKg?: number;
    readonly stages: ReadonlyArray<{ readonly name: Localized }>;
  } & Record<string, unknown>;
  readonly origin: "built-in" | "declared";
  readonly declaredAt: string | null;
}

export async function startModels(config: ConsoleConfig): Promise<void> {
  const sessionResponse = await send("GET", "/console/session").catch(() => undefined);
  if (sessionResponse === undefined) {
    say(config.texts.unreachable);
    return;
  }
  if (!sessionResponse.ok) {
    location.assign(`/console?lang=${config.lang}`);
    return;
  }
  const session = (await sessionResponse.json()) as SessionView;
  let models = await listModels(config);
  const declare = form("declare");
  if (declare === null) return;
  declare.hidden = false;
  const template = declare.querySelector<HTMLSelectElement>('[name="template"]');
  template?.replaceChildren(
    ...models.map((view, index) => {
      const option = document.createElement("option");
      option.value = String(index);
      option.textContent = `${view.model.name[config.lang]} (${view.model.id})`;
      return option;
    }),
  );
  const json = declare.querySelector<HTMLTextAreaElement>('[name="json"]');
  const input = (name: string) => declare.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`);
  // A template fills the fields and the JSON; a field changes its part of the JSON.
  const fromTemplate = () => {
    const chosen = models[Number(template?.value ?? 0)];
    if (chosen === undefined || json === null) return;
    // The service numbers versions: the body names none.
    json.value = JSON.stringify({ ...chosen.model, version: undefined }, null, 2);
    for (const [name, value] of [
      ["id", chosen.model.id],
      ["nameEn", chosen.model.name.en],
      ["nameZh", chosen.model.name.zh],
      ["gtins", chosen.model.gtins.join("\n")],
      ["unitMassKg", chosen.model.unitMassKg === undefined ? "" : String(chosen.model.unitMassKg)],
    ] as const) {
      const field = input(name);
      if (field !== null) field.value = value;
    }
  };
  const intoJson = () => {
    if (json === null) return;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(json.value) as Record<string, unknown>;
    } catch {
      return;
    }
    const value = (name: string) => input(name)?.value.trim() ?? "";
    const mass = Number(value("unitMassKg"));
    Object.assign(body, {
      id: value("id"),
      name: { en: value("nameEn"), zh: value("nameZh") },
      gtins: value("gtins")
        .split(/[\s,;]+/)
        .filter((gtin) => gtin !== ""),
      ...(value("unitMassKg") === "" ? {} : { unitMassKg: Number.isFinite(mass) ? mass : value("unitMassKg") }),
    });
    json.value = JSON.stringify(body, null, 2);
  };
  template?.addEventListener("change", fromTemplate);
  for (const name of ["id", "nameEn", "nameZh", "gtins", "unitMassKg"])
    input(name)?.addEventListener("change", intoJson);
  fromTemplate();
  declare.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      intoJson();
      element("problems")?.replaceChildren();
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(json?.value ?? "") as Record<string, unknown>;
      } catch (error) {
        say(fill(config.texts.jsonInvalid, { message: (error as Error).message }));
        return;
      }
      const id = typeof body.id === "string" ? body.id : "";
      const existing = models.some((view) => view.model.id === id);
      const path = existing ? `/models/${encodeURIComponent(id)}/versions` : "/models";
      const response = await send("POST", path, body, session.csrfToken).catch(() => undefined);
      if (response === undefined) {
        say(config.texts.unreachable);
        return;
      }
      if (!response.ok) {
        showModelProblem((await response.json().catch(() => ({}))) as Problem, config);
        return;
      }
      const declared = (await response.json()) as ModelView;
      say(fill(config.texts.declared, { id: declared.model.id, version: String(declared.model.version) }));
      models = await listModels(config);
    })();
  });
}

/** The models, each with its version, origin, stages and products. */
async function listModels(config: ConsoleConfig): Promise<ModelView[]> {
  const models = (await (await send("GET", "/models")).json()) as ModelView[];
  const texts = config.texts;
  element("models")?.replaceChildren(
    ...models.map((view) => {
      const item = document.createElement("li");
      item.dataset.model = view.model.id;
      const name = document.createElement("strong");
      name.textContent = view.model.name[config.lang];
      const lines = [
        fill(texts.modelLine, {
          id: view.model.id,
          version: String(view.model.version),
          origin: fill(texts.origins[view.origin], { date: (view.declaredAt ?? "").slice(0, 10) }),
        }),
        fill(texts.modelStages, {
          stages: view.model.stages.map((stage) => stage.name[config.lang]).join(" → "),
        }),
        fill(texts.modelProducts, { gtins: view.model.gtins.join(", ") }),
      ].map((line) => {
        const small = document.createElement("small");
        small.textContent = line;
        return small;
      });
      item.append(name, ...lines);
      return item;
    }),
  );
  return models;
}

/** The service's words, and a model's problems one per line (they name the part of the model at fault). */
function showModelProblem(problem: Problem, config: ConsoleConfig): void {
  const errors = Array.isArray(problem.errors) ? (problem.errors as unknown[]).map(String) : [];
  say(errors.length > 0 ? config.texts.modelProblems : (problem.detail ?? ""));
  element("problems")?.replaceChildren(
    ...errors.map((error) => {
      const item = document.createElement("li");
      item.textContent = error;
      return item;
    }),
  );
}
