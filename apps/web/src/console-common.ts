/**
 * What the console's pages share: their words (rendered by the service into the page), the session, and the
 * small helpers that talk to the API and say a problem beside the field it concerns.
 */

export interface Localized {
  readonly en: string;
  readonly zh: string;
}

export type StepKind = "produce" | "transform" | "ship" | "receive" | "store";

export interface ConsoleTexts {
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
  readonly units: Readonly<Record<"kg" | "t" | "pieces", string>>;
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
  readonly kinds: Readonly<Record<StepKind, string>>;
  readonly modes: Readonly<Record<string, string>>;
  readonly available: string;
  readonly arriving: string;
  readonly unknownSender: string;
  readonly nothingHeld: string;
  readonly nothingIncoming: string;
  readonly lotOption: string;
  readonly transformLine: string;
  readonly inputLine: string;
  readonly shipLine: string;
  readonly transportLine: string;
  readonly receiveLine: string;
  readonly differenceLine: string;
  readonly storeLine: string;
  readonly problems: Readonly<Record<string, string>>;
  readonly lotsHeld: string;
  readonly lotsLabel: string;
  readonly lotsJourney: string;
  readonly meterPhoto: string;
  readonly recordKinds: Readonly<Record<StepKind, string>>;
  readonly recordStates: Readonly<Record<"pending" | "anchored" | "final", string>>;
  readonly modelLine: string;
  readonly origins: Readonly<Record<"built-in" | "declared", string>>;
  readonly modelStages: string;
  readonly modelProducts: string;
  readonly declared: string;
  readonly jsonInvalid: string;
  readonly modelProblems: string;
}

export interface ConsoleConfig {
  readonly page: "join" | "home" | "record" | "models";
  readonly lang: "en" | "zh";
  readonly texts: ConsoleTexts;
  /** The self-custody signing module (console-signing.ts), imported only when needed. */
  readonly signingUrl: string;
}

export interface Problem {
  readonly code?: string;
  readonly detail?: string;
  readonly field?: string;
  readonly [detail: string]: unknown;
}

export interface SessionView {
  readonly username: string;
  readonly organisation: string;
  readonly csrfToken: string;
}

/** The signed-in partner, as GET /console/forms describes it. */
export interface ParticipantView {
  readonly id: string;
  readonly keyStatus: "set" | "awaiting";
  readonly organisation: string;
  readonly name: Localized;
  readonly gln: string | null;
  readonly sites: readonly string[];
  readonly country: string | null;
  readonly custodial: boolean;
  readonly address: string | null;
}

/** A lot the partner holds or has on its way to it (GET /console/lots). */
export interface LotView {
  readonly lot: string;
  readonly gtin: string;
  readonly lotNumber: string;
  readonly name: Localized | null;
  readonly unit: "KGM" | "EA";
  readonly held: number;
  readonly inTransit: number;
  readonly from: { readonly id: string; readonly name: Localized; readonly gln: string | null } | null;
  readonly itemMassKg: number | null;
}

export function readConfig(): ConsoleConfig {
  return JSON.parse(document.getElementById("console-config")?.textContent ?? "{}") as ConsoleConfig;
}

export function element(id: string): HTMLElement | null {
  return document.getElementById(id);
}

export function form(id: string): HTMLFormElement | null {
  const found = document.getElementById(id);
  return found instanceof HTMLFormElement ? found : null;
}

/** Runs `work` with `button` disabled, so that a second tap cannot send twice; enabled again however it ends. */
export async function withButtonDisabled<T>(button: HTMLButtonElement | null, work: () => Promise<T>): Promise<T> {
  if (button !== null) button.disabled = true;
  try {
    return await work();
  } finally {
    if (button !== null) button.disabled = false;
  }
}

export function say(text: string): void {
  const message = element("message");
  if (message === null) return;
  message.textContent = text;
  message.hidden = text === "";
}

/** Shows a problem's words above the form and next to the field it names, which is marked and focused. */
export function showProblem(target: HTMLFormElement, problem: Problem): void {
  clearProblems(target);
  const field = problem.field === undefined ? null : target.querySelector<HTMLElement>(`[name="${problem.field}"]`);
  if (field !== null && problem.detail !== undefined) {
    const beside = document.createElement("small");
    beside.className = "warning field-problem";
    beside.id = `${problem.field ?? "field"}-problem`;
    beside.textContent = problem.detail;
    field.insertAdjacentElement("afterend", beside);
    field.setAttribute("aria-describedby", `${field.getAttribute("aria-describedby") ?? ""} ${beside.id}`.trim());
  }
  field?.setAttribute("aria-invalid", "true");
  field?.focus();
  say(problem.detail ?? "");
}

/** Takes back the marks and words of a problem shown before. */
export function clearProblems(target: HTMLFormElement): void {
  for (const input of target.querySelectorAll("input, select")) {
    input.removeAttribute("aria-invalid");
    const describedBy = (input.getAttribute("aria-describedby") ?? "").replace(/\S+-problem/g, "").trim();
    if (describedBy === "") input.removeAttribute("aria-describedby");
    else input.setAttribute("aria-describedby", describedBy);
  }
  for (const shown of target.querySelectorAll(".field-problem")) shown.remove();
}

export async function send(method: string, path: string, body?: unknown, csrfToken?: string): Promise<Response> {
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

export const fill = (text: string, values: Readonly<Record<string, string>>): string =>
  text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);

/** A quantity in the partner's words: "1,200 kg", "2,000 pieces". */
export function amountText(amount: number, unit: "KGM" | "EA", config: ConsoleConfig): string {
  const number = amount.toLocaleString(config.lang === "zh" ? "zh-CN" : "en", { maximumFractionDigits: 3 });
  return `${number} ${config.texts.units[unit === "EA" ? "pieces" : "kg"]}`;
}

/** A lot's product name in the page's language (its GTIN when no model names it). */
export function productName(
  lot: { readonly name: Localized | null; readonly gtin: string },
  config: ConsoleConfig,
): string {
  return lot.name?.[config.lang] ?? `GTIN ${lot.gtin}`;
}
