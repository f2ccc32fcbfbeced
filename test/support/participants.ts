import type { Server } from "node:http";
import { Wallet } from "ethers";
import { expect } from "@jest/globals";
import request from "supertest";
import { signDocument, type SigningDomain } from "#proof";
import { epcisDocument, observation, type Json } from "./epcis.js";

export interface TestParticipant {
  readonly id: string;
  readonly token: string;
  readonly address: string;
  /** Its GLN (the identifier it was registered with). */
  readonly gln: string;
  /** Present for self custody. */
  readonly wallet?: Wallet;
}

let counter = 0;

/** A GLN with a valid check digit, unique per call. */
export function uniqueGln(): string {
  counter += 1;
  const body = `69${String(Date.now() % 1e7).padStart(7, "0")}${String(counter).padStart(3, "0")}`.slice(0, 12);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[11 - i]) * (i % 2 === 0 ? 3 : 1);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** Registers a participant through the API (as the administrator) and returns its key and signer. */
export async function registerParticipant(
  server: Server | string,
  adminKey: string,
  roles: string[],
  custody: "self" | "custodial" = "self",
  extra: { country?: string; organisation?: string } = {},
): Promise<TestParticipant> {
  const wallet = custody === "self" ? Wallet.createRandom() : undefined;
  const gln = uniqueGln();
  const response = await request(server)
    .post("/participants")
    .set("authorization", `Bearer ${adminKey}`)
    .send({
      organisation: extra.organisation ?? `Test ${roles.join("+")} ${String(counter)}`,
      ...(extra.country === undefined ? {} : { country: extra.country }),
      identifier: { scheme: "gln", value: gln },
      displayName: { zh: "测试伙伴", en: "Test partner" },
      roles,
      custody,
      ...(wallet === undefined ? {} : { address: wallet.address }),
    });
  if (response.status !== 201)
    throw new Error(`registration failed: ${response.status} ${JSON.stringify(response.body)}`);
  const body = response.body as { id: string; address: string; apiKey: { token: string } };
  return {
    id: body.id,
    token: body.apiKey.token,
    address: body.address,
    gln,
    ...(wallet === undefined ? {} : { wallet: new Wallet(wallet.privateKey) }),
  };
}

export async function signingDomainOf(server: Server): Promise<SigningDomain> {
  const response = await request(server).get("/capture/signing-domain");
  return (response.body as { domain: SigningDomain }).domain;
}

/** Signs (self custody) and posts a document as the participant. */
export async function capture(
  server: Server,
  participant: TestParticipant,
  document: Record<string, unknown>,
  domain: SigningDomain,
): Promise<request.Response> {
  const body = participant.wallet === undefined ? document : await signDocument(document, participant.wallet, domain);
  return request(server)
    .post("/capture")
    .set("authorization", `Bearer ${participant.token}`)
    .set("content-type", "application/ld+json")
    .send(JSON.stringify(body));
}

/**
 * The EPCIS destination of a shipment to `receiver` (its party GLN): what hands a lot over, so that the receiver
 * may receive it and then use it (docs/authority.md).
 */
export function shippedTo(receiver: Pick<TestParticipant, "gln">): Record<string, unknown> {
  return { destinationList: [{ type: "owning_party", destination: `https://id.gs1.org/417/${receiver.gln}` }] };
}

/** The participant's own site, as an event's bizLocation. */
export function siteOf(participant: Pick<TestParticipant, "gln">): Record<string, unknown> {
  return { bizLocation: { id: `https://id.gs1.org/414/${participant.gln}` } };
}

/**
 * Hands lots over as partners do: `from` ships the quantities to `to` (destinationList naming it), and `to` receives
 * them. Only then may `to` use them.
 */
export async function handOver(
  server: Server,
  domain: SigningDomain,
  from: TestParticipant,
  to: TestParticipant,
  items: Json[],
  time = "2026-10-02T08:00:00.000+08:00",
): Promise<void> {
  const shipped = await capture(
    server,
    from,
    epcisDocument([observation("shipping", items, shippedTo(to), time)]),
    domain,
  );
  expect([shipped.status, shipped.body]).toEqual([202, expect.anything()]);
  const received = await capture(server, to, epcisDocument([observation("receiving", items, {}, time)]), domain);
  expect([received.status, received.body]).toEqual([202, expect.anything()]);
}
