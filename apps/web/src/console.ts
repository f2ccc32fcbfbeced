/**
 * The partner console in the browser: setting up a sign-in from an invitation link (its token is the link's
 * fragment, which never reaches a server log), signing in, seeing one's lots and sessions, and (console-record.ts)
 * recording what happened. The session is an HttpOnly cookie this script cannot read; every change it asks for
 * carries the session's anti-CSRF token.
 */
import {
  amountText,
  element,
  fill,
  form,
  productName,
  readConfig,
  say,
  send,
  showProblem,
  type ConsoleConfig,
  type ConsoleTexts,
  type LotView,
  type Problem,
  type SessionView,
  type StepKind,
  withButtonDisabled,
} from "./console-common.js";
import { startModels } from "./console-models.js";
import { startRecord } from "./console-record.js";

interface DeviceView {
  readonly id: string;
  readonly userAgent: string | null;
  readonly lastSeenAt: string;
  readonly current: boolean;
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
      await withButtonDisabled(target.querySelector("button"), async () => {
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
        }
      });
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
  await Promise.all([listDevices(config, session), listLots(config), listRecords(config)]);
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

/** The partner's lots with what remains of each, and what is on its way to it; each with its journey and label. */
async function listLots(config: ConsoleConfig): Promise<void> {
  const list = element("lots");
  if (list === null) return;
  const lots = (await (await send("GET", "/console/lots")).json()) as LotView[];
  const texts = config.texts;
  list.replaceChildren(
    ...lots.map((lot) => {
      const item = document.createElement("li");
      item.dataset.lot = lot.lot;
      const what = document.createElement("span");
      const amounts = [
        ...(lot.held > 0 ? [fill(texts.lotsHeld, { amount: amountText(lot.held, lot.unit, config) })] : []),
        ...(lot.inTransit > 0
          ? [
              fill(texts.arriving, {
                amount: amountText(lot.inTransit, lot.unit, config),
                partner: lot.from?.name[config.lang] ?? texts.unknownSender,
              }),
            ]
          : []),
      ];
      what.textContent = `${productName(lot, config)} · ${lot.lotNumber} · ${amounts.join(" · ")}`;
      const path = `${lot.gtin}/10/${encodeURIComponent(lot.lotNumber)}`;
      const links = document.createElement("span");
      links.append(
        link(`/01/${path}?lang=${config.lang}`, texts.lotsJourney),
        " · ",
        link(`/labels/${lot.gtin}/${encodeURIComponent(lot.lotNumber)}.svg?layout=label`, texts.lotsLabel),
      );
      item.append(what, links);
      return item;
    }),
  );
  if (lots.length === 0)
    list.replaceChildren(Object.assign(document.createElement("li"), { textContent: list.dataset.empty ?? "" }));
}

interface RecordView {
  readonly eventHash: string;
  readonly bizStep: string | null;
  readonly eventType: string;
  readonly recordTime: string;
  readonly lots: ReadonlyArray<{ readonly gtin: string; readonly lotNumber: string }>;
  readonly status: "pending" | "anchored" | "final";
  readonly txHash: string | null;
}

const STEP_OF_BIZSTEP: Readonly<Record<string, StepKind>> = {
  commissioning: "produce",
  shipping: "ship",
  receiving: "receive",
  storing: "store",
};

/** The partner's latest records: what, which lots, when, and how far each is on its way onto the ledger. */
async function listRecords(config: ConsoleConfig): Promise<void> {
  const list = element("records");
  if (list === null) return;
  const records = (await (await send("GET", "/console/records")).json()) as RecordView[];
  const texts = config.texts;
  list.replaceChildren(
    ...records.map((record) => {
      const item = document.createElement("li");
      item.dataset.state = record.status;
      const kind = record.eventType === "TransformationEvent" ? "transform" : STEP_OF_BIZSTEP[record.bizStep ?? ""];
      const what = document.createElement("span");
      const when = new Date(record.recordTime).toLocaleString(config.lang === "zh" ? "zh-CN" : "en");
      what.textContent = `${kind === undefined ? (record.bizStep ?? record.eventType) : texts.recordKinds[kind]} · ${record.lots
        .map((lot) => lot.lotNumber)
        .join(", ")} · ${when}`;
      const state = document.createElement("small");
      state.textContent = fill(texts.recordStates[record.status], { tx: record.txHash ?? "" });
      item.append(what, state);
      return item;
    }),
  );
  if (records.length === 0) {
    list.replaceChildren(Object.assign(document.createElement("li"), { textContent: list.dataset.empty ?? "" }));
  }
}

function link(href: string, words: string): HTMLAnchorElement {
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.textContent = words;
  return anchor;
}

const config = readConfig();
if (config.page === "join") startJoin(config);
else if (config.page === "record") void startRecord(config);
else if (config.page === "models") void startModels(config);
else void startHome(config);
