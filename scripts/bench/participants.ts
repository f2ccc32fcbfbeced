import { Wallet } from "ethers";
import { CarbonTraceClient } from "#client";
import type { SigningDomain, TypedDataSigner } from "#proof";
import { withCheckDigit } from "#scenario";
import type { BenchService } from "./service.js";

/** A participant registered on a bench service, with its own API client. */
export interface BenchParticipant {
  readonly id: string;
  /** The address its events are signed by (its own, or the custodial key the service holds for it). */
  readonly address: string;
  readonly client: CarbonTraceClient;
  /** Its API key (for clients of its own, e.g. with other fetch settings). */
  readonly token: string;
}

/** A self-custody participant: it signs its events itself, with this key, in the service's signing domain. */
export interface SigningParticipant extends BenchParticipant {
  readonly wallet: TypedDataSigner;
  readonly domain: SigningDomain;
}

/** Registers a participant whose events the service signs with a key it holds (custodial). */
export async function registerCustodial(service: BenchService, role: string, gln: string): Promise<BenchParticipant> {
  return register(service, role, gln, { custody: "custodial" });
}

/**
 * Registers a participant that holds its own key (self custody), as partners who sign with `carbontrace sign` do.
 * The service grants its role on the ledger before answering, so it can capture at once.
 */
export async function registerSelfCustody(
  service: BenchService,
  role: string,
  gln: string,
): Promise<SigningParticipant> {
  const wallet = Wallet.createRandom();
  const registered = await register(service, role, gln, { custody: "self", address: wallet.address });
  return { ...registered, wallet, domain: await registered.client.signingDomain() };
}

async function register(
  service: BenchService,
  role: string,
  gln: string,
  custody: { custody: "self"; address: string } | { custody: "custodial" },
): Promise<BenchParticipant> {
  const created = await service.admin.json<{ id: string; address: string; apiKey: { token: string } }>(
    "POST",
    "/participants",
    JSON.stringify({
      organisation: `Bench ${role} ${gln}`,
      identifier: { scheme: "gln", value: withCheckDigit(gln) },
      displayName: { zh: "基准", en: `Bench ${role}` },
      country: "CN",
      roles: [role],
      ...custody,
    }),
    { "content-type": "application/json" },
  );
  const token = created.apiKey.token;
  return {
    id: created.id,
    address: created.address,
    client: new CarbonTraceClient({ baseUrl: service.url, apiKey: token }),
    token,
  };
}
