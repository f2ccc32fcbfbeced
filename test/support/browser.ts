import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type Page } from "playwright-core";

/**
 * Debian's Chromium headless shell (package chromium-headless-shell, installed by scripts/test-tools.sh), unless
 * CHROMIUM_PATH names another. It is Chromium's own headless build (the same Blink and V8 as the browser; what
 * Playwright itself runs headless), without the full browser's UI process machinery: the two page suites took 115 CPU
 * seconds in it against 192 in `chromium --headless` (2026-12-05, each suite alone on 2 cores), the same tests passing.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium-headless-shell";

/** Headless Chromium as the page tests drive it: no sandbox (containers), no network of its own, no first-run UI. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** axe-core's violations on the page as it stands (run through the DevTools protocol: the page's CSP stays on). */
export async function accessibilityViolations(
  page: Page,
): Promise<Array<{ id: string; nodes: number; help: string; where: string[] }>> {
  await page.evaluate(readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8"));
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: () => Promise<{ violations: Array<{ id: string; help: string; nodes: unknown[] }> }> };
      }
    ).axe;
    const { violations } = await axe.run();
    return violations.map((v) => ({
      id: v.id,
      nodes: v.nodes.length,
      help: v.help,
      where: v.nodes.map((n) => {
        const node = n as { target: unknown; any: Array<{ message: string }> };
        return `${JSON.stringify(node.target)} ${node.any.map((a) => a.message).join("; ")}`;
      }),
    }));
  });
}
