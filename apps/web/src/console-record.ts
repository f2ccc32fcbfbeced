/**
 * Recording what happened, on a phone: one form whose fields follow the kind of step (a lot made, lots made from
 * lots held, a lot shipped to a partner from the directory, a shipment received, a lot stored), generated from the
 * product models and the partner's lots. The document is built here exactly as the service reads it, checked by
 * the service (data quality, and capture rehearsed: mass balance and custody) and shown in words before anything
 * is signed or stored.
 */
import {
  producedLotDocument,
  receivedLotDocument,
  shippedLotDocument,
  storedLotDocument,
  transformedLotDocument,
  zoneOffsetAt,
  type LotQuantity,
  type SpokenUnit,
  type StepCircumstances,
  type TransportMode,
} from "#capture";
import {
  amountText,
  element,
  fill,
  form,
  productName,
  clearProblems,
  say,
  send,
  showProblem,
  type ConsoleConfig,
  type LotView,
  type Localized,
  type ParticipantView,
  type Problem,
  type SessionView,
  type StepKind,
  withButtonDisabled,
} from "./console-common.js";
import { showKey, signedOnPhone } from "./console-key.js";

interface FormActivity {
  readonly kind: "electricity" | "fuel";
  readonly label: Localized;
  readonly unit: string;
  readonly subject?: string;
  readonly required: boolean;
}

interface FormView {
  readonly model: { readonly id: string };
  readonly stage: { readonly name: Localized; readonly process: string | null };
  readonly steps: readonly StepKind[];
  readonly outputs: ReadonlyArray<{
    readonly gtin: string;
    readonly name: Localized;
    readonly unit: "KGM" | "EA";
    readonly itemMassKg: number | null;
  }>;
  readonly activities: readonly FormActivity[];
  readonly transport: boolean;
}

interface FormsView {
  readonly participant: ParticipantView;
  readonly forms: readonly FormView[];
}

interface PartnerView {
  readonly id: string;
  readonly name: Localized;
  readonly gln: string;
}

interface CheckView {
  readonly checks: ReadonlyArray<{
    readonly activity: string;
    readonly subject: string | null;
    readonly warning: Localized | null;
  }>;
  readonly footprint: {
    readonly totalKg: number;
    readonly perUnitKg: number;
    readonly declaredUnit: { readonly unit: string };
  } | null;
}

/** A product the partner can make, under the stage (form) that makes it. */
interface Choice {
  readonly form: FormView;
  readonly output: FormView["outputs"][number];
}

/** Everything the page knows once loaded. */
interface Desk {
  readonly config: ConsoleConfig;
  readonly session: SessionView;
  readonly forms: FormsView;
  readonly lots: readonly LotView[];
  readonly partners: readonly PartnerView[];
  readonly target: HTMLFormElement;
  /** Files already uploaded, by name, size and time: a retry never sends one twice. */
  readonly uploads: Map<string, { cid: string; kind: string }>;
}

/** What the partner is about to record, built and checked, waiting for "Record". */
interface Pending {
  readonly document: Record<string, unknown>;
  /** The lot whose journey the partner is shown afterwards. */
  readonly gtin: string;
  readonly lotNumber: string;
}

/** A step built from the form: its document, the lines that say it in words, and the stage it belongs to. */
interface Built {
  readonly document: Record<string, unknown>;
  readonly subject: { readonly gtin: string; readonly lotNumber: string };
  readonly lines: readonly string[];
  readonly form: FormView;
  /** The form's lots used (transform), in the order of their `input-<n>` fields. */
  readonly inputs: readonly LotView[];
}

const KINDS: readonly StepKind[] = ["produce", "transform", "ship", "receive", "store"];
const MODES: readonly TransportMode[] = ["road", "rail", "inland_waterway", "sea"];

export async function startRecord(config: ConsoleConfig): Promise<void> {
  const texts = config.texts;
  const sessionResponse = await send("GET", "/console/session").catch(() => undefined);
  if (sessionResponse === undefined) {
    say(texts.unreachable);
    return;
  }
  if (sessionResponse.status === 401 || sessionResponse.status === 403) {
    location.assign(`/console?lang=${config.lang}`);
    return;
  }
  const session = (await sessionResponse.json()) as SessionView;
  const [forms, lots, partners] = await Promise.all([
    send("GET", "/console/forms").then((r) => r.json() as Promise<FormsView>),
    send("GET", "/console/lots").then((r) => r.json() as Promise<LotView[]>),
    send("GET", "/console/partners").then((r) => r.json() as Promise<PartnerView[]>),
  ]);
  const target = form("record");
  if (target === null) return;
  if (!forms.participant.custodial) showKey(forms.participant, config, session);
  if (forms.participant.keyStatus === "awaiting") return;
  const kinds = KINDS.filter((kind) => formsFor(forms, kind).length > 0);
  if (kinds.length === 0) {
    say(texts.noForms);
    return;
  }
  target.hidden = false;
  const desk: Desk = { config, session, forms, lots, partners, target, uploads: new Map() };
  fillSelect(
    target,
    "kind",
    kinds.map((kind) => [kind, texts.kinds[kind]]),
  );
  fillSelect(
    target,
    "mode",
    MODES.map((mode) => [mode, texts.modes[mode] ?? mode]),
  );
  fillSelect(
    target,
    "to",
    partners.map((partner) => [partner.gln, partner.name[config.lang]]),
  );
  // A partner with several registered sites says where the step happened.
  fillSelect(
    target,
    "site",
    forms.participant.sites.map((gln) => [gln, `GLN ${gln}`]),
  );
  element("part-site")?.toggleAttribute("hidden", forms.participant.sites.length < 2);
  const show = () => showKind(desk);
  for (const name of ["kind", "product", "lot", "shipment"]) {
    target.querySelector(`[name="${name}"]`)?.addEventListener("change", (event) => {
      if (name === "kind") renderProducts(desk);
      show();
      if (name !== "product") prefillQuantity(desk, (event.target as HTMLSelectElement).name);
    });
  }
  renderProducts(desk);
  show();
  prefillQuantity(desk, "kind");
  setNow(target);
  let pending: Pending | undefined;
  target.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      pending = await checkStep(desk);
    })();
  });
  // A change after checking takes the summary back: what is recorded is always what was last checked and shown.
  for (const type of ["input", "change"]) {
    target.addEventListener(type, () => {
      pending = undefined;
      element("review")?.setAttribute("hidden", "");
    });
  }
  element("record-now")?.addEventListener("click", () => {
    if (pending !== undefined) void recordStep(pending, forms.participant, config, session);
  });
}

/** The stages at which the partner records this kind of step (a making step needs something to make). */
function formsFor(forms: FormsView, kind: StepKind): FormView[] {
  return forms.forms.filter(
    (f) => f.steps.includes(kind) && (kind !== "produce" && kind !== "transform" ? true : f.outputs.length > 0),
  );
}

function fillSelect(target: HTMLFormElement, name: string, options: ReadonlyArray<readonly [string, string]>): void {
  target.querySelector(`select[name="${name}"]`)?.replaceChildren(
    ...options.map(([value, text]) => {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = text;
      return option;
    }),
  );
}

function kindOf(desk: Desk): StepKind {
  return (desk.target.querySelector<HTMLSelectElement>('[name="kind"]')?.value ?? "produce") as StepKind;
}

/** Products the chosen kind makes; one made at the same stage of several models (bottle bales) is offered once. */
function choicesOf(desk: Desk): Choice[] {
  return formsFor(desk.forms, kindOf(desk))
    .flatMap((f) => f.outputs.map((output) => ({ form: f, output })))
    .filter((choice, index, all) => all.findIndex((other) => other.output.gtin === choice.output.gtin) === index);
}

function renderProducts(desk: Desk): void {
  const { config } = desk;
  fillSelect(
    desk.target,
    "product",
    choicesOf(desk).map((choice, index) => [
      String(index),
      `${choice.output.name[config.lang]} · ${choice.form.stage.name[config.lang]}`,
    ]),
  );
}

function chosenProduct(desk: Desk): Choice | undefined {
  const choices = choicesOf(desk);
  return choices[Number(desk.target.querySelector<HTMLSelectElement>('[name="product"]')?.value ?? 0)] ?? choices[0];
}

/** The stage the step is recorded at: the chosen product's for a making step, else the first that has the step. */
function stageOf(desk: Desk, kind: StepKind): FormView | undefined {
  return kind === "produce" || kind === "transform" ? chosenProduct(desk)?.form : formsFor(desk.forms, kind)[0];
}

const held = (desk: Desk) => desk.lots.filter((lot) => lot.held > 0);
const incoming = (desk: Desk) => desk.lots.filter((lot) => lot.inTransit > 0);

/** Shows the parts of the form the kind of step needs, with the lots, products and activities it offers. */
function showKind(desk: Desk): void {
  const { target, config } = desk;
  const texts = config.texts;
  const kind = kindOf(desk);
  const parts: Record<string, boolean> = {
    "part-made": kind === "produce" || kind === "transform",
    "part-inputs": kind === "transform",
    "part-held": kind === "ship" || kind === "store",
    "part-incoming": kind === "receive",
    "part-to": kind === "ship",
  };
  for (const [id, shown] of Object.entries(parts)) {
    const part = element(id);
    if (part !== null) part.hidden = !shown;
  }
  const lotOption = (lot: LotView, amount: number): [string, string] => [
    lot.lot,
    fill(texts.lotOption, {
      product: productName(lot, config),
      lot: lot.lotNumber,
      amount: fill(kind === "receive" ? texts.arriving : texts.available, {
        amount: amountText(amount, lot.unit, config),
        partner: lot.from?.name[config.lang] ?? texts.unknownSender,
      }),
    }),
  ];
  const lotSelect = target.querySelector<HTMLSelectElement>('[name="lot"]');
  const before = lotSelect?.value;
  fillSelect(
    target,
    "lot",
    held(desk).map((lot) => lotOption(lot, lot.held)),
  );
  if (lotSelect !== null && before !== undefined && held(desk).some((lot) => lot.lot === before)) {
    lotSelect.value = before;
  }
  const shipmentSelect = target.querySelector<HTMLSelectElement>('[name="shipment"]');
  const shipmentBefore = shipmentSelect?.value;
  fillSelect(
    target,
    "shipment",
    incoming(desk).map((lot) => lotOption(lot, lot.inTransit)),
  );
  if (shipmentSelect !== null && shipmentBefore !== undefined && incoming(desk).some((l) => l.lot === shipmentBefore)) {
    shipmentSelect.value = shipmentBefore;
  }
  renderInputs(desk, kind);
  const empty = element("part-empty");
  const nothing =
    kind === "receive" && incoming(desk).length === 0
      ? texts.nothingIncoming
      : (kind === "ship" || kind === "store" || kind === "transform") && held(desk).length === 0
        ? texts.nothingHeld
        : "";
  if (empty !== null) {
    empty.textContent = nothing;
    empty.hidden = nothing === "";
  }
  const stage = stageOf(desk, kind);
  const unit = kind === "produce" || kind === "transform" ? chosenProduct(desk)?.output.unit : lotOfKind(desk)?.unit;
  renderUnits(target, unit ?? "KGM", config);
  const activities = kind === "ship" || kind === "receive" ? [] : (stage?.activities ?? []);
  renderActivities(activities, config);
  element("part-to")
    ?.querySelector(".pair")
    ?.toggleAttribute("hidden", !(stage?.transport ?? false));
}

/** The lot a ship, store or receive step names (the chosen one). */
function lotOfKind(desk: Desk): LotView | undefined {
  const kind = kindOf(desk);
  const name = kind === "receive" ? "shipment" : "lot";
  const value = desk.target.querySelector<HTMLSelectElement>(`[name="${name}"]`)?.value;
  return desk.lots.find((lot) => lot.lot === value);
}

/** The quantity field starts at all of the chosen lot (what is held, or what is on its way). */
function prefillQuantity(desk: Desk, changed: string): void {
  const kind = kindOf(desk);
  const quantity = desk.target.querySelector<HTMLInputElement>('[name="quantity"]');
  if (quantity === null || kind === "produce" || kind === "transform") {
    if (quantity !== null && changed === "kind") quantity.value = "";
    return;
  }
  const lot = lotOfKind(desk);
  if (lot !== undefined) quantity.value = String(kind === "receive" ? lot.inTransit : lot.held);
}

function renderInputs(desk: Desk, kind: StepKind): void {
  const { config } = desk;
  const box = element("inputs");
  if (box === null) return;
  if (kind !== "transform") {
    box.replaceChildren();
    return;
  }
  // Values already typed survive a change of product.
  const typed = new Map(
    [...box.querySelectorAll<HTMLInputElement>("input")].map((input) => [input.dataset.lot ?? "", input.value]),
  );
  box.replaceChildren(
    ...held(desk).map((lot, index) => {
      const label = document.createElement("label");
      label.textContent = `${productName(lot, config)} · ${lot.lotNumber}`;
      const hint = document.createElement("small");
      hint.id = `input-${String(index)}-hint`;
      hint.textContent = fill(config.texts.available, { amount: amountText(lot.held, lot.unit, config) });
      const input = document.createElement("input");
      input.name = `input-${String(index)}`;
      input.dataset.lot = lot.lot;
      input.type = "number";
      input.inputMode = "decimal";
      input.min = "0";
      input.step = lot.unit === "EA" ? "1" : "any";
      input.value = typed.get(lot.lot) ?? "";
      input.setAttribute("aria-describedby", hint.id);
      label.append(hint, input);
      return label;
    }),
  );
}

function renderUnits(target: HTMLFormElement, unit: "KGM" | "EA", config: ConsoleConfig): void {
  fillSelect(
    target,
    "unit",
    (unit === "EA" ? (["pieces"] as const) : (["kg", "t"] as const)).map((value) => [value, config.texts.units[value]]),
  );
}

function renderActivities(activities: readonly FormActivity[], config: ConsoleConfig): void {
  element("activities")?.replaceChildren(
    ...activities.map((activity, index) => {
      const label = document.createElement("label");
      label.textContent = `${activity.label[config.lang]} (${activity.unit})`;
      const input = document.createElement("input");
      input.name = `activity-${String(index)}`;
      input.type = "number";
      input.inputMode = "decimal";
      input.min = "0";
      input.step = "any";
      const warning = document.createElement("small");
      warning.id = `activity-${String(index)}-warning`;
      warning.className = "warning";
      warning.hidden = true;
      input.setAttribute("aria-describedby", warning.id);
      label.append(input, warning);
      if (activity.kind !== "electricity") return label;
      // The meter's reading, photographed: evidence the electricity figure points to.
      const photo = document.createElement("label");
      photo.textContent = config.texts.meterPhoto;
      const file = document.createElement("input");
      file.type = "file";
      file.name = "meterPhoto";
      file.accept = "image/jpeg,image/png,image/webp,image/heic,image/heif";
      file.setAttribute("capture", "environment");
      photo.append(file);
      const pair = document.createElement("div");
      pair.className = "activity";
      pair.append(label, photo);
      return pair;
    }),
  );
}

/** The meter photo among a step's evidence, for the electricity it backs. */
function meterPhotoOf(evidence: ReadonlyArray<{ cid: string; kind: string }>): { meterPhotoCid?: string } {
  const photo = evidence.find((file) => file.kind === "meter-photo");
  return photo === undefined ? {} : { meterPhotoCid: photo.cid };
}

/** Today and now, in the phone's own time: what a partner recording on the spot means. */
function setNow(target: HTMLFormElement): void {
  const now = new Date();
  const two = (n: number) => String(n).padStart(2, "0");
  const date = target.querySelector<HTMLInputElement>('[name="date"]');
  const time = target.querySelector<HTMLInputElement>('[name="time"]');
  if (date !== null) date.value = `${String(now.getFullYear())}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  if (time !== null) time.value = `${two(now.getHours())}:${two(now.getMinutes())}`;
}

/** Uploads the files not yet sent, builds the step's document and has the service check it. */
async function checkStep(desk: Desk): Promise<Pending | undefined> {
  const { target, config } = desk;
  const texts = config.texts;
  element("review")?.setAttribute("hidden", "");
  return withButtonDisabled(element("check") as HTMLButtonElement | null, async () => {
    clearProblems(target);
    const evidence = await uploadFiles(desk);
    if (evidence === undefined) return undefined;
    const kind = kindOf(desk);
    const stage = stageOf(desk, kind);
    if (stage === undefined) return undefined;
    let built: Built;
    try {
      built = buildStep(desk, kind, stage, evidence);
    } catch (error) {
      const field = (error as { details?: { field?: string } }).details?.field ?? "";
      const name = field === "electricity" ? `activity-${String(electricityIndex(stage))}` : field;
      const words = texts.fields[field.startsWith("input-") ? "input" : field];
      showProblem(target, { detail: words ?? (error as Error).message, field: name });
      return undefined;
    }
    const checked = await send(
      "POST",
      `/models/${encodeURIComponent(stage.model.id)}/check`,
      built.document,
      desk.session.csrfToken,
    );
    if (!checked.ok) {
      showProblem(target, explained((await checked.json().catch(() => ({}))) as Problem, desk, built));
      return undefined;
    }
    say("");
    renderReview(desk, built, evidence.length, (await checked.json()) as CheckView);
    return { document: built.document, ...built.subject };
  });
}

/** The chosen files, each uploaded once (a retry sends only those that failed); undefined when one fails. */
async function uploadFiles(desk: Desk): Promise<Array<{ cid: string; kind: string }> | undefined> {
  const texts = desk.config.texts;
  const chosen = (name: string) => [...(desk.target.querySelector<HTMLInputElement>(`[name="${name}"]`)?.files ?? [])];
  // The meter photo only while the form asks for electricity (its input is there).
  const files = [
    ...chosen("photos").map((file) => ({ file, kind: file.type === "application/pdf" ? "delivery-note" : "photo" })),
    ...chosen("meterPhoto").map((file) => ({ file, kind: "meter-photo" })),
  ];
  const keyOf = (file: File, kind: string) =>
    `${kind}\u0000${file.name}\u0000${String(file.size)}\u0000${String(file.lastModified)}`;
  for (const [index, { file, kind }] of files.entries()) {
    const key = keyOf(file, kind);
    if (desk.uploads.has(key)) continue;
    const progress = (percent: number) => {
      say(fill(texts.uploading, { done: String(index + 1), total: String(files.length), percent: String(percent) }));
      const bar = element("upload-progress");
      if (bar instanceof HTMLProgressElement) {
        bar.hidden = false;
        bar.value = percent;
      }
    };
    progress(0);
    const stored = await upload(file, desk.session.csrfToken, progress);
    element("upload-progress")?.setAttribute("hidden", "");
    if (stored === undefined) {
      say(texts.uploadFailed);
      return undefined;
    }
    desk.uploads.set(key, { cid: stored.cid, kind });
  }
  // The files chosen now (one removed from the choice is no longer evidence).
  return files.flatMap(({ file, kind }) => {
    const uploaded = desk.uploads.get(keyOf(file, kind));
    return uploaded === undefined ? [] : [uploaded];
  });
}

/**
 * One file to POST /evidence, saying how much has been sent as it goes (fetch cannot tell an upload's progress;
 * XMLHttpRequest can). Undefined when it fails: the partner presses the button again.
 */
function upload(
  file: File,
  csrfToken: string,
  progress: (percent: number) => void,
): Promise<{ cid: string } | undefined> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", "/evidence");
    request.setRequestHeader("accept", "application/json");
    request.setRequestHeader("x-csrf-token", csrfToken);
    request.responseType = "json";
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) progress(Math.round((100 * event.loaded) / event.total));
    });
    request.addEventListener("load", () => {
      const body = request.response as { cid?: unknown } | null;
      resolve(request.status < 300 && typeof body?.cid === "string" ? { cid: body.cid } : undefined);
    });
    request.addEventListener("error", () => resolve(undefined));
    request.addEventListener("abort", () => resolve(undefined));
    const body = new FormData();
    body.append("file", file, file.name);
    request.send(body);
  });
}

function electricityIndex(stage: FormView): number {
  return stage.activities.findIndex((a) => a.kind === "electricity");
}

function text(target: HTMLFormElement, name: string): string {
  return target.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`)?.value.trim() ?? "";
}

/** When, where and with what: the parts every kind of step shares. */
function circumstancesOf(
  desk: Desk,
  stage: FormView,
  kind: StepKind,
  evidence: ReadonlyArray<{ cid: string; kind: string }>,
): StepCircumstances {
  const { target, forms } = desk;
  const date = text(target, "date");
  const time = text(target, "time");
  const activities = kind === "ship" || kind === "receive" ? [] : stage.activities;
  const amounts = activities.map((_, index) => Number(text(target, `activity-${String(index)}`)));
  const electricity = activities.findIndex((a) => a.kind === "electricity");
  return {
    date,
    time,
    timeZoneOffset: zoneOffsetAt(date, time, (local) => local.getTimezoneOffset()),
    gln: text(target, "site") || (forms.participant.gln ?? ""),
    ...(stage.stage.process === null || kind === "ship" || kind === "receive" ? {} : { process: stage.stage.process }),
    ...(electricity < 0 || !(amounts[electricity] ?? 0)
      ? {}
      : {
          electricity: {
            kWh: amounts[electricity] ?? 0,
            gridRegion: forms.participant.country ?? "CN",
            ...meterPhotoOf(evidence),
          },
        }),
    fuels: activities.flatMap((activity, index) =>
      activity.kind === "fuel" && (amounts[index] ?? 0) > 0
        ? [{ fuelType: activity.subject ?? "", amount: amounts[index] ?? 0, unit: activity.unit as "m3" | "L" | "kg" }]
        : [],
    ),
    evidence,
  };
}

/** The step the form describes, as its EPCIS document and in words. */
function buildStep(
  desk: Desk,
  kind: StepKind,
  stage: FormView,
  evidence: ReadonlyArray<{ cid: string; kind: string }>,
): Built {
  const { target, config, forms } = desk;
  const texts = config.texts;
  const when = circumstancesOf(desk, stage, kind, evidence);
  const words = {
    organisation: forms.participant.name[config.lang],
    date: when.date,
    time: when.time,
    zone: `UTC${when.timeZoneOffset}`,
  };
  const quantity = Number(text(target, "quantity"));
  const unit = text(target, "unit") as SpokenUnit;
  const spoken = (amount: number, spokenUnit: SpokenUnit) =>
    `${amount.toLocaleString(config.lang === "zh" ? "zh-CN" : "en")} ${texts.units[spokenUnit]}`;
  if (kind === "produce" || kind === "transform") {
    const choice = chosenProduct(desk);
    if (choice === undefined) throw fieldError("gtin");
    const made: LotQuantity = {
      gtin: choice.output.gtin,
      lotNumber: text(target, "lotNumber"),
      quantity,
      unit,
      ...(choice.output.itemMassKg === null ? {} : { itemMassKg: choice.output.itemMassKg }),
    };
    const product = { product: choice.output.name[config.lang], lot: made.lotNumber, quantity: spoken(quantity, unit) };
    if (kind === "produce") {
      return {
        document: producedLotDocument({ ...made, ...when }),
        subject: { gtin: made.gtin, lotNumber: made.lotNumber },
        lines: [fill(texts.summaryLine, { ...words, ...product })],
        form: stage,
        inputs: [],
      };
    }
    const used = held(desk).flatMap((lot, index) => {
      const value = text(target, `input-${String(index)}`);
      if (value === "") return [];
      const amount = Number(value);
      if (!(amount > 0) || !Number.isFinite(amount) || (lot.unit === "EA" && !Number.isInteger(amount))) {
        throw fieldError(`input-${String(index)}`);
      }
      return [{ lot, amount }];
    });
    if (used.length === 0) throw fieldError("input-0");
    const inputs = used.map(({ lot, amount }): LotQuantity => ({
      gtin: lot.gtin,
      lotNumber: lot.lotNumber,
      quantity: amount,
      unit: lot.unit === "EA" ? "pieces" : "kg",
    }));
    return {
      document: transformedLotDocument({ ...when, inputs, outputs: [made] }),
      subject: { gtin: made.gtin, lotNumber: made.lotNumber },
      lines: [
        fill(texts.transformLine, {
          ...words,
          ...product,
          inputs: used
            .map((u) =>
              fill(texts.inputLine, { lot: u.lot.lotNumber, quantity: amountText(u.amount, u.lot.unit, config) }),
            )
            .join(config.lang === "zh" ? "、" : ", "),
        }),
      ],
      form: stage,
      inputs: used.map((u) => u.lot),
    };
  }
  const lot = lotOfKind(desk);
  if (lot === undefined) throw fieldError(kind === "receive" ? "shipment" : "lot");
  const moved: LotQuantity = {
    gtin: lot.gtin,
    lotNumber: lot.lotNumber,
    quantity,
    unit,
    ...(lot.itemMassKg === null ? {} : { itemMassKg: lot.itemMassKg }),
  };
  const said = { ...words, product: productName(lot, config), lot: lot.lotNumber, quantity: spoken(quantity, unit) };
  const base = { subject: { gtin: lot.gtin, lotNumber: lot.lotNumber }, form: stage, inputs: [] };
  if (kind === "ship") {
    const partner = desk.partners.find((p) => p.gln === text(target, "to"));
    const distance = text(target, "distanceKm");
    const mode = text(target, "mode") as TransportMode;
    const transport =
      stage.transport && distance !== ""
        ? { mode, distanceKm: Number(distance), region: forms.participant.country ?? "CN" }
        : undefined;
    const massKg = unit === "pieces" ? quantity * (lot.itemMassKg ?? 0) : unit === "t" ? quantity * 1000 : quantity;
    return {
      ...base,
      document: shippedLotDocument({
        ...when,
        lot: moved,
        toGln: partner?.gln ?? "",
        ...(transport === undefined ? {} : { transport }),
      }),
      lines: [
        fill(texts.shipLine, { ...said, partner: partner?.name[config.lang] ?? "" }),
        ...(transport === undefined
          ? []
          : [
              fill(texts.transportLine, {
                mode: texts.modes[mode] ?? mode,
                distance: String(transport.distanceKm),
                mass: massKg.toLocaleString(config.lang === "zh" ? "zh-CN" : "en"),
              }),
            ]),
      ],
    };
  }
  if (kind === "receive") {
    const inUnit = unit === "t" ? quantity * 1000 : quantity;
    const short = lot.inTransit - inUnit;
    return {
      ...base,
      document: receivedLotDocument({
        ...when,
        lot: moved,
        ...(lot.from?.gln === null || lot.from === null ? {} : { fromGln: lot.from.gln }),
      }),
      lines: [
        fill(texts.receiveLine, { ...said, partner: lot.from?.name[config.lang] ?? texts.unknownSender }),
        ...(short > 0
          ? [
              fill(texts.differenceLine, {
                difference: amountText(short, lot.unit, config),
                shipped: amountText(lot.inTransit, lot.unit, config),
              }),
            ]
          : []),
      ],
    };
  }
  return { ...base, document: storedLotDocument({ ...when, lot: moved }), lines: [fill(texts.storeLine, said)] };
}

function fieldError(field: string): Error {
  return Object.assign(new Error(field), { details: { field } });
}

/**
 * Capture's problem, in the page's language and beside the field it concerns: a lot's remaining quantity or
 * holding next to the amount typed for that lot, a lot number already another company's next to the lot number.
 */
function explained(problem: Problem, desk: Desk, built: Built): Problem {
  const { config } = desk;
  const words = problem.code === undefined ? undefined : config.texts.problems[problem.code];
  if (words === undefined) return problem;
  const lotId = typeof problem.lot === "string" ? problem.lot : "";
  const lot = desk.lots.find((l) => l.lot === lotId);
  const unit = lot?.unit ?? (problem.unit === "EA" ? "EA" : "KGM");
  const number = (value: unknown) => (typeof value === "string" || typeof value === "number" ? Number(value) : NaN);
  const amount = (value: unknown) => (Number.isNaN(number(value)) ? "?" : amountText(number(value), unit, config));
  const detail = fill(words, {
    lot: lot?.lotNumber ?? decodeURIComponent(lotId.slice(lotId.lastIndexOf("/") + 1)),
    requested: amount(problem.requested),
    held: amount(problem.held),
    remaining: amount(number(problem.produced) - number(problem.consumed)),
  });
  const input = built.inputs.findIndex((l) => l.lot === lotId);
  const field =
    input >= 0
      ? `input-${String(held(desk).findIndex((l) => l.lot === lotId))}`
      : problem.code === "LOT.NOT_ORIGINATOR"
        ? "lotNumber"
        : "quantity";
  return { ...problem, detail, field };
}

/** The summary in plain words, the warnings (also beside their fields) and, folded, the exact document. */
function renderReview(desk: Desk, built: Built, files: number, check: CheckView): void {
  const { config } = desk;
  const texts = config.texts;
  const kind = kindOf(desk);
  const activities = kind === "ship" || kind === "receive" ? [] : built.form.activities;
  const lines = [
    ...built.lines,
    ...activities.flatMap((activity, index) => {
      const value = text(desk.target, `activity-${String(index)}`);
      return value === ""
        ? []
        : [fill(texts.activityLine, { label: activity.label[config.lang], value, unit: activity.unit })];
    }),
    ...(files === 0 ? [] : [fill(texts.filesLine, { count: String(files) })]),
    ...(check.footprint === null
      ? []
      : [
          fill(texts.footprintLine, {
            total: check.footprint.totalKg.toFixed(1),
            perUnit: check.footprint.perUnitKg.toPrecision(3),
            unit: texts.perUnit[check.footprint.declaredUnit.unit === "EA" ? "EA" : "KGM"],
          }),
        ]),
  ];
  element("summary")?.replaceChildren(
    ...lines.map((line) => {
      const item = document.createElement("li");
      item.textContent = line;
      return item;
    }),
  );
  for (const small of document.querySelectorAll<HTMLElement>("small.warning")) small.hidden = true;
  const warnings = check.checks.flatMap((c) =>
    c.warning === null ? [] : [{ check: c, text: c.warning[config.lang] }],
  );
  for (const { check: c, text: words } of warnings) {
    const index = activities.findIndex((a) => a.kind === c.activity && (a.subject ?? null) === c.subject);
    const beside = element(`activity-${String(index)}-warning`);
    if (beside !== null) {
      beside.textContent = words;
      beside.hidden = false;
    }
  }
  const box = element("warnings");
  if (box !== null) {
    const heading = document.createElement("p");
    heading.className = warnings.length === 0 ? "ok" : "warning";
    heading.textContent = warnings.length === 0 ? texts.noWarnings : texts.warningsTitle;
    const list = document.createElement("ul");
    list.append(
      ...warnings.map(({ text: words }) => {
        const item = document.createElement("li");
        item.textContent = words;
        return item;
      }),
    );
    box.replaceChildren(heading, ...(warnings.length === 0 ? [] : [list]));
  }
  const pre = element("document");
  if (pre !== null) pre.textContent = JSON.stringify(built.document, null, 2);
  element("review")?.removeAttribute("hidden");
  element("review")?.scrollIntoView({ block: "start" });
}

/** Captures the checked document (signed on this phone, or by the service for a custodial partner). */
async function recordStep(
  pending: Pending,
  participant: ParticipantView,
  config: ConsoleConfig,
  session: SessionView,
): Promise<void> {
  await withButtonDisabled(element("record-now") as HTMLButtonElement | null, async () => {
    const body = await signedOnPhone(pending, participant, config);
    if (body === undefined) return;
    const response = await fetch("/capture", {
      method: "POST",
      credentials: "same-origin",
      headers: { accept: "application/json", "content-type": "application/ld+json", "x-csrf-token": session.csrfToken },
      body: JSON.stringify(body),
    }).catch(() => undefined);
    if (response === undefined) {
      say(config.texts.unreachable);
      return;
    }
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as Problem;
      say(problem.detail ?? String(response.status));
      return;
    }
    const captured = (await response.json().catch(() => ({}))) as { events?: Array<{ eventHash: string }> };
    form("record")?.setAttribute("hidden", "");
    element("review")?.setAttribute("hidden", "");
    const done = element("done");
    if (done !== null) done.hidden = false;
    const doneText = element("done-text");
    if (doneText !== null) doneText.textContent = config.texts.recorded;
    const link = element("journey-link");
    if (link instanceof HTMLAnchorElement) {
      link.href = `/01/${pending.gtin}/10/${encodeURIComponent(pending.lotNumber)}?lang=${config.lang}`;
      link.textContent = config.texts.journey;
    }
    const another = element("another");
    if (another !== null) another.textContent = config.texts.another;
    void followAnchoring(
      pending,
      (captured.events ?? []).map((e) => e.eventHash),
      config,
    );
  });
}

/**
 * The record's way onto the ledger, as the lot's journey reports it (stored → anchored → final, with the
 * transaction): polled for a minute, then the journey page tells the rest.
 */
async function followAnchoring(pending: Pending, eventHashes: readonly string[], config: ConsoleConfig): Promise<void> {
  const status = element("anchor-status");
  if (status === null || eventHashes.length === 0) return;
  const path = `/01/${pending.gtin}/10/${encodeURIComponent(pending.lotNumber)}`;
  for (let attempt = 0; attempt < 30; attempt++) {
    const journey = (await (
      await fetch(path, { headers: { accept: "application/json" } }).catch(() => undefined)
    )
      ?.json()
      .catch(() => undefined)) as
      { steps?: Array<{ eventHash: string; anchor: { status: string; txHash: string | null } }> } | undefined;
    const steps = (journey?.steps ?? []).filter((step) => eventHashes.includes(step.eventHash));
    const least = ["pending", "anchored", "final"].find((state) => steps.some((step) => step.anchor.status === state));
    const tx = steps.find((step) => step.anchor.txHash !== null)?.anchor.txHash ?? "";
    status.textContent = fill(config.texts.anchorStates[least ?? "pending"] ?? "", { tx });
    status.dataset.state = least ?? "pending";
    if (least === "final") return;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
