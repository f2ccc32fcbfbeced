/**
 * A self-custody partner's key in the console: created on the phone the first time, or opened once from a key
 * file; kept locked in the browser's storage; used to sign what the partner records. The heavy part (ethers) is
 * console-signing.ts, imported only here and only when needed.
 */
import type { SigningDomain } from "#proof";
import {
  element,
  fill,
  form,
  say,
  send,
  showProblem,
  type ConsoleConfig,
  type ParticipantView,
  type Problem,
  type SessionView,
  withButtonDisabled,
} from "./console-common.js";
import type * as Signing from "./console-signing.js";

/** What is about to be recorded: the document to sign. */
interface Unsigned {
  readonly document: Record<string, unknown>;
}

/** Where a self-custody partner's key is kept on this phone: a keystore (scrypt, AES) locked by its passphrase. */
const keystoreSlot = (address: string): string => `carbontrace.keystore.${address.toLowerCase()}`;

async function signing(config: ConsoleConfig): Promise<typeof Signing> {
  return (await import(config.signingUrl)) as typeof Signing;
}

/**
 * A self-custody partner's key on this phone: created here (when its person makes it, the first time), or opened
 * once from its key file (the CLI's hex key or a keystore) and checked against the company's registered address;
 * then kept locked in this browser's storage. The key never leaves the phone; the service only ever sees its
 * address with a proof of possession, and signatures.
 */
export function showKey(participant: ParticipantView, config: ConsoleConfig, session: SessionView): void {
  element("key")?.removeAttribute("hidden");
  element("sign-label")?.removeAttribute("hidden");
  if (participant.keyStatus === "awaiting" || participant.address === null) {
    offerNewKey(participant, config, session);
    return;
  }
  const address = participant.address;
  const texts = config.texts;
  const stored = localStorage.getItem(keystoreSlot(address));
  const open = form("key-open");
  const keyHeld = element("key-held");
  const status = element("key-status");
  if (stored !== null) {
    if (open !== null) open.hidden = true;
    if (keyHeld !== null) keyHeld.hidden = false;
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
      const opened =
        file === undefined
          ? ({ outcome: "unreadable" } as const)
          : await (await signing(config)).openKeyFile(await file.text(), passphrase, address);
      if (opened.outcome === "unreadable") {
        showProblem(open, { detail: texts.keyUnreadable, field: "keyFile" });
        return;
      }
      if (opened.outcome === "not-registered") {
        showProblem(open, { detail: fill(texts.keyWrong, { address }), field: "keyFile" });
        return;
      }
      localStorage.setItem(keystoreSlot(address), opened.keystore);
      say("");
      showKey(participant, config, session);
    })();
  });
}

/**
 * The first time: the key is made on this phone, locked with the person's passphrase and kept here; the service
 * gets its address with a proof that this phone holds it, and grants the company's roles to it.
 */
function offerNewKey(participant: ParticipantView, config: ConsoleConfig, session: SessionView): void {
  const texts = config.texts;
  const create = form("key-create");
  const open = form("key-open");
  if (create === null) return;
  create.hidden = false;
  if (open !== null) open.hidden = true;
  create.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      const passphrase = create.querySelector<HTMLInputElement>('[name="newKeyPassphrase"]')?.value ?? "";
      const confirm = create.querySelector<HTMLInputElement>('[name="newKeyConfirm"]')?.value ?? "";
      if (passphrase.length < 12) {
        showProblem(create, { detail: texts.fields.keyPassphrase ?? "", field: "newKeyPassphrase" });
        return;
      }
      if (confirm !== passphrase) {
        showProblem(create, { detail: texts.mismatch, field: "newKeyConfirm" });
        return;
      }
      await withButtonDisabled(create.querySelector("button"), async () => {
        say(texts.working);
        try {
          const { domain } = (await (await send("GET", "/capture/signing-domain")).json()) as {
            domain: SigningDomain;
          };
          const made = await (await signing(config)).createKey(passphrase, participant.id, domain);
          const response = await send(
            "POST",
            "/console/key",
            { address: made.address, signature: made.proof },
            session.csrfToken,
          );
          if (!response.ok) {
            showProblem(create, (await response.json().catch(() => ({}))) as Problem);
            return;
          }
          localStorage.setItem(keystoreSlot(made.address), made.keystore);
          location.reload();
        } catch {
          say(texts.unreachable);
        }
      });
    })();
  });
}

/** The document as sent: signed on this phone by a self-custody partner's key, or as is for the service to sign. */
export async function signedOnPhone(
  pending: Unsigned,
  participant: ParticipantView,
  config: ConsoleConfig,
): Promise<Record<string, unknown> | undefined> {
  if (participant.custodial) return pending.document;
  const stored = participant.address === null ? null : localStorage.getItem(keystoreSlot(participant.address));
  if (stored === null) {
    say(config.texts.keyNeeded);
    return undefined;
  }
  say(config.texts.signing);
  const { domain } = (await (await send("GET", "/capture/signing-domain")).json()) as { domain: SigningDomain };
  const passphrase = document.querySelector<HTMLInputElement>('[name="signPassphrase"]')?.value ?? "";
  const signed = await (await signing(config)).signWithKeystore(stored, passphrase, pending.document, domain);
  if (signed === undefined) {
    say(config.texts.keyUnreadable);
    document.querySelector('[name="signPassphrase"]')?.setAttribute("aria-invalid", "true");
    return undefined;
  }
  say("");
  return signed;
}
