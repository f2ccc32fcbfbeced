import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Browser, Page } from "playwright-core";
import request from "supertest";
import { qrPng } from "#labels";
import { bundleDigest, type ProofBundle } from "#proof";
import { startTestApp, type TestApp } from "../support/app.js";
import { accessibilityViolations, launchChromium } from "../support/browser.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { GTIN } from "../support/epcis.js";
import { signingDomainOf } from "../support/participants.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { captureRpetChain, type RpetChain } from "../support/rpet-chain.js";
import { tempDir } from "../support/temp.js";
import { waitFor } from "../support/waits.js";

/** Debian's Chromium driven by playwright-core (test/support/browser.ts); screenshots land in test-artifacts/. */
const ARTIFACTS = join(process.cwd(), "test-artifacts");
const VERRA = "19381-941412555-941441125-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0";

let postgres: TestPostgres;
let api: TestApp;
let dir: Awaited<ReturnType<typeof tempDir>>;
let chain: RpetChain & { meterPhotoCid?: string };
let browser: Browser | undefined;

const auth = (): [string, string] => ["authorization", `Bearer ${api.adminKey}`];
const lotPath = (): string => `${GTIN.boxes}/${chain.lots.boxes}`;

beforeAll(async () => {
  postgres = await startTestPostgres();
  dir = await tempDir("journey");
  api = await startTestApp(
    {
      DATA_DIR: dir.path,
      DATABASE_URL: await postgres.createDatabase(),
      EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
      ANCHOR_BATCH_WINDOW_MS: "200",
      ANCHOR_POLL_MS: "100",
    },
    { listen: true },
  );
  chain = await captureRpetChain(api.server, api.adminKey, await signingDomainOf(api.server), {
    meterPhoto: qrPng("https://example.com/meter/012345.6"),
  });
  await request(api.server)
    .put(`/products/${GTIN.boxes}`)
    .set(...auth())
    .send({
      name: { en: "rPET storage box 12 L", zh: "rPET 收纳盒 12 升" },
      description: { en: "Stackable box moulded from recycled bottles", zh: "由回收瓶制成的可叠放收纳盒" },
    })
    .expect(200);
  const holding = (
    await request(api.server)
      .post("/offsets/holdings")
      .set(...auth())
      .send({ serial: VERRA })
      .expect(201)
  ).body as { id: string };
  await request(api.server)
    .post(`/lots/${lotPath()}/offsets`)
    .set(...auth())
    .send({ holdingId: holding.id, credits: "1", beneficiary: "Buyers of rPET boxes" })
    .expect(201);
  await waitFor("every event behind the boxes to be anchored", async () => {
    const bundle = (await request(api.server).get(`/lots/${lotPath()}/bundle`)).body as ProofBundle;
    return bundle.events.every((e) => e.anchor.batch !== undefined) ? true : undefined;
  });
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await api.stop();
  await dir.remove();
  await postgres.stop();
});

async function openJourney(
  lang: string,
  beforeLoad: (page: Page) => Promise<void> = () => Promise.resolve(),
): Promise<{ page: Page; errors: string[] }> {
  if (browser === undefined) throw new Error("Chromium did not start (see beforeAll)");
  const context = await browser.newContext({ locale: lang, viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  pageErrors.set(page, errors);
  await beforeLoad(page);
  await page.goto(`${api.url}/01/${GTIN.boxes}/10/${chain.lots.boxes}`);
  return { page, errors };
}

const pageErrors = new WeakMap<Page, string[]>();

/**
 * Our API stops answering the page. The page fetched the verifier ahead, in idle time after it loaded; its
 * content-hashed assets are then in the browser's cache, which Playwright's routing switches off: they are let
 * through, as the cache would serve them, and everything else fails.
 */
async function stopApi(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    performance
      .getEntriesByType("resource")
      .some((entry) => /\/assets\/journey-verify\.[0-9a-f]{16}\.js$/.test(entry.name)),
  );
  await page.route(
    (url) => url.origin === api.url && !/^\/assets\/[\w-]+\.[0-9a-f]{16}\.\w+$/.test(url.pathname),
    (route) => route.abort(),
  );
}

async function verify(page: Page): Promise<Array<{ check: string; subject: string; status: string }>> {
  await page.click("#verify-button");
  try {
    await page.waitForSelector("#verify-result [data-verdict]", { timeout: 60_000 });
  } catch (error) {
    const shown = await page.textContent("#verify-result");
    throw new Error(
      `no verdict; the page shows "${shown ?? ""}"; errors: ${(pageErrors.get(page) ?? []).join(" | ")}`,
      {
        cause: error,
      },
    );
  }
  const items = page.locator("#verify-result li.check");
  const checks: Array<{ check: string; subject: string; status: string }> = [];
  for (let index = 0; index < (await items.count()); index++) {
    const item = items.nth(index);
    checks.push({
      check: (await item.getAttribute("data-check")) ?? "",
      subject: (await item.getAttribute("data-subject")) ?? "",
      status: (await item.getAttribute("data-status")) ?? "",
    });
  }
  return checks;
}

describe("the journey page in headless Chromium", () => {
  for (const scheme of ["light", "dark"] as const) {
    it(`has no accessibility violations (axe-core) in ${scheme} mode, Verify's result included`, async () => {
      const { page } = await openJourney("zh-CN", (p) => p.emulateMedia({ colorScheme: scheme }));
      await verify(page);
      expect(await accessibilityViolations(page)).toEqual([]);
      // Every check is named in the page's language, never by its technical id.
      const names = await page.locator("#verify-result li.check > strong").allTextContents();
      expect(names.length).toBeGreaterThan(10);
      expect(names.filter((name) => /[a-z]+\.[a-zA-Z]+/.test(name) || !/[\u4e00-\u9fff]/.test(name))).toEqual([]);
      // Hashes and the verifier's English words stay folded away until asked for.
      expect(await page.locator("#verify-result").innerText()).not.toContain("ni:///");
      await page.click("#verify-result .technical-toggle");
      expect(await page.locator("#verify-result").innerText()).toContain("ni:///");
      expect(await accessibilityViolations(page)).toEqual([]);
      // The journey at a glance: each partner's stage, in Chinese.
      const stages = await page.locator("#flow li strong").allTextContents();
      expect(stages.length).toBeGreaterThanOrEqual(2);
      expect(stages.every((stage) => /[\u4e00-\u9fff]/.test(stage))).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, `journey-${scheme}.png`), fullPage: false });
      await page.context().close();
    }, 120_000);
  }

  for (const [locale, lang] of [
    ["zh-CN", "zh"],
    ["en-GB", "en"],
  ] as const) {
    it(`answers on the first screen over a slow phone network (${lang}), within the script budget; one tap verifies at the top`, async () => {
      const scripts: Array<Promise<number>> = [];
      let verifying = false;
      const { page, errors } = await openJourney(locale, async (p) => {
        // The issue's profile: 1.6 Mbps down, 750 kbps up, 150 ms round trips (DevTools' "Slow 4G"-like).
        const cdp = await p.context().newCDPSession(p);
        await cdp.send("Network.enable");
        await cdp.send("Network.emulateNetworkConditions", {
          offline: false,
          latency: 150,
          downloadThroughput: (1.6 * 1024 * 1024) / 8,
          uploadThroughput: (750 * 1024) / 8,
        });
        p.on("response", (response) => {
          if (!verifying && response.request().resourceType() === "script") {
            scripts.push(
              response
                .request()
                .sizes()
                .then((sizes) => sizes.responseBodySize),
            );
          }
        });
      });
      await page.waitForLoadState("networkidle");
      // What the page runs before the consumer asks to verify: compressed bytes of script on the wire. (The verifier
      // is prefetched in idle time after load, a `prefetch` resource that is not run until Verify is tapped.)
      const scriptBytes = (await Promise.all(scripts)).reduce((sum, size) => sum + size, 0);
      expect(scriptBytes).toBeGreaterThan(0);
      expect(scriptBytes).toBeLessThanOrEqual(60 * 1024);
      // The first screen (390×844): the product, the footprint claim and the verification state with its button.
      const onFirstScreen = async (selector: string): Promise<boolean> => {
        const box = await page.locator(selector).boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= 844;
      };
      for (const selector of ["#product-name", "#claim", "#verify-state", "#verify-now"]) {
        expect([selector, await onFirstScreen(selector)]).toEqual([selector, true]);
      }
      expect(await page.getAttribute("#claim", "data-status")).toBe("zero-carbon");
      expect(await page.getAttribute("#verify-state", "data-state")).toBe("unchecked");
      verifying = true;
      const started = Date.now();
      await page.click("#verify-now");
      await page.waitForSelector('#verify-state[data-state="verified"]', { timeout: 60_000 });
      console.log(`journey (${lang}, 1.6 Mbps / 150 ms): verified ${String(Date.now() - started)} ms after the tap`);
      expect(await page.textContent("#verify-state")).toMatch(
        lang === "zh" ? /已在本机核验/ : /^Verified on this phone/,
      );
      await page.screenshot({ path: join(ARTIFACTS, `journey-slow-network-${lang}.png`), fullPage: false });
      expect(errors).toEqual([]);
      await page.context().close();
    }, 120_000);
  }

  it("shows the lot in Chinese and English, and Verify passes every check", async () => {
    const { page, errors } = await openJourney("zh-CN");
    expect(await page.textContent("#product-name")).toBe("rPET 收纳盒 12 升");
    expect(await page.textContent("#product-description")).toBe("由回收瓶制成的可叠放收纳盒");
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    // The first screen answers what, how much and why believe it: Verify and the certifiers come before the detail.
    const top = async (selector: string): Promise<number> => (await page.locator(selector).boundingBox())?.y ?? 1e9;
    expect(await top("#verify-button")).toBeLessThan(await top("#footprint"));
    expect(await top("#attestations")).toBeLessThan(await top("#journey"));
    expect(await page.getAttribute("#claim", "data-status")).toBe("zero-carbon");
    await page.click("#lang-toggle");
    await page.waitForSelector('html[lang="en"]');
    expect(await page.textContent("#product-name")).toBe("rPET storage box 12 L");
    const checks = await verify(page);
    await page.screenshot({ path: join(ARTIFACTS, "journey-verified.png"), fullPage: true });
    expect(await page.getAttribute("#verify-result [data-verdict]", "data-verdict")).toBe("verified");
    expect(checks.filter((c) => c.status === "fail")).toEqual([]);
    // The ledger was read from the browser: anchors and roles passed, not skipped.
    expect(checks.filter((c) => c.check === "batch.anchored").every((c) => c.status === "pass")).toBe(true);
    expect(checks.some((c) => c.check === "batch.anchored")).toBe(true);
    // The meter photo's bytes were fetched and re-hashed to their CID in the browser.
    expect(checks.filter((c) => c.check === "evidence.cid")).toEqual([
      { check: "evidence.cid", subject: chain.meterPhotoCid, status: "pass" },
    ]);
    // The zero-carbon claim was proved in the browser: the retirements read from OffsetRegistry, the footprint
    // recomputed from the bundle's events with its factor library.
    const claimChecks = ["footprint.library", "offset.retirement", "claim.footprint", "claim.identity"];
    const claim = checks.filter((c) => claimChecks.includes(c.check));
    expect(new Set(claim.map((c) => c.check))).toEqual(new Set(claimChecks));
    expect(claim.every((c) => c.status === "pass")).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it("fails Verify on exactly the event changed in PostgreSQL, even with the API down after loading", async () => {
    const bundle = (await request(api.server).get(`/lots/${lotPath()}/bundle`)).body as ProofBundle;
    const target = bundle.events.find((e) => Array.isArray(e.event.outputQuantityList))?.eventHash ?? "";
    const [original] = await api.runtime.dataSource.query<Array<{ body: unknown }>>(
      `SELECT body FROM epcis_event WHERE event_hash = $1`,
      [target],
    );
    await api.runtime.dataSource.query(
      `UPDATE epcis_event SET body = jsonb_set(body, '{outputQuantityList,0,quantity}', '9999') WHERE event_hash = $1`,
      [target],
    );
    try {
      const { page } = await openJourney("en-GB");
      await page.waitForLoadState("networkidle");
      // From here on our API answers nothing: the page verifies the bundle it loaded, against the ledger.
      await stopApi(page);
      const checks = await verify(page);
      await page.screenshot({ path: join(ARTIFACTS, "journey-tampered.png"), fullPage: true });
      const failed = checks.filter((c) => c.status === "fail");
      expect(failed.length).toBeGreaterThan(0);
      expect(new Set(failed.map((c) => c.subject))).toEqual(new Set([target]));
      expect(failed.map((c) => c.check)).toContain("event.hash");
      // The evidence could not be fetched any more: unknown (skipped), not failed.
      expect(checks.filter((c) => c.check === "evidence.cid").map((c) => c.status)).toEqual(["skip"]);
      await page.context().close();
    } finally {
      await api.runtime.dataSource.query(`UPDATE epcis_event SET body = $2::jsonb WHERE event_hash = $1`, [
        target,
        JSON.stringify(original?.body),
      ]);
    }
  }, 120_000);

  it("says incomplete, never verified, when the API or the ledger stops answering after the page loaded", async () => {
    const { page } = await openJourney("en-GB");
    await page.waitForLoadState("networkidle");
    await stopApi(page);
    const apiDown = await verify(page);
    expect(apiDown.filter((c) => c.status === "fail")).toEqual([]);
    expect(await page.getAttribute("#verify-result [data-verdict]", "data-verdict")).toBe("incomplete");
    expect(await page.textContent("#verify-result .verdict")).toMatch(/^Not fully verified/);
    expect(await page.textContent("#verify-result .not-checked")).toContain("the evidence source could not be reached");
    const rpc = new URL(api.runtime.ledger.chain.rpcUrl).origin;
    await page.route(`${rpc}/**`, (route) => route.abort());
    const ledgerDown = await verify(page);
    await page.screenshot({ path: join(ARTIFACTS, "journey-incomplete.png"), fullPage: true });
    expect(await page.getAttribute("#verify-result [data-verdict]", "data-verdict")).toBe("incomplete");
    expect(ledgerDown.filter((c) => c.check === "batch.anchored").map((c) => c.status)).toEqual(
      expect.arrayContaining(["skip"]),
    );
    expect(await page.textContent("#verify-result .not-checked")).toContain("the ledger could not be read");
    await page.context().close();
    // The same in Chinese: the reasons too.
    const zh = (await openJourney("zh-CN")).page;
    await zh.waitForLoadState("networkidle");
    await stopApi(zh);
    await verify(zh);
    expect(await zh.getAttribute("#verify-state", "data-state")).toBe("incomplete");
    expect(await zh.textContent("#verify-result .not-checked")).toContain("无法获取证据文件");
    await zh.context().close();
  }, 120_000);

  it("fails Verify on exactly the evidence file whose bytes were swapped on the way", async () => {
    const { page } = await openJourney("en-GB");
    const forged = qrPng("https://example.com/meter/000001.0");
    await page.route(`${api.url}/evidence/**`, (route) =>
      route.fulfill({ status: 200, contentType: "image/png", body: forged }),
    );
    const checks = await verify(page);
    expect(checks.filter((c) => c.status === "fail")).toEqual([
      { check: "evidence.cid", subject: chain.meterPhotoCid, status: "fail" },
    ]);
    await page.context().close();
  }, 120_000);

  it("fails Verify on an over-claimed zero-carbon served by a compromised server", async () => {
    // The server drops the retirements but keeps claiming zero-carbon, and signs nothing anew: it re-hashes the
    // bundle's digest, which is all a compromised server could do.
    const bundle = (await request(api.server).get(`/lots/${lotPath()}/bundle`)).body as ProofBundle;
    const claim = bundle.claim as NonNullable<ProofBundle["claim"]>;
    expect(claim.status).toBe("zero-carbon");
    const forged: ProofBundle = { ...bundle, retirements: [], claim: { ...claim, retiredGrams: "0" } };
    const served = JSON.stringify({ ...forged, digest: bundleDigest(forged) });
    const { page } = await openJourney("en-GB", async (p) => {
      await p.route(`${api.url}/lots/**/bundle`, (route) =>
        route.fulfill({ status: 200, contentType: "application/json", body: served }),
      );
    });
    const checks = await verify(page);
    expect(await page.getAttribute("#verify-result [data-verdict]", "data-verdict")).toBe("failed");
    expect(checks.filter((c) => c.status === "fail")).toEqual([
      { check: "claim.identity", subject: bundle.lot.id, status: "fail" },
    ]);
    await page.context().close();
  }, 120_000);
});
