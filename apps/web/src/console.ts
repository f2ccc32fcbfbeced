/**
 * The partner console's way in, in the browser: setting up a sign-in from an invitation link (its token is the
 * link's fragment, which never reaches a server log), signing in, seeing and ending one's sessions. The session is
 * an HttpOnly cookie this script cannot read; every change it asks for carries the session's anti-CSRF token.
 */

interface ConsoleTexts {
  readonly noInvitation: string;
  readonly mismatch: string;
  readonly working: string;
  readonly unreachable: string;
  readonly signedInAs: string;
  readonly thisDevice: string;
  readonly signOutDevice: string;
  readonly lastSeen: string;
}

interface ConsoleConfig {
  readonly page: "join" | "home";
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

const config = readConfig();
if (config.page === "join") startJoin(config);
else void startHome(config);
