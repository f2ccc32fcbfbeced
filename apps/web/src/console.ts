/**
 * The partner console in the browser: setting up a sign-in from an invitation link (its token is the link's
 * fragment, which never reaches a server log), signing in, seeing and ending one's sessions, and recording a lot
 * from a form generated from the product models. The session is an HttpOnly cookie this script cannot read;
 * every change it asks for carries the session's anti-CSRF token.
 */
import { getAddress, Wallet } from "ethers";
import { producedLotDocument, zoneOffsetAt, type ProducedLotStep, type SpokenUnit } from "#capture";
import { signDocument, type SigningDomain } from "#proof";

interface ConsoleTexts {
  readonly noInvitation: string;
  readonly mismatch: string;
  readonly working: string;
  readonly unreachable: string;
  readonly signedInAs: string;
  readonly thisDevice: string;
  readonly signOutDevice: string;
  readonly lastSeen: string;
  readonly noForms: string;
  readonly keyHeld: string;
  readonly keyWrong: string;
  readonly keyUnreadable: string;
  readonly keyNeeded: string;
  readonly signing: string;
  readonly units: Readonly<Record<SpokenUnit, string>>;
  readonly uploading: string;
  readonly uploadFailed: string;
  readonly summaryLine: string;
  readonly activityLine: string;
  readonly filesLine: string;
  readonly footprintLine: string;
  readonly perUnit: Readonly<Record<"KGM" | "EA", string>>;
  readonly noWarnings: string;
  readonly warningsTitle: string;
  readonly recorded: string;
  readonly journey: string;
  readonly another: string;
  readonly anchorStates: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, string>>;
}

interface ConsoleConfig {
  readonly page: "join" | "home" | "record";
  readonly lang: "en" | "zh";
  readonly texts: ConsoleTexts;
}

interface Problem {
  readonly detail?: string;
  readonly field?: string;
}

interface SessionView {
  readonly username: string;
  readonly organisation: string;
  readonly csrfToken: string;
}

interface DeviceView {
  readonly id: string;
  readonly userAgent: string | null;
  readonly lastSeenAt: string;
  readonly current: boolean;
}

function readConfig(): ConsoleConfig {
  return JSON.parse(document.getElementById("console-config")?.textContent ?? "{}") as ConsoleConfig;
}

function element(id: string): HTMLElement | null {
  return document.getElementById(id);
}

function form(id: string): HTMLFormElement | null {
  const found = document.getElementById(id);
  return found instanceof HTMLFormElement ? found : null;
}

function say(text: string): void {
  const message = element("message");
  if (message === null) return;
  message.textContent = text;
  message.hidden = text === "";
}

/** Shows a problem's words next to the field it names (or above the form). */
function showProblem(target: HTMLFormElement, problem: Problem): void {
  for (const input of target.querySelectorAll("input")) input.removeAttribute("aria-invalid");
  const field =
    problem.field === undefined ? null : target.querySelector<HTMLInputElement>(`[name="${problem.field}"]`);
  field?.setAttribute("aria-invalid", "true");
  field?.focus();
  say(problem.detail ?? "");
}

async function send(method: string, path: string, body?: unknown, csrfToken?: string): Promise<Response> {
  return fetch(path, {
    method,
    headers: {
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(csrfToken === undefined ? {} : { "x-csrf-token": csrfToken }),
    },
    credentials: "same-origin",
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Submits a form's fields as JSON to `path`; on success goes to the console's home. */
function submitTo(
  target: HTMLFormElement,
  path: string,
  texts: ConsoleTexts,
  extra: () => Record<string, string>,
): void {
  target.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      const fields = Object.fromEntries(new FormData(target).entries()) as Record<string, string>;
      if (fields.confirm !== undefined && fields.confirm !== fields.passphrase) {
        showProblem(target, { detail: texts.mismatch, field: "confirm" });
        return;
      }
      const button = target.querySelector("button");
      if (button !== null) button.disabled = true;
      say(texts.working);
      try {
        const response = await send("POST", path, {
          username: fields.username,
          passphrase: fields.passphrase,
          ...extra(),
        });
        if (response.ok) {
          // The invitation's token leaves the address bar and the history.
          history.replaceState(null, "", location.pathname);
          location.assign("/console");
          return;
        }
        showProblem(target, (await response.json().catch(() => ({}))) as Problem);
      } catch {
        say(texts.unreachable);
      } finally {
        if (button !== null) button.disabled = false;
      }
    })();
  });
}

function startJoin(config: ConsoleConfig): void {
  const join = form("join");
  const token = location.hash.slice(1);
  if (join === null) return;
  if (token === "") {
    say(config.texts.noInvitation);
    join.hidden = true;
    return;
  }
  submitTo(join, "/console/join", config.texts, () => ({ invitation: token }));
}

async function startHome(config: ConsoleConfig): Promise<void> {
  const response = await send("GET", "/console/session").catch(() => undefined);
  if (response === undefined) {
    say(config.texts.unreachable);
    return;
  }
  const signIn = form("sign-in");
  if (response.status === 401 || response.status === 403) {
    if (signIn !== null) {
      signIn.hidden = false;
      submitTo(signIn, "/console/sign-in", config.texts, () => ({}));
    }
    return;
  }
  const session = (await response.json()) as SessionView;
  const signedIn = element("signed-in");
  if (signedIn !== null) signedIn.hidden = false;
  const who = element("who");
  if (who !== null) {
    who.textContent = config.texts.signedInAs
      .replace("{username}", session.username)
      .replace("{organisation}", session.organisation);
  }
  element("sign-out")?.addEventListener("click", () => {
    void send("POST", "/console/sign-out", undefined, session.csrfToken).then(() => location.reload());
  });
  await listDevices(config, session);
}

async function listDevices(config: ConsoleConfig, session: SessionView): Promise<void> {
  const list = element("devices");
  if (list === null) return;
  const devices = (await (await send("GET", "/console/sessions")).json()) as DeviceView[];
  list.replaceChildren(
    ...devices.map((device) => {
      const item = document.createElement("li");
      const label = document.createElement("span");
      const seen = new Date(device.lastSeenAt).toLocaleString(config.lang === "zh" ? "zh-CN" : "en");
      label.textContent = `${device.current ? `${config.texts.thisDevice} · ` : ""}${device.userAgent ?? "?"} · ${config.texts.lastSeen} ${seen}`;
      item.append(label);
      if (!device.current) {
        const end = document.createElement("button");
        end.type = "button";
        end.textContent = config.texts.signOutDevice;
        end.addEventListener("click", () => {
          void send("DELETE", `/console/sessions/${encodeURIComponent(device.id)}`, undefined, session.csrfToken).then(
            () => listDevices(config, session),
          );
        });
        item.append(end);
      }
      return item;
    }),
  );
}

interface Localized {
  readonly en: string;
  readonly zh: string;
}

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
  readonly outputs: ReadonlyArray<{
    readonly gtin: string;
    readonly name: Localized;
    readonly unit: "KGM" | "EA";
    readonly itemMassKg: number | null;
  }>;
  readonly activities: readonly FormActivity[];
}

interface FormsView {
  readonly participant: {
    readonly organisation: string;
    readonly name: Localized;
    readonly gln: string | null;
    readonly country: string | null;
    readonly custodial: boolean;
    readonly address: string;
  };
  readonly forms: readonly FormView[];
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

/** What the partner is about to record, built and checked, waiting for "Record". */
interface Pending {
  readonly document: Record<string, unknown>;
  readonly gtin: string;
  readonly lotNumber: string;
}

const fill = (text: string, values: Readonly<Record<string, string>>): string =>
  text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);

async function startRecord(config: ConsoleConfig): Promise<void> {
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
  const forms = (await (await send("GET", "/console/forms")).json()) as FormsView;
  const target = form("record");
  if (target === null) return;
  if (forms.forms.length === 0) {
    say(texts.noForms);
    return;
  }
  if (!forms.participant.custodial) showKey(forms.participant.address, config);
  target.hidden = false;
  // A product made at the same stage of several models (bottle bales) is offered once, under the first model.
  const choices = forms.forms
    .flatMap((formView) => formView.outputs.map((output) => ({ form: formView, output })))
    .filter((choice, index, all) => all.findIndex((other) => other.output.gtin === choice.output.gtin) === index);
  const product = target.querySelector<HTMLSelectElement>('[name="product"]');
  if (product === null) return;
  product.replaceChildren(
    ...choices.map((choice, index) => {
      const option = document.createElement("option");
      option.value = String(index);
      option.textContent = `${choice.output.name[config.lang]} · ${choice.form.stage.name[config.lang]}`;
      return option;
    }),
  );
  const chosen = () => choices[Number(product.value)] ?? choices[0];
  const showChoice = () => {
    const choice = chosen();
    if (choice !== undefined) renderChoice(target, choice.form, choice.output.unit, config);
  };
  product.addEventListener("change", showChoice);
  showChoice();
  setNow(target);
  const uploads = new Map<string, { cid: string; kind: string }>();
  let pending: Pending | undefined;
  target.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      const choice = chosen();
      if (choice === undefined) return;
      pending = await checkStep(target, choice, forms, uploads, config, session);
    })();
  });
  element("record-now")?.addEventListener("click", () => {
    if (pending !== undefined) void recordStep(pending, forms.participant, config, session);
  });
}

/** The unit choices and activity fields of the chosen product's stage. */
function renderChoice(target: HTMLFormElement, formView: FormView, unit: "KGM" | "EA", config: ConsoleConfig): void {
  const units = target.querySelector<HTMLSelectElement>('[name="unit"]');
  units?.replaceChildren(
    ...(unit === "EA" ? (["pieces"] as const) : (["kg", "t"] as const)).map((value) => {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = config.texts.units[value];
      return option;
    }),
  );
  element("activities")?.replaceChildren(
    ...formView.activities.map((activity, index) => {
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
      return label;
    }),
  );
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

/** Uploads the files not yet sent (a retry never sends one twice), builds the document and has it checked. */
async function checkStep(
  target: HTMLFormElement,
  choice: { form: FormView; output: FormView["outputs"][number] },
  forms: FormsView,
  uploads: Map<string, { cid: string; kind: string }>,
  config: ConsoleConfig,
  session: SessionView,
): Promise<Pending | undefined> {
  const texts = config.texts;
  const button = element("check") as HTMLButtonElement | null;
  if (button !== null) button.disabled = true;
  element("review")?.setAttribute("hidden", "");
  try {
    for (const input of target.querySelectorAll("input")) input.removeAttribute("aria-invalid");
    const files = [...(target.querySelector<HTMLInputElement>('[name="photos"]')?.files ?? [])];
    const keyOf = (file: File) => `${file.name}\u0000${String(file.size)}\u0000${String(file.lastModified)}`;
    for (const [index, file] of files.entries()) {
      const key = keyOf(file);
      if (uploads.has(key)) continue;
      say(fill(texts.uploading, { done: String(index + 1), total: String(files.length) }));
      const body = new FormData();
      body.append("file", file, file.name);
      const response = await fetch("/evidence", {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { accept: "application/json", "x-csrf-token": session.csrfToken },
      }).catch(() => undefined);
      if (response === undefined || !response.ok) {
        say(texts.uploadFailed);
        return undefined;
      }
      const stored = (await response.json()) as { cid: string };
      uploads.set(key, { cid: stored.cid, kind: file.type === "application/pdf" ? "delivery-note" : "photo" });
    }
    const values = Object.fromEntries(new FormData(target).entries()) as Record<string, unknown>;
    const text = (name: string) => (typeof values[name] === "string" ? values[name] : "");
    const amounts = choice.form.activities.map((_, index) => Number(text(`activity-${String(index)}`)));
    const electricity = choice.form.activities.findIndex((a) => a.kind === "electricity");
    const step: ProducedLotStep = {
      gtin: choice.output.gtin,
      lotNumber: text("lotNumber"),
      quantity: Number(text("quantity")),
      unit: text("unit") as SpokenUnit,
      ...(choice.output.itemMassKg === null ? {} : { itemMassKg: choice.output.itemMassKg }),
      date: text("date"),
      time: text("time"),
      timeZoneOffset: zoneOffsetAt(text("date"), text("time"), (local) => local.getTimezoneOffset()),
      gln: forms.participant.gln ?? "",
      ...(choice.form.stage.process === null ? {} : { process: choice.form.stage.process }),
      ...(electricity < 0 || !(amounts[electricity] ?? 0)
        ? {}
        : { electricity: { kWh: amounts[electricity] ?? 0, gridRegion: forms.participant.country ?? "CN" } }),
      fuels: choice.form.activities.flatMap((activity, index) =>
        activity.kind === "fuel" && (amounts[index] ?? 0) > 0
          ? [
              {
                fuelType: activity.subject ?? "",
                amount: amounts[index] ?? 0,
                unit: activity.unit as "m3" | "L" | "kg",
              },
            ]
          : [],
      ),
      // The files chosen now (one removed from the choice is no longer evidence), each uploaded once.
      evidence: files.flatMap((file) => {
        const uploaded = uploads.get(keyOf(file));
        return uploaded === undefined ? [] : [uploaded];
      }),
    };
    let epcis: Record<string, unknown>;
    try {
      epcis = producedLotDocument(step);
    } catch (error) {
      const field = (error as { details?: { field?: string } }).details?.field ?? "";
      const name = field === "electricity" ? `activity-${String(electricity)}` : field;
      showProblem(target, { detail: texts.fields[field] ?? (error as Error).message, field: name });
      return undefined;
    }
    const checked = await send(
      "POST",
      `/models/${encodeURIComponent(choice.form.model.id)}/check`,
      epcis,
      session.csrfToken,
    );
    if (!checked.ok) {
      showProblem(target, (await checked.json().catch(() => ({}))) as Problem);
      return undefined;
    }
    say("");
    renderReview(choice, step, forms, (await checked.json()) as CheckView, epcis, config);
    return { document: epcis, gtin: step.gtin, lotNumber: step.lotNumber.trim() };
  } finally {
    if (button !== null) button.disabled = false;
  }
}

/** The summary in plain words, the warnings (also beside their fields) and, folded, the exact document. */
function renderReview(
  choice: { form: FormView; output: FormView["outputs"][number] },
  step: ProducedLotStep,
  forms: FormsView,
  check: CheckView,
  epcis: Record<string, unknown>,
  config: ConsoleConfig,
): void {
  const texts = config.texts;
  const lines = [
    fill(texts.summaryLine, {
      product: choice.output.name[config.lang],
      lot: step.lotNumber.trim(),
      quantity: `${String(step.quantity)} ${texts.units[step.unit]}`,
      date: step.date,
      time: step.time,
      zone: `UTC${step.timeZoneOffset}`,
      organisation: forms.participant.name[config.lang],
    }),
    ...choice.form.activities.flatMap((activity, index) => {
      const value = inputValue(`activity-${String(index)}`);
      return value === ""
        ? []
        : [fill(texts.activityLine, { label: activity.label[config.lang], value, unit: activity.unit })];
    }),
    ...((step.evidence ?? []).length === 0
      ? []
      : [fill(texts.filesLine, { count: String(step.evidence?.length ?? 0) })]),
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
  for (const { check: c, text } of warnings) {
    const index = choice.form.activities.findIndex((a) => a.kind === c.activity && (a.subject ?? null) === c.subject);
    const beside = element(`activity-${String(index)}-warning`);
    if (beside !== null) {
      beside.textContent = text;
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
      ...warnings.map(({ text }) => {
        const item = document.createElement("li");
        item.textContent = text;
        return item;
      }),
    );
    box.replaceChildren(heading, ...(warnings.length === 0 ? [] : [list]));
  }
  const pre = element("document");
  if (pre !== null) pre.textContent = JSON.stringify(epcis, null, 2);
  element("review")?.removeAttribute("hidden");
  element("review")?.scrollIntoView({ block: "start" });
}

function inputValue(name: string): string {
  return document.querySelector<HTMLInputElement>(`[name="${name}"]`)?.value.trim() ?? "";
}

/** Where a self-custody partner's key is kept on this phone: a keystore (scrypt, AES) locked by its passphrase. */
const keystoreSlot = (address: string): string => `carbontrace.keystore.${address.toLowerCase()}`;

/**
 * A self-custody partner's key on this phone: opened once from its key file (the CLI's hex key or a keystore),
 * checked against the company's registered address, then kept locked in this browser's storage. The key never
 * leaves the phone; the service only ever sees signatures.
 */
function showKey(address: string, config: ConsoleConfig): void {
  const texts = config.texts;
  element("key")?.removeAttribute("hidden");
  element("sign-label")?.removeAttribute("hidden");
  const stored = localStorage.getItem(keystoreSlot(address));
  const open = form("key-open");
  const held = element("key-held");
  const status = element("key-status");
  if (stored !== null) {
    if (open !== null) open.hidden = true;
    if (held !== null) held.hidden = false;
    if (status !== null) status.textContent = fill(texts.keyHeld, { address });
    const backup = element("key-backup");
    if (backup instanceof HTMLAnchorElement) {
      backup.href = URL.createObjectURL(new Blob([stored], { type: "application/json" }));
    }
    element("key-remove")?.addEventListener("click", () => {
      localStorage.removeItem(keystoreSlot(address));
      location.reload();
    });
    return;
  }
  if (open === null) return;
  open.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      const file = open.querySelector<HTMLInputElement>('[name="keyFile"]')?.files?.[0];
      const passphrase = open.querySelector<HTMLInputElement>('[name="keyPassphrase"]')?.value ?? "";
      if (passphrase.length < 12) {
        showProblem(open, { detail: config.texts.fields.keyPassphrase ?? "", field: "keyPassphrase" });
        return;
      }
      say(texts.working);
      const wallet = file === undefined ? undefined : await walletFrom(await file.text(), passphrase);
      if (wallet === undefined) {
        showProblem(open, { detail: texts.keyUnreadable, field: "keyFile" });
        return;
      }
      if (getAddress(wallet.address) !== getAddress(address)) {
        showProblem(open, { detail: fill(texts.keyWrong, { address }), field: "keyFile" });
        return;
      }
      localStorage.setItem(keystoreSlot(address), await wallet.encrypt(passphrase));
      say("");
      showKey(address, config);
    })();
  });
}

/** A key file as the CLI writes it (hex private key) or a keystore (JSON, opened with its passphrase). */
async function walletFrom(text: string, passphrase: string): Promise<Wallet | undefined> {
  const trimmed = text.trim();
  try {
    if (/^(0x)?[0-9a-fA-F]{64}$/.test(trimmed)) return new Wallet(trimmed.startsWith("0x") ? trimmed : `0x${trimmed}`);
    const opened = await Wallet.fromEncryptedJson(trimmed, passphrase);
    return opened instanceof Wallet ? opened : new Wallet(opened.privateKey);
  } catch {
    return undefined;
  }
}

/** The document as sent: signed on this phone by a self-custody partner's key, or as is for the service to sign. */
async function signedOnPhone(
  pending: Pending,
  participant: FormsView["participant"],
  config: ConsoleConfig,
): Promise<Record<string, unknown> | undefined> {
  if (participant.custodial) return pending.document;
  const stored = localStorage.getItem(keystoreSlot(participant.address));
  if (stored === null) {
    say(config.texts.keyNeeded);
    return undefined;
  }
  say(config.texts.signing);
  const passphrase = inputValue("signPassphrase");
  const wallet = await Wallet.fromEncryptedJson(stored, passphrase).catch(() => undefined);
  if (wallet === undefined) {
    say(config.texts.keyUnreadable);
    document.querySelector('[name="signPassphrase"]')?.setAttribute("aria-invalid", "true");
    return undefined;
  }
  const { domain } = (await (await send("GET", "/capture/signing-domain")).json()) as { domain: SigningDomain };
  const signed = await signDocument(pending.document, wallet, domain);
  say("");
  return signed;
}

/** Captures the checked document (signed on this phone, or by the service for a custodial partner). */
async function recordStep(
  pending: Pending,
  participant: FormsView["participant"],
  config: ConsoleConfig,
  session: SessionView,
): Promise<void> {
  const button = element("record-now") as HTMLButtonElement | null;
  if (button !== null) button.disabled = true;
  try {
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
    const text = element("done-text");
    if (text !== null) text.textContent = config.texts.recorded;
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
  } finally {
    if (button !== null) button.disabled = false;
  }
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

const config = readConfig();
if (config.page === "join") startJoin(config);
else if (config.page === "record") void startRecord(config);
else void startHome(config);
