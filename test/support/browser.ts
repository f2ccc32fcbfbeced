import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium (installed by scripts/test-tools.sh), unless CHROMIUM_PATH names another. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

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
