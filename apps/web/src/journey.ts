/**
 * The journey page's own script, kept to a few kilobytes so that a phone on a slow network shows and uses the page
 * at once: it fetches the lot's proof bundle as soon as the page opens (verification then works even if our API
 * goes down), and when the consumer asks to verify (the button at the top, or the one in the Verify section) it
 * imports the verifier (journey-verify.ts, the heavy part, fetched ahead in idle time after the page has loaded)
 * and shows the outcome at the top and the checks below.
 */
import type { JourneyConfig } from "./journey-config.js";

interface Verifier {
  runVerification(
    config: JourneyConfig,
    bundle: Promise<unknown>,
    output: HTMLElement,
  ): Promise<"verified" | "failed" | "incomplete" | "unavailable">;
}

function readConfig(): JourneyConfig {
  const element = document.getElementById("journey-config");
  return JSON.parse(element?.textContent ?? "{}") as JourneyConfig;
}

async function loadBundle(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`${String(response.status)} ${response.statusText}`);
  return response.json();
}

function start(): void {
  const config = readConfig();
  const buttons = [document.getElementById("verify-now"), document.getElementById("verify-button")].filter(
    (button): button is HTMLButtonElement => button instanceof HTMLButtonElement,
  );
  const output = document.getElementById("verify-result");
  const state = document.getElementById("verify-state");
  if (buttons.length === 0 || output === null) return;
  const bundle = loadBundle(config.bundleUrl);
  // Keep an early failure from surfacing as an unhandled rejection; verifying reports it.
  bundle.catch(() => undefined);
  const verify = async (): Promise<void> => {
    for (const button of buttons) button.disabled = true;
    output.textContent = config.texts.verifying;
    if (state !== null) {
      state.dataset.state = "checking";
      state.textContent = config.texts.verifying;
    }
    try {
      const verifier = (await import(config.verifierUrl)) as Verifier;
      const outcome = await verifier.runVerification(config, bundle, output);
      if (state !== null) {
        state.dataset.state = outcome;
        state.textContent = config.texts.state[outcome];
      }
    } catch (error) {
      output.textContent = `${config.texts.bundleUnavailable} (${String(error)})`;
      if (state !== null) {
        state.dataset.state = "unavailable";
        state.textContent = config.texts.state.unavailable;
      }
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  };
  for (const button of buttons) button.addEventListener("click", () => void verify());
  prefetchWhenIdle(config.verifierUrl);
}

/**
 * Once the page has loaded and the phone is idle, the verifier's bytes are fetched into the cache (not run), so that
 * Verify still works if our API stops answering after the page was shown; the page itself never waits for them.
 */
function prefetchWhenIdle(url: string): void {
  const prefetch = (): void => {
    const link = document.createElement("link");
    link.rel = "prefetch";
    link.href = url;
    document.head.append(link);
  };
  const whenIdle = (): void => {
    if ("requestIdleCallback" in window) window.requestIdleCallback(prefetch, { timeout: 3000 });
    else setTimeout(prefetch, 1000);
  };
  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle, { once: true });
}

start();
