import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Wallet } from "ethers";
import type { Browser, Page } from "playwright-core";
import request from "supertest";
import { startTestApp, type TestApp } from "../support/app.js";
import { launchChromium } from "../support/browser.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { registerParticipant, type TestParticipant } from "../support/participants.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { tempDir } from "../support/temp.js";

/** The console's way in as a partner meets it: an invitation link opened on a phone (Debian's Chromium). */
const ARTIFACTS = join(process.cwd(), "test-artifacts");
const PASSPHRASE = "green bottles become boxes";

let postgres: TestPostgres;
let api: TestApp;
let dir: Awaited<ReturnType<typeof tempDir>>;
let browser: Browser | undefined;

beforeAll(async () => {
  postgres = await startTestPostgres();
  dir = await tempDir("console-browser");
  api = await startTestApp(
    { DATA_DIR: dir.path, DATABASE_URL: await postgres.createDatabase(), EPCIS_JSON_SCHEMA: epcisSchemaForTests() },
    { listen: true },
  );
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await api.stop();
  await dir.remove();
  await postgres.stop();
});

async function phone(lang: string): Promise<{ page: Page; errors: string[] }> {
  if (browser === undefined) throw new Error("Chromium did not start (see beforeAll)");
  const context = await browser.newContext({ locale: lang, viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    // The page asks whether it is signed in; a 401 there is the answer "no", not a fault.
    const expected = message.text().includes("status of 401") && message.location().url.endsWith("/console/session");
    if (message.type() === "error" && !expected) errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return { page, errors };
}

async function invitationUrl(partner?: TestParticipant): Promise<string> {
  partner ??= await registerParticipant(api.server, api.adminKey, ["supplier"], "custodial");
  const response = await request(api.server)
    .post(`/participants/${partner.id}/invitations`)
    .set("authorization", `Bearer ${api.adminKey}`)
    .send({});
  expect(response.status).toBe(201);
  return String(response.body.url);
}

describe("the partner console's way in, on a phone", () => {
  for (const [lang, words] of [
    ["zh-CN", { title: "设置登录方式", mismatch: "两次输入的口令不一致", signedIn: "已以", signIn: "登录" }],
    ["en", { title: "Set up your sign-in", mismatch: "not the same", signedIn: "Signed in as", signIn: "Sign in" }],
  ] as const) {
    it(`${lang}: opens the invitation, sets up a sign-in, signs out and in again`, async () => {
      const { page, errors } = await phone(lang);
      const username = `phone.${lang.slice(0, 2)}.${String(Date.now() % 100_000)}`;
      await page.goto(await invitationUrl());
      await expect(page.locator("h1").textContent()).resolves.toBe(words.title);

      // A slip is explained next to the field, in the page's language.
      await page.fill('#join [name="username"]', username);
      await page.fill('#join [name="passphrase"]', PASSPHRASE);
      await page.fill('#join [name="confirm"]', `${PASSPHRASE}!`);
      await page.click("#join button");
      await expect(page.locator("#message").textContent()).resolves.toContain(words.mismatch);
      await expect(page.locator('#join [name="confirm"]').getAttribute("aria-invalid")).resolves.toBe("true");
      await page.screenshot({ path: join(ARTIFACTS, `console-join-${lang}.png`), fullPage: true });

      await page.fill('#join [name="confirm"]', PASSPHRASE);
      await page.click("#join button");
      await page.waitForURL(/\/console$/);
      await page.locator("#who").waitFor();
      await expect(page.locator("#who").textContent()).resolves.toContain(words.signedIn);
      await expect(page.locator("#who").textContent()).resolves.toContain(username);
      // The devices list is fetched after the greeting: wait for it before counting.
      await page.locator("#devices li").first().waitFor();
      await expect(page.locator("#devices li").count()).resolves.toBe(1);
      await page.screenshot({ path: join(ARTIFACTS, `console-home-${lang}.png`), fullPage: true });

      await page.click("#sign-out");
      await page.locator("#sign-in").waitFor();
      await page.fill('#sign-in [name="username"]', username);
      await page.fill('#sign-in [name="passphrase"]', PASSPHRASE);
      await page.click("#sign-in button");
      await page.locator("#who").waitFor();
      // The devices list is fetched after the greeting: wait for it before counting.
      await page.locator("#devices li").first().waitFor();
      await expect(page.locator("#devices li").count()).resolves.toBe(1);
      // The invitation's token is in no URL the browser keeps, and the script ran within its CSP.
      expect(page.url()).not.toContain("cti_");
      expect(errors).toEqual([]);
      await page.context().close();
    }, 60_000);
  }

  it("says what to do when the link lost its fragment", async () => {
    const { page } = await phone("en");
    const url = await invitationUrl();
    await page.goto(url.slice(0, url.indexOf("#")));
    await expect(page.locator("#message").textContent()).resolves.toContain("whole invitation link");
    await expect(page.locator("#join").isHidden()).resolves.toBe(true);
    await page.context().close();
  }, 60_000);
});

describe("recording a lot from the console, on a phone", () => {
  for (const [lang, words] of [
    [
      "zh-CN",
      {
        outside: "超出此步骤通常的",
        ok: "没有提醒",
        lotSlip: "请按印刷内容填写批号",
        recorded: "已记录",
        footprint: "此步骤为该批次增加 31.8 千克二氧化碳当量（每千克 0.0265 千克）",
      },
    ],
    [
      "en",
      {
        outside: "outside the",
        ok: "No warnings",
        lotSlip: "Write the lot number as printed",
        recorded: "Recorded",
        footprint: "This step adds 31.8 kg CO₂e to the lot (0.0265 kg per kg)",
      },
    ],
  ] as const) {
    it(`${lang}: a custodial supplier records bales with a photo, is warned about an unusual figure, corrects it`, async () => {
      const { page, errors } = await phone(lang);
      const username = `record.${lang.slice(0, 2)}.${String(Date.now() % 100_000)}`;
      await page.goto(await invitationUrl());
      await page.fill('#join [name="username"]', username);
      await page.fill('#join [name="passphrase"]', PASSPHRASE);
      await page.fill('#join [name="confirm"]', PASSPHRASE);
      await page.click("#join button");
      await page.locator("#record-link").waitFor();
      await page.click("#record-link");
      await page.locator("#record").waitFor();
      await expect(page.locator('[name="product"] option').first().textContent()).resolves.toMatch(/PET/);

      // A slip in words, beside its field, before anything is sent.
      await page.fill('[name="lotNumber"]', "BB 12");
      await page.fill('[name="quantity"]', "1.2");
      await page.selectOption('[name="unit"]', "t");
      await page.click("#check");
      await page.locator('[name="lotNumber"][aria-invalid="true"]').waitFor();
      await expect(page.locator("#message").textContent()).resolves.toContain(words.lotSlip);
      await expect(page.locator('[name="lotNumber"]').getAttribute("aria-invalid")).resolves.toBe("true");

      // 600 kWh to bale 1.2 t is 0.5 kWh per kg: far above the model's range, said beside the field.
      const lot = `BB-${lang.slice(0, 2).toUpperCase()}${String(Date.now() % 1_000_000)}`;
      await page.fill('[name="lotNumber"]', lot);
      await page.fill('[name="activity-0"]', "600");
      await page.setInputFiles('[name="photos"]', {
        name: "bales.png",
        mimeType: "image/png",
        buffer: Buffer.from(
          "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
          "base64",
        ),
      });
      await page.click("#check");
      await page.locator("#activity-0-warning:not([hidden])").waitFor();
      await expect(page.locator("#activity-0-warning").textContent()).resolves.toContain(words.outside);
      await expect(page.locator("#summary").textContent()).resolves.toContain(lot);
      await page.screenshot({ path: join(ARTIFACTS, `console-record-warning-${lang}.png`), fullPage: true });

      await page.fill('[name="activity-0"]', "60");
      await page.click("#check");
      await page.locator("#warnings p.ok").waitFor();
      await expect(page.locator("#warnings").textContent()).resolves.toContain(words.ok);
      // 60 kWh on the national grid for 1,200 kg of bales (MEE 2023, 0.5306 kg CO₂/kWh): 31.8 kg.
      await expect(page.locator("#summary").textContent()).resolves.toContain(words.footprint);
      await expect(page.locator("#document").textContent()).resolves.toContain('"bizStep": "commissioning"');
      await expect(page.locator("#document").textContent()).resolves.toContain('"ct:evidence"');
      await page.screenshot({ path: join(ARTIFACTS, `console-record-summary-${lang}.png`), fullPage: true });

      await page.click("#record-now");
      await page.locator("#done").waitFor();
      await expect(page.locator("#done-text").textContent()).resolves.toContain(words.recorded);
      // The record's way onto the ledger, followed on the page until the batch holding it is anchored.
      await page.locator('#anchor-status[data-state="anchored"], #anchor-status[data-state="final"]').waitFor({
        timeout: 30_000,
      });
      await expect(page.locator("#anchor-status").textContent()).resolves.toMatch(/0x[0-9a-f]{64}/);
      await page.screenshot({ path: join(ARTIFACTS, `console-record-done-${lang}.png`), fullPage: true });
      const journey = await page.locator("#journey-link").getAttribute("href");
      expect(journey).toBe(`/01/06901234000016/10/${lot}?lang=${lang.slice(0, 2)}`);

      // Stored as the service's signature for the custodial supplier, with the photo and 1,200 kg.
      const events = await request(api.server)
        .get(`/events?MATCH_anyEPCClass=${encodeURIComponent(`https://id.gs1.org/01/06901234000016/10/${lot}`)}`)
        .set("authorization", `Bearer ${api.adminKey}`)
        .expect(200);
      const [event] = (events.body as { epcisBody: { queryResults: { resultsBody: { eventList: unknown[] } } } })
        .epcisBody.queryResults.resultsBody.eventList as Array<Record<string, unknown>>;
      expect(event).toMatchObject({
        bizStep: "commissioning",
        quantityList: [expect.objectContaining({ quantity: 1200, uom: "KGM" })],
        "ct:activity": { "ct:electricity": [expect.objectContaining({ "ct:kWh": 60 })] },
        "ct:evidence": [expect.objectContaining({ "ct:kind": "photo" })],
      });
      expect(errors).toEqual([]);
      await page.context().close();
    }, 90_000);
  }
});

describe("a self-custody partner signs on its phone", () => {
  /** Locks the key on the phone: not the console sign-in's passphrase, so that what is sent can be told apart. */
  const KEY_PASSPHRASE = "pellets of light, kept at home";

  it("opens its key file once, keeps it locked on the phone, and signs the lot it records; the key never leaves", async () => {
    const { page, errors } = await phone("en");
    const supplier = await registerParticipant(api.server, api.adminKey, ["supplier"], "self");
    const wallet = supplier.wallet;
    if (wallet === undefined) throw new Error("a self-custody participant has a wallet");
    const sent: string[] = [];
    page.on("request", (req) => sent.push(`${req.url()} ${req.postData() ?? ""}`));
    await page.goto(await invitationUrl(supplier));
    await page.fill('#join [name="username"]', `self.${String(Date.now() % 100_000)}`);
    await page.fill('#join [name="passphrase"]', PASSPHRASE);
    await page.fill('#join [name="confirm"]', PASSPHRASE);
    await page.click("#join button");
    await page.locator("#record-link").waitFor();
    await page.click("#record-link");
    await page.locator("#key-open").waitFor();

    // A key that is not the company's is refused, in words.
    await page.setInputFiles('[name="keyFile"]', {
      name: "other.key",
      mimeType: "text/plain",
      buffer: Buffer.from(`${Wallet.createRandom().privateKey}\n`),
    });
    await page.fill('[name="keyPassphrase"]', KEY_PASSPHRASE);
    await page.click("#key-open button");
    await page.locator('[name="keyFile"][aria-invalid="true"]').waitFor();
    await expect(page.locator("#message").textContent()).resolves.toContain("not your company's registered key");

    await page.setInputFiles('[name="keyFile"]', {
      name: "supplier.key",
      mimeType: "text/plain",
      buffer: Buffer.from(`${wallet.privateKey}\n`),
    });
    await page.click("#key-open button");
    await page.locator("#key-held:not([hidden])").waitFor({ timeout: 30_000 });
    await expect(page.locator("#key-status").textContent()).resolves.toContain(wallet.address);
    await page.screenshot({ path: join(ARTIFACTS, "console-key-en.png"), fullPage: true });

    const lot = `SC-${String(Date.now() % 1_000_000)}`;
    await page.fill('[name="lotNumber"]', lot);
    await page.fill('[name="quantity"]', "800");
    await page.fill('[name="activity-0"]', "40");
    await page.click("#check");
    await page.locator("#warnings p.ok").waitFor();
    await page.fill('[name="signPassphrase"]', KEY_PASSPHRASE);
    await page.click("#record-now");
    await page.locator("#done").waitFor({ timeout: 30_000 });

    // Stored under the partner's own signature: the service verified it against the registered address.
    const events = await request(api.server)
      .get(`/events?MATCH_anyEPCClass=${encodeURIComponent(`https://id.gs1.org/01/06901234000016/10/${lot}`)}`)
      .set("authorization", `Bearer ${api.adminKey}`)
      .expect(200);
    expect(JSON.stringify(events.body)).toContain(lot);
    // Neither the key nor its passphrase was ever sent.
    const secret = wallet.privateKey.slice(2);
    expect(sent.length).toBeGreaterThan(5);
    expect(sent.filter((line) => line.includes(secret) || line.includes(KEY_PASSPHRASE))).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
