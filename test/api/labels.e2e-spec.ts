import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { creditBlockKey } from "#ledger";
import { bundleDigest, type ProofBundle, type VerificationReport } from "#proof";
import { startTestApp, type TestApp } from "../support/app.js";
import { carbontrace, type CliResult } from "../support/cli.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { GTIN } from "../support/epcis.js";
import { signingDomainOf } from "../support/participants.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { captureRpetChain, type RpetChain } from "../support/rpet-chain.js";
import { tempDir } from "../support/temp.js";
import { waitFor } from "../support/waits.js";

let postgres: TestPostgres;
let api: TestApp;
let dir: Awaited<ReturnType<typeof tempDir>>;
let chain: RpetChain;

/** 29,571 VCUs of Verra project VCS 3005 (China), vintage 2022 — the example serial of the registry's export. */
const VERRA = "19381-941412555-941441125-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0";
const GOLD = "GS1-1-KE-GS11603-16-2025-30256-110-5463";

const auth = (): [string, string] => ["authorization", `Bearer ${api.adminKey}`];
const boxes = (): string => `/lots/${GTIN.boxes}/${chain.lots.boxes}`;
const page = (): string => `/01/${GTIN.boxes}/10/${chain.lots.boxes}`;

interface Retirement {
  id: string;
  status: string;
  serial: string;
  firstSerial: string;
  lastSerial: string;
  credits: string;
  quantityKg: number;
  chain: { txHash: string | null; retirementId: number | null };
}
interface Journey {
  uri: string;
  claim: {
    status: string;
    display: { identity: string; footprint: string };
    lot: { footprintKg: number };
    toZeroCarbonKg: number;
  } | null;
  footprint: { totalKg: number; perUnitKg: number } | null;
  offsets: Retirement[];
  steps: Array<{ signing: string; participant: unknown; evidence: unknown[] }>;
  equivalents: Array<{ kind: string; value: number; factor: { id: string; source: string } }>;
  recycledContent: { recycledPercent: number | null } | null;
}

beforeAll(async () => {
  postgres = await startTestPostgres();
  dir = await tempDir("labels");
  api = await startTestApp(
    {
      DATA_DIR: dir.path,
      DATABASE_URL: await postgres.createDatabase(),
      EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
      PUBLIC_BASE_URL: "https://trace.example.com",
      ANCHOR_BATCH_WINDOW_MS: "200",
      ANCHOR_POLL_MS: "100",
    },
    { listen: true },
  );
  chain = await captureRpetChain(api.server, api.adminKey, await signingDomainOf(api.server));
  await request(api.server)
    .put(`/products/${GTIN.boxes}`)
    .set(...auth())
    .send({ name: { en: "rPET storage box 12 L", zh: "rPET 收纳盒 12 升" } })
    .expect(200);
}, 120_000);
afterAll(async () => {
  await api.stop();
  await dir.remove();
  await postgres.stop();
});

async function journey(): Promise<Journey> {
  const response = await request(api.server).get(page()).set("accept", "application/json");
  expect([response.status, response.body]).toEqual([200, expect.anything()]);
  return response.body as Journey;
}

async function holding(serial: string): Promise<{ id: string; credits: string; availableCredits: string }> {
  const response = await request(api.server)
    .post("/offsets/holdings")
    .set(...auth())
    .send({ serial });
  expect([response.status, response.body]).toEqual([201, expect.anything()]);
  return response.body as { id: string; credits: string; availableCredits: string };
}

/** The VERRA holding these tests registered, as GET /offsets/holdings lists it now. */
async function verraHolding(): Promise<{ id: string; retiredCredits: string }> {
  const holdings = (
    await request(api.server)
      .get("/offsets/holdings")
      .set(...auth())
      .expect(200)
  ).body as Array<{ id: string; registry: string; retiredCredits: string }>;
  return holdings.find((h) => h.registry === "VERRA") as { id: string; retiredCredits: string };
}

describe("credit holdings", () => {
  it("parse the registry's serial and refuse a range registered before", async () => {
    const verra = await holding(VERRA);
    expect(verra).toMatchObject({ credits: "28571", availableCredits: "28571", registry: "VERRA", projectId: "3005" });
    const again = await request(api.server)
      .post("/offsets/holdings")
      .set(...auth())
      .send({ serial: VERRA });
    expect([again.status, again.body.code]).toEqual([409, "OFFSET.HOLDING_OVERLAPS"]);
  });

  it("reject a malformed serial with a problem naming it", async () => {
    const response = await request(api.server)
      .post("/offsets/holdings")
      .set(...auth())
      .send({ serial: "19381-941441125-941412555-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0" });
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(response.body.code).toBe("OFFSET.SERIAL_RANGE");
  });

  it("need the administrator", async () => {
    await request(api.server).post("/offsets/holdings").send({ serial: GOLD }).expect(401);
  });
});

describe("claims follow the retired offsets", () => {
  it("a lot without offsets is measured (or reduced), never zero-carbon", async () => {
    const view = await journey();
    expect(view.footprint?.totalKg).toBeGreaterThan(0);
    expect(view.claim?.status).not.toBe("zero-carbon");
    expect(view.offsets).toEqual([]);
  });

  it("under-offset: a lot short of offsets says how much is missing (exact cases: libs/offsets claim tests)", async () => {
    const gold = await holding(GOLD);
    expect(gold.availableCredits).toBe("5354");
    const { claim } = await journey();
    expect(claim?.status).not.toBe("zero-carbon");
    // What is missing is the footprint as the label shows it (per unit rounded up, × units): at least the footprint.
    expect(claim?.toZeroCarbonKg).toBeGreaterThanOrEqual(claim?.lot.footprintKg ?? Infinity);
  });

  it("refuses a partner's valid key retiring credits for a lot another partner produced, before anything is reserved", async () => {
    const verra = await verraHolding();
    const before = (await request(api.server).get(`${boxes()}/offsets`).expect(200)).body as unknown[];
    const jobs = () => api.runtime.dataSource.query<unknown[]>(`SELECT "id", "status" FROM "chain_job" ORDER BY "id"`);
    const jobsBefore = await jobs();
    const refused = await request(api.server)
      .post(`${boxes()}/offsets`)
      .set("authorization", `Bearer ${chain.recyclerA.token}`)
      .send({ holdingId: verra.id, credits: "1", beneficiary: "Not the moulder's to give" });
    expect([refused.status, (refused.body as { code: string }).code]).toEqual([403, "FOOTPRINT.NOT_PRODUCER"]);
    expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect((await request(api.server).get(`${boxes()}/offsets`).expect(200)).body).toEqual(before);
    expect(await verraHolding()).toMatchObject({ id: verra.id, retiredCredits: verra.retiredCredits });
    expect(await jobs()).toEqual(jobsBefore);
  });

  it("over-offset: one credit (1 t) for the lot makes it zero-carbon, with the retirement's serials and tx", async () => {
    const verra = await verraHolding();
    const response = await request(api.server)
      .post(`${boxes()}/offsets`)
      .set(...auth())
      .send({ holdingId: verra.id, credits: "1", beneficiary: "Buyers of rPET boxes" });
    expect([response.status, response.body]).toEqual([201, expect.objectContaining({ status: "retired" })]);
    const retirement = response.body as Retirement;
    expect(retirement).toMatchObject({ firstSerial: "941412555", lastSerial: "941412555", quantityKg: 1000 });
    expect(retirement.serial).toBe("19381-941412555-941412555-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0");
    expect(retirement.chain.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const view = await journey();
    expect(view.claim?.status).toBe("zero-carbon");
    expect(view.offsets.map((o) => o.id)).toEqual([retirement.id]);
    // baseline − reduction = footprint = offset (or footprint = offset without a baseline)
    expect(view.claim?.display.identity).toMatch(/= (\d+\.\d\d) = \1 kg$|^(\d+\.\d\d) = \2 kg$/);
    const onChain = await api.runtime.ledger.offsetRegistry.isRetired(
      creditBlockKey("VERRA", "19381-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0"),
      941412555n,
    );
    expect(onChain).toBe(true);
  });
});

describe("the claim in the proof bundle", () => {
  const verification = async (): Promise<VerificationReport> =>
    (await request(api.server).get(`${boxes()}/verification`).expect(200)).body as VerificationReport;
  const viaCli = async (): Promise<CliResult> => {
    const bundle = (await request(api.server).get(`${boxes()}/bundle`).expect(200)).body as ProofBundle;
    const file = join(dir.path, "bundle.json");
    writeFileSync(file, JSON.stringify(bundle));
    return carbontrace([
      "verify",
      file,
      "--rpc",
      api.runtime.ledger.chain.rpcUrl,
      "--evidence",
      `${api.url}/evidence/{cid}`,
    ]);
  };
  const statusOf = (report: VerificationReport, check: string) =>
    report.checks.filter((c) => c.check === check).map((c) => c.status);

  it("carries the retirements and a zero-carbon claim the API and the CLI prove from the ledger", async () => {
    const bundle = (await request(api.server).get(`${boxes()}/bundle`).expect(200)).body as ProofBundle;
    expect(bundle.claim).toMatchObject({ status: "zero-carbon", retiredGrams: "1000000" });
    expect(bundle.retirements).toEqual([expect.objectContaining({ quantityKg: "1000", firstSerial: "941412555" })]);
    // The claim's footprint is the lot's footprint, recomputed from the bundle's own events.
    const footprint = (await request(api.server).get(`${boxes()}/footprint`).expect(200)).body as { totalKg: number };
    expect(bundle.claim?.footprintGrams).toBe(String(Math.ceil(footprint.totalKg * 1000)));
    // Once every event is anchored, nothing is left unchecked.
    const report = await waitFor("the lot to verify completely", async () => {
      const found = await verification();
      return found.outcome === "incomplete" ? undefined : found;
    });
    expect(report.outcome).toBe("verified");
    for (const check of ["footprint.library", "offset.retirement", "claim.footprint", "claim.identity"]) {
      expect([check, statusOf(report, check)]).toEqual([check, ["pass"]]);
    }
    const cli = await viaCli();
    expect([cli.code, cli.stdout]).toEqual([0, expect.stringContaining("VERIFIED")]);
    expect(cli.stdout).toMatch(/claim\.identity +.*zero-carbon/);
  }, 120_000);

  it("fails a retirement inflated in PostgreSQL, and withholds the claim resting on it", async () => {
    const [row] = await api.runtime.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM offset_retirement WHERE lot_id = $1 AND status = 'retired'`,
      [`https://id.gs1.org/01/${GTIN.boxes}/10/${chain.lots.boxes}`],
    );
    // No credit at all behind the lot on the ledger, as far as the verifier can tell: the footprint needs only one.
    await api.runtime.dataSource.query(`UPDATE offset_retirement SET last_serial = last_serial + 9 WHERE id = $1`, [
      row?.id,
    ]);
    try {
      const report = await verification();
      expect(report.outcome).toBe("failed");
      expect(report.checks).toContainEqual(
        expect.objectContaining({
          check: "offset.retirement",
          status: "fail",
          detail: expect.stringContaining("last serial"),
        }),
      );
      const view = await journey();
      expect(view.claim).toBeNull();
      const cli = await viaCli();
      expect([cli.code, cli.stdout]).toEqual([1, expect.stringMatching(/✘ offset\.retirement/)]);
    } finally {
      await api.runtime.dataSource.query(`UPDATE offset_retirement SET last_serial = last_serial - 9 WHERE id = $1`, [
        row?.id,
      ]);
    }
  }, 120_000);

  it("fails credits retired for another lot that the database moved to this one", async () => {
    const verra = await verraHolding();
    const regrind = `/lots/${GTIN.pellets}/${chain.lots.regrind}`;
    const other = await request(api.server)
      .post(`${regrind}/offsets`)
      .set(...auth())
      .send({ holdingId: verra.id, credits: "2", beneficiary: "Regrind buyers" });
    expect([other.status, other.body]).toEqual([201, expect.objectContaining({ status: "retired" })]);
    const boxesLot = `https://id.gs1.org/01/${GTIN.boxes}/10/${chain.lots.boxes}`;
    const moved = (other.body as Retirement).id;
    await api.runtime.dataSource.query(`UPDATE offset_retirement SET lot_id = $2 WHERE id = $1`, [moved, boxesLot]);
    try {
      const report = await verification();
      expect(report.outcome).toBe("failed");
      expect(report.checks).toContainEqual(
        expect.objectContaining({
          check: "offset.retirement",
          status: "fail",
          detail: expect.stringContaining("another lot"),
        }),
      );
      const cli = await viaCli();
      expect([cli.code, cli.stdout]).toEqual([1, expect.stringMatching(/✘ offset\.retirement/)]);
    } finally {
      await api.runtime.dataSource.query(`UPDATE offset_retirement SET lot_id = $2 WHERE id = $1`, [
        moved,
        `https://id.gs1.org/01/${GTIN.pellets}/10/${chain.lots.regrind}`,
      ]);
    }
    expect((await verification()).outcome).toBe("verified");
  }, 120_000);

  it("fails an over-claimed zero-carbon in a forged bundle (CLI)", async () => {
    const bundle = (await request(api.server).get(`${boxes()}/bundle`).expect(200)).body as ProofBundle;
    const claim = bundle.claim as NonNullable<ProofBundle["claim"]>;
    const forged: ProofBundle = { ...bundle, retirements: [], claim: { ...claim, retiredGrams: "0" } };
    const file = join(dir.path, "forged.json");
    writeFileSync(file, JSON.stringify({ ...forged, digest: bundleDigest(forged) }));
    const cli = await carbontrace(["verify", file, "--rpc", api.runtime.ledger.chain.rpcUrl]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/✘ claim\.identity +.*claims zero-carbon, but the bundle supports/);
  }, 60_000);
});

describe("double retirement", () => {
  const range = "19381-941412600-941412601-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0";

  async function retire(serial: string): Promise<request.Response> {
    const verra = await verraHolding();
    return request(api.server)
      .post(`${boxes()}/offsets`)
      .set(...auth())
      .send({ holdingId: verra.id, serial, beneficiary: "Buyers of rPET boxes" });
  }

  it("is refused by the database", async () => {
    expect((await retire(range)).status).toBe(201);
    const twice = await retire("19381-941412601-941412602-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0");
    expect([twice.status, twice.body.code]).toEqual([409, "OFFSET.ALREADY_RETIRED"]);
  });

  it("is refused by the chain even when the database forgot the first retirement", async () => {
    await api.runtime.dataSource.query(
      `DELETE FROM offset_retirement WHERE first_serial = 941412600 AND last_serial = 941412601`,
    );
    // Serials 941412601–941412602 are free as far as the database knows; 941412601 was retired on chain.
    const again = await retire("19381-941412601-941412602-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0");
    expect([again.status, again.body.code]).toEqual([409, "CHAIN.OffsetRegistryRangeOverlaps"]);
    const [row] = await api.runtime.dataSource.query<Array<{ status: string }>>(
      `SELECT status FROM offset_retirement WHERE first_serial = 941412601`,
    );
    expect(row?.status).toBe("failed");
  });
});

describe("the GS1 Digital Link resolver", () => {
  it("gives browsers the journey page, in the language they ask for, under a strict CSP", async () => {
    const en = await request(api.server).get(page()).set("accept", "text/html").expect(200);
    expect(en.headers["content-type"]).toMatch(/text\/html/);
    expect(en.text).toContain("rPET storage box 12 L");
    expect(en.headers["content-security-policy"]).toMatch(/default-src 'none'/);
    expect(en.headers["content-security-policy"]).toMatch(/script-src 'self';/);
    // PUBLIC_BASE_URL is https here: the page never reads the (embedded, plain http) ledger in the clear.
    expect(en.headers["content-security-policy"]).toMatch(/connect-src 'self';/);
    expect(en.headers["content-security-policy"]).not.toMatch(/http:/);
    expect(en.headers.vary).toMatch(/Accept/);
    // Every link leads somewhere: a web address, a path of this site, or this page (never the word "MEE").
    const hrefs = [...en.text.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1] ?? "");
    expect(hrefs.length).toBeGreaterThan(3);
    expect(hrefs.filter((href) => !/^(https?:\/\/|\/|\?|#)/.test(href))).toEqual([]);
    // One rounding rule: the headline figure is the claim's, and the identity names its terms.
    const { claim } = await journey();
    expect(claim?.status).toBe("zero-carbon"); // retired for above
    expect(/id="per-unit">([^<]+)</.exec(en.text)?.[1]).toBe(claim?.display.footprint);
    expect(en.text).toMatch(/id="identity">footprint <b>(\d+\.\d\d)<\/b> = offsets retired <b>\1<\/b> kg/);
    const zh = await request(api.server)
      .get(page())
      .set("accept", "text/html,*/*;q=0.8")
      .set("accept-language", "zh-CN,zh;q=0.9,en;q=0.5")
      .expect(200);
    expect(zh.text).toContain("rPET 收纳盒 12 升");
    expect(zh.text).toContain('lang="zh-CN"');
    expect(zh.text).toContain("custodial");
  });

  it("gives machines JSON and the GS1 linkset", async () => {
    const view = await journey();
    expect(view.uri).toBe(`https://trace.example.com/01/${GTIN.boxes}/10/${chain.lots.boxes}`);
    expect(view.steps.some((s) => s.signing === "custodial")).toBe(true);
    expect(view.equivalents.map((e) => e.kind).sort()).toEqual(["car-km", "light-bulb-hours", "tree-days"]);
    expect(view.recycledContent?.recycledPercent).toBeGreaterThan(0);
    const linkset = await request(api.server).get(`${page()}?linkType=all`).expect(200);
    expect(linkset.headers["content-type"]).toMatch(/application\/linkset\+json/);
    const body = JSON.parse(linkset.text) as { linkset: Array<Record<string, unknown>> };
    expect(body.linkset[0]?.anchor).toBe(view.uri);
    expect(body.linkset[0]?.["https://gs1.org/voc/pip"]).toEqual([expect.objectContaining({ type: "text/html" })]);
    const byAccept = await request(api.server).get(page()).set("accept", "application/linkset+json").expect(200);
    expect((JSON.parse(byAccept.text) as typeof body).linkset[0]?.anchor).toBe(view.uri);
  });

  it("answers an unknown lot with a friendly 404 page, or a problem document for machines", async () => {
    const html = await request(api.server)
      .get(`/01/${GTIN.boxes}/10/NO-SUCH-LOT`)
      .set("accept", "text/html")
      .expect(404);
    expect(html.text).toContain("Product not found");
    const json = await request(api.server).get(`/01/${GTIN.boxes}/10/NO-SUCH-LOT`).set("accept", "application/json");
    expect([json.status, json.body.code]).toEqual([404, "LOT.NOT_FOUND"]);
    const badCheck = await request(api.server).get(`/01/09506000134353/10/X`).set("accept", "application/json");
    expect([badCheck.status, badCheck.body.code]).toEqual([400, "DIGITAL_LINK.CHECK_DIGIT"]);
  });

  it("says on the page what is wrong with a code, in the consumer's language", async () => {
    const en = await request(api.server).get(`/01/09506000134353/10/X`).set("accept", "text/html").expect(400);
    expect(en.headers["content-type"]).toMatch(/text\/html/);
    expect(en.text).toContain("check digit");
    expect(en.text).not.toContain("Product not found");
    const zh = await request(api.server)
      .get(`/01/09506000134353/10/X`)
      .set("accept", "text/html")
      .set("accept-language", "zh-CN")
      .expect(400);
    expect(zh.text).toContain("校验位");
    const unknown = await request(api.server)
      .get(`/01/${GTIN.boxes}/10/NO-SUCH-LOT`)
      .set("accept", "text/html")
      .set("accept-language", "zh-CN")
      .expect(404);
    expect(unknown.text).toContain("NO-SUCH-LOT");
  });

  it("resolves a link with a trailing slash, or qualified by a serial, to its lot", async () => {
    const slash = await request(api.server).get(`${page()}/`).set("accept", "text/html");
    expect(slash.status).toBe(200);
    expect(slash.text).toContain("rPET storage box 12 L");
    const serial = await request(api.server).get(`${page()}/21/5?lang=zh`).set("accept", "text/html");
    expect([serial.status, serial.headers.location]).toEqual([308, `${page()}?lang=zh`]);
    const followed = await request(api.server).get(String(serial.headers.location)).set("accept", "text/html");
    expect(followed.status).toBe(200);
    const badSerial = await request(api.server)
      .get(`${page()}/21/${"9".repeat(30)}`)
      .set("accept", "text/html");
    expect(badSerial.status).toBe(400);
  });

  it("gives a GTIN-only link the product's page: its lots and their claims (JSON for machines)", async () => {
    const json = await request(api.server).get(`/01/${GTIN.boxes}`).set("accept", "application/json").expect(200);
    const product = json.body as {
      gtin: string;
      name: { en: string } | null;
      lots: Array<{ lot: string; uri: string }>;
    };
    expect(product.gtin).toBe(GTIN.boxes);
    expect(product.name?.en).toBe("rPET storage box 12 L");
    expect(product.lots.map((l) => l.lot)).toContain(chain.lots.boxes);
    expect(product.lots.find((l) => l.lot === chain.lots.boxes)?.uri).toBe(
      `https://trace.example.com/01/${GTIN.boxes}/10/${chain.lots.boxes}`,
    );
    const html = await request(api.server).get(`/01/${GTIN.boxes}/`).set("accept", "text/html").expect(200);
    expect(html.text).toContain("rPET storage box 12 L");
    expect(html.text).toContain(`/01/${GTIN.boxes}/10/${chain.lots.boxes}`);
    expect(html.headers["content-security-policy"]).toMatch(/default-src 'none'/);
    const none = await request(api.server).get(`/01/09506000134352`).set("accept", "text/html");
    expect(none.status).toBe(404);
  });
});

describe("labels", () => {
  function decode(bytes: Buffer, name: string): string {
    const file = join(dir.path, name);
    writeFileSync(file, bytes);
    return execFileSync("zbarimg", ["--raw", "-q", file], { encoding: "utf8" }).trim();
  }

  it("QR codes (PNG and SVG) and the printable label decode back to the lot's Digital Link URI", async () => {
    const { uri } = await journey();
    const png = await request(api.server).get(`/labels/${GTIN.boxes}/${chain.lots.boxes}.png`).buffer(true).expect(200);
    expect(png.headers["content-type"]).toBe("image/png");
    expect(decode(png.body as Buffer, "qr.png")).toBe(uri);
    const label = await request(api.server)
      .get(`/labels/${GTIN.boxes}/${chain.lots.boxes}.png?layout=label`)
      .buffer(true)
      .expect(200);
    expect(decode(label.body as Buffer, "label.png")).toBe(uri);
    const svg = await request(api.server)
      .get(`/labels/${GTIN.boxes}/${chain.lots.boxes}.svg?layout=label`)
      .buffer(true)
      .parse((response, done) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
        response.on("end", () => done(null, text));
      })
      .expect(200);
    expect(svg.headers["content-type"]).toMatch(/image\/svg\+xml/);
    expect(svg.body as string).toContain("Zero-carbon");
  });

  it("refuse an unknown format", async () => {
    const response = await request(api.server).get(`/labels/${GTIN.boxes}/${chain.lots.boxes}.gif`);
    expect([response.status, response.body.code]).toEqual([400, "LABEL.FORMAT"]);
  });
});
