import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Wallet } from "ethers";
import request from "supertest";
import { signKeyPossession } from "#proof";
import { startTestApp, type TestApp } from "../support/app.js";
import { epcisSchemaForTests } from "../support/conformance.js";
import { registerParticipant, signingDomainOf, uniqueGln, type TestParticipant } from "../support/participants.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { tempDir } from "../support/temp.js";

/** The partner console's way in: invitation links, sign-in, cookie sessions with anti-CSRF tokens. */
let postgres: TestPostgres;
let api: TestApp;
let dir: Awaited<ReturnType<typeof tempDir>>;
let recycler: TestParticipant;
let moulder: TestParticipant;

beforeAll(async () => {
  postgres = await startTestPostgres();
  dir = await tempDir("console");
  api = await startTestApp({
    DATA_DIR: dir.path,
    DATABASE_URL: await postgres.createDatabase(),
    EPCIS_JSON_SCHEMA: epcisSchemaForTests(),
    PUBLIC_BASE_URL: "https://trace.example.com",
    AUTH_FAILURE_LIMIT: "1000",
  });
  recycler = await registerParticipant(api.server, api.adminKey, ["recycler"], "custodial");
  moulder = await registerParticipant(api.server, api.adminKey, ["moulder"], "custodial");
}, 120_000);

afterAll(async () => {
  await api.stop();
  await dir.remove();
  await postgres.stop();
});

const admin = (): [string, string] => ["authorization", `Bearer ${api.adminKey}`];
let names = 0;
const username = (): string => `partner.${String(++names)}`;
const PASSPHRASE = "green bottles become boxes";

interface Session {
  readonly cookie: string;
  readonly csrfToken: string;
  readonly id: string;
}

async function invite(
  participant: TestParticipant,
  body: object = {},
): Promise<{ url: string; token: string; id: string }> {
  const response = await request(api.server)
    .post(`/participants/${participant.id}/invitations`)
    .set(...admin())
    .send(body);
  expect([response.status, response.body.status]).toEqual([201, "open"]);
  const url = String(response.body.url);
  return { url, token: url.slice(url.indexOf("#") + 1), id: String(response.body.id) };
}

async function join(token: string, name = username()): Promise<Session> {
  const response = await request(api.server)
    .post("/console/join")
    .set("user-agent", "phone test")
    .send({ invitation: token, username: name, passphrase: PASSPHRASE });
  expect([response.status, response.body.code]).toEqual([201, undefined]);
  return sessionFrom(response);
}

function sessionFrom(response: request.Response): Session {
  const setCookie = ([] as string[]).concat(response.headers["set-cookie"] ?? []);
  const cookie = setCookie.find((c) => c.startsWith("ct_session="));
  if (cookie === undefined) throw new Error("no session cookie");
  return {
    cookie: cookie.split(";")[0] ?? "",
    csrfToken: String(response.body.csrfToken),
    id: String(response.body.session),
  };
}

describe("invitations", () => {
  it("are issued by the administrator, once, as a link with the secret in its fragment and a QR code", async () => {
    const response = await request(api.server)
      .post(`/participants/${recycler.id}/invitations`)
      .set(...admin())
      .send({ expiresInHours: 24 });
    expect(response.status).toBe(201);
    expect(response.body.url).toMatch(/^https:\/\/trace\.example\.com\/console\/join#cti_[0-9a-f]{16}_[\w-]{43}$/);
    expect(response.body.qrSvg).toMatch(/^<svg/);
    const { expiresAt, createdAt } = response.body as { expiresAt: string; createdAt: string };
    const hours = (Date.parse(expiresAt) - Date.parse(createdAt)) / 3_600_000;
    expect(hours).toBeCloseTo(24, 1);
    // Listed afterwards, never with its secret.
    const listed = await request(api.server)
      .get(`/participants/${recycler.id}/invitations`)
      .set(...admin());
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(String(response.body.url).split("#")[1]);
    expect(listed.body[0]).toMatchObject({ id: response.body.id, status: "open" });
  });

  it("are for the administrator only, and for participants that exist", async () => {
    await request(api.server).post(`/participants/${recycler.id}/invitations`).send({}).expect(401);
    const asPartner = await request(api.server)
      .post(`/participants/${recycler.id}/invitations`)
      .set("authorization", `Bearer ${recycler.token}`)
      .send({});
    expect([asPartner.status, asPartner.body.code]).toEqual([403, "AUTH.FORBIDDEN"]);
    const nobody = await request(api.server)
      .post("/participants/00000000-0000-4000-8000-000000000000/invitations")
      .set(...admin())
      .send({});
    expect([nobody.status, nobody.body.code]).toEqual([404, "PARTICIPANT.NOT_FOUND"]);
    const tooLong = await request(api.server)
      .post(`/participants/${recycler.id}/invitations`)
      .set(...admin())
      .send({ expiresInHours: 24 * 30 });
    expect(tooLong.status).toBe(400);
  });

  it("set up a person once: the link cannot be used again, nor withdrawn, nor guessed", async () => {
    const { token, id } = await invite(recycler);
    const session = await join(token);
    expect(session.csrfToken).toMatch(/^[\w-]{43}$/);
    const again = await request(api.server)
      .post("/console/join")
      .send({ invitation: token, username: username(), passphrase: PASSPHRASE });
    expect([again.status, again.body.code, again.body.reason]).toEqual([409, "CONSOLE.INVITATION_INVALID", "used"]);
    const forged = `${token.slice(0, -4)}AAAA`;
    const guessed = await request(api.server)
      .post("/console/join")
      .send({ invitation: forged, username: username(), passphrase: PASSPHRASE });
    expect([guessed.status, guessed.body.reason]).toEqual([400, "unknown"]);
    const withdraw = await request(api.server)
      .delete(`/participants/${recycler.id}/invitations/${id}`)
      .set(...admin());
    expect([withdraw.status, withdraw.body.code]).toEqual([404, "CONSOLE.INVITATION_NOT_FOUND"]);
    const listed = await request(api.server)
      .get(`/participants/${recycler.id}/invitations`)
      .set(...admin());
    expect((listed.body as Array<{ id: string; status: string }>).find((i) => i.id === id)?.status).toBe("used");
  });

  it("withdrawn, refuse to set anyone up", async () => {
    const { token, id } = await invite(recycler);
    await request(api.server)
      .delete(`/participants/${recycler.id}/invitations/${id}`)
      .set(...admin())
      .expect(204);
    const refused = await request(api.server)
      .post("/console/join")
      .send({ invitation: token, username: username(), passphrase: PASSPHRASE });
    expect([refused.status, refused.body.reason]).toEqual([409, "revoked"]);
  });

  it("expired, refuse to set anyone up", async () => {
    const { token, id } = await invite(recycler, { expiresInHours: 1 });
    await api.runtime.dataSource.query(
      `UPDATE "console_invitation" SET "expires_at" = now() - interval '1 minute' WHERE "id" = $1`,
      [id],
    );
    const refused = await request(api.server)
      .post("/console/join")
      .send({ invitation: token, username: username(), passphrase: PASSPHRASE });
    expect([refused.status, refused.body.reason]).toEqual([409, "expired"]);
  });

  it("used by two browsers at once set up one person, and refuse the other (nothing half-written)", async () => {
    const { token } = await invite(moulder);
    const answers = await Promise.all(
      [username(), username()].map((name) =>
        request(api.server).post("/console/join").send({ invitation: token, username: name, passphrase: PASSPHRASE }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const users = await api.runtime.dataSource.query<unknown[]>(
      `SELECT 1 FROM "console_user" WHERE "participant_id" = $1`,
      [moulder.id],
    );
    expect(users).toHaveLength(1);
  });

  it("ask for a proper username and passphrase, and a free username, in words", async () => {
    const cases: Array<[object, number, string]> = [
      [{ username: "x", passphrase: PASSPHRASE }, 400, "CONSOLE.USERNAME_INVALID"],
      [{ username: "has space", passphrase: PASSPHRASE }, 400, "CONSOLE.USERNAME_INVALID"],
      [{ username: username(), passphrase: "short" }, 400, "CONSOLE.PASSPHRASE_TOO_SHORT"],
    ];
    for (const [body, status, code] of cases) {
      const { token } = await invite(recycler);
      const response = await request(api.server)
        .post("/console/join")
        .send({ invitation: token, ...body });
      expect([response.status, response.body.code]).toEqual([status, code]);
      // The invitation is still usable after a refused form.
      await join(token);
    }
    const taken = username();
    await join((await invite(recycler)).token, taken);
    const { token } = await invite(moulder);
    const response = await request(api.server)
      .post("/console/join")
      .send({ invitation: token, username: taken.toUpperCase(), passphrase: PASSPHRASE });
    expect([response.status, response.body.code]).toEqual([409, "CONSOLE.USERNAME_TAKEN"]);
  });
});

describe("sessions", () => {
  it("are HttpOnly, SameSite=Strict and Secure cookies behind an https PUBLIC_BASE_URL", async () => {
    const { token } = await invite(recycler);
    const response = await request(api.server)
      .post("/console/join")
      .send({ invitation: token, username: username(), passphrase: PASSPHRASE });
    const cookie = ([] as string[]).concat(response.headers["set-cookie"] ?? []).join(";");
    expect(cookie).toMatch(/^ct_session=cts_[0-9a-f]{16}_[\w-]{43}/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("Path=/");
    expect(Number(/Max-Age=(\d+)/.exec(cookie)?.[1])).toBeGreaterThan(30 * 86_400 - 60); // 30 days
    expect(response.headers["cache-control"]).toBe("no-store");
  });

  it("act as the participant: read freely, change only with the anti-CSRF token", async () => {
    const session = await join((await invite(recycler)).token);
    const me = await request(api.server).get("/participants/me").set("cookie", session.cookie);
    expect([me.status, me.body.id]).toEqual([200, recycler.id]);
    const current = await request(api.server).get("/console/session").set("cookie", session.cookie);
    expect(current.body).toMatchObject({ participant: recycler.id, csrfToken: session.csrfToken, session: session.id });

    const document = {
      "@context": [],
      type: "EPCISDocument",
      schemaVersion: "2.0",
      creationDate: "2026-01-01T00:00:00Z",
    };
    const forged = await request(api.server).post("/capture").set("cookie", session.cookie).send(document);
    expect([forged.status, forged.body.code]).toEqual([403, "AUTH.CSRF_TOKEN_INVALID"]);
    const wrong = await request(api.server)
      .post("/capture")
      .set("cookie", session.cookie)
      .set("x-csrf-token", `${session.csrfToken.slice(0, -2)}AA`)
      .send(document);
    expect(wrong.body.code).toBe("AUTH.CSRF_TOKEN_INVALID");
    const withToken = await request(api.server)
      .post("/capture")
      .set("cookie", session.cookie)
      .set("x-csrf-token", session.csrfToken)
      .send(document);
    // Past authentication: refused for what the document is, not for who sent it.
    expect(withToken.status).toBe(400);
    expect(String(withToken.body.code)).not.toMatch(/^AUTH\./);
  });

  it("are not the administrator's, and console routes refuse API keys", async () => {
    const session = await join((await invite(recycler)).token);
    const list = await request(api.server).get("/participants").set("cookie", session.cookie);
    expect([list.status, list.body.code]).toEqual([403, "AUTH.FORBIDDEN"]);
    const byKey = await request(api.server).get("/console/session").set("authorization", `Bearer ${recycler.token}`);
    expect([byKey.status, byKey.body.code]).toEqual([403, "CONSOLE.SESSION_REQUIRED"]);
  });

  it("sign in again with the username and passphrase; a wrong passphrase says nothing about the username", async () => {
    const name = username();
    await join((await invite(recycler)).token, name);
    const signedIn = await request(api.server)
      .post("/console/sign-in")
      .send({ username: name.toUpperCase(), passphrase: PASSPHRASE });
    expect(signedIn.status).toBe(201);
    const second = sessionFrom(signedIn);
    const wrong = await request(api.server)
      .post("/console/sign-in")
      .send({ username: name, passphrase: "not it at all" });
    const unknown = await request(api.server)
      .post("/console/sign-in")
      .send({ username: "nobody.here", passphrase: PASSPHRASE });
    expect([wrong.status, wrong.body.code]).toEqual([401, "AUTH.INVALID_CREDENTIALS"]);
    expect([unknown.status, unknown.body.detail]).toEqual([401, wrong.body.detail]);
    const listed = await request(api.server).get("/console/sessions").set("cookie", second.cookie);
    expect(listed.body).toHaveLength(2);
    expect((listed.body as Array<{ current: boolean }>).filter((s) => s.current)).toEqual([
      expect.objectContaining({ id: second.id }),
    ]);
  });

  it("are listed and revoked by their own person only; a revoked or signed-out session stops working", async () => {
    const name = username();
    const phone = await join((await invite(recycler)).token, name);
    const laptop = sessionFrom(
      await request(api.server).post("/console/sign-in").send({ username: name, passphrase: PASSPHRASE }),
    );
    const other = await join((await invite(moulder)).token);

    // Another person (of another participant) cannot end this person's sessions.
    const foreign = await request(api.server)
      .delete(`/console/sessions/${phone.id}`)
      .set("cookie", other.cookie)
      .set("x-csrf-token", other.csrfToken);
    expect([foreign.status, foreign.body.code]).toEqual([404, "CONSOLE.SESSION_NOT_FOUND"]);
    await request(api.server).get("/participants/me").set("cookie", phone.cookie).expect(200);

    // The lost phone, signed out from the laptop.
    await request(api.server)
      .delete(`/console/sessions/${phone.id}`)
      .set("cookie", laptop.cookie)
      .set("x-csrf-token", laptop.csrfToken)
      .expect(204);
    const ended = await request(api.server).get("/participants/me").set("cookie", phone.cookie);
    expect([ended.status, ended.body.code]).toEqual([401, "AUTH.SESSION_INVALID"]);

    const signOut = await request(api.server)
      .post("/console/sign-out")
      .set("cookie", laptop.cookie)
      .set("x-csrf-token", laptop.csrfToken);
    expect(signOut.status).toBe(204);
    expect(([] as string[]).concat(signOut.headers["set-cookie"] ?? []).join(";")).toMatch(/ct_session=;.*Max-Age=0/);
    await request(api.server).get("/console/session").set("cookie", laptop.cookie).expect(401);
  });

  it("end after 7 idle days or 30 days, and public pages ignore a stale cookie", async () => {
    const session = await join((await invite(recycler)).token);
    await api.runtime.dataSource.query(
      `UPDATE "console_session" SET "last_seen_at" = now() - interval '8 days' WHERE "id" = $1`,
      [session.id],
    );
    const idle = await request(api.server).get("/participants/me").set("cookie", session.cookie);
    expect([idle.status, idle.body.code]).toEqual([401, "AUTH.SESSION_INVALID"]);
    await request(api.server)
      .get("/health")
      .set("cookie", session.cookie)
      .expect((r) => expect(r.status).not.toBe(401));

    const old = await join((await invite(recycler)).token);
    await api.runtime.dataSource.query(
      `UPDATE "console_session" SET "expires_at" = now() - interval '1 second' WHERE "id" = $1`,
      [old.id],
    );
    await request(api.server).get("/participants/me").set("cookie", old.cookie).expect(401);
  });
});

describe("a key created in the console", () => {
  it("is given once, by a signed-in person, with proof of possession for this participant on this ledger", async () => {
    const registered = await request(api.server)
      .post("/participants")
      .set(...admin())
      .send({
        organisation: "Key in console",
        identifier: { scheme: "gln", value: uniqueGln() },
        displayName: { zh: "控制台密钥", en: "Key in console" },
        roles: ["recycler"],
        custody: "self",
        keyFromConsole: true,
      })
      .expect(201);
    const participant = registered.body as {
      id: string;
      apiKey: { token: string };
      roles: Array<{ chainStatus: string }>;
    };
    // No role is granted to a placeholder address.
    expect(participant.roles.map((role) => role.chainStatus)).toEqual(["pending"]);
    const session = await join((await invite({ id: participant.id } as TestParticipant)).token);
    const domain = await signingDomainOf(api.server);
    const wallet = Wallet.createRandom();
    const give = (body: object, as = session) =>
      request(api.server).post("/console/key").set("cookie", as.cookie).set("x-csrf-token", as.csrfToken).send(body);

    // A proof by another key, or for another participant, proves nothing; an API key is not a person.
    const otherKey = await signKeyPossession(Wallet.createRandom(), domain, participant.id);
    await give({ address: wallet.address, signature: otherKey }).expect(400, /CONSOLE.KEY_PROOF_INVALID/);
    const otherParticipant = await signKeyPossession(wallet, domain, recycler.id);
    await give({ address: wallet.address, signature: otherParticipant }).expect(400, /CONSOLE.KEY_PROOF_INVALID/);
    const proof = await signKeyPossession(wallet, domain, participant.id);
    await request(api.server)
      .post("/console/key")
      .set("authorization", `Bearer ${participant.apiKey.token}`)
      .send({ address: wallet.address, signature: proof })
      .expect(403, /CONSOLE.SESSION_REQUIRED/);
    // Without the anti-CSRF token, nothing.
    await request(api.server)
      .post("/console/key")
      .set("cookie", session.cookie)
      .send({ address: wallet.address, signature: proof })
      .expect(403);

    // Another participant's address, even proven with its key, stays that participant's.
    const other = await registerParticipant(api.server, api.adminKey, ["recycler"], "self");
    const otherWallet = other.wallet;
    if (otherWallet === undefined) throw new Error("a self-custody participant has a wallet");
    await give({
      address: otherWallet.address,
      signature: await signKeyPossession(otherWallet, domain, participant.id),
    }).expect(409, /PARTICIPANT.ALREADY_EXISTS/);

    const given = await give({ address: wallet.address, signature: proof }).expect(201);
    expect(given.body).toMatchObject({
      address: wallet.address,
      keyStatus: "set",
      roles: [{ chainStatus: "granted" }],
    });
    // Once only: a second key (even proven) is refused; the first stays.
    const second = Wallet.createRandom();
    await give({ address: second.address, signature: await signKeyPossession(second, domain, participant.id) }).expect(
      409,
      /CONSOLE.KEY_ALREADY_SET/,
    );
    const view = await request(api.server)
      .get(`/participants/${participant.id}`)
      .set(...admin())
      .expect(200);
    expect(view.body).toMatchObject({ address: wallet.address, keyStatus: "set" });
  });
});
