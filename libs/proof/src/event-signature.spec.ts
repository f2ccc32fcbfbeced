import { describe, expect, it } from "@jest/globals";
import { hexlify, randomBytes, TypedDataEncoder, Wallet } from "ethers";
import { digestOfEventHash } from "#epcis";
import {
  EVENT_SIGNATURE_TYPES,
  eventSigningDigest,
  recoverEventSigner,
  signEventHash,
  signingDomain,
} from "./event-signature.js";

const eventHash = (): string => `ni:///sha-256;${hexlify(randomBytes(32)).slice(2)}?ver=CBV2.0`;

describe("eventSigningDigest", () => {
  it("is the EIP-712 digest ethers computes, across chains, contracts and events", () => {
    for (const chainId of [1n, 31337n, 8453n]) {
      for (let i = 0; i < 5; i += 1) {
        const domain = signingDomain(chainId, hexlify(randomBytes(20)));
        const hash = eventHash();
        expect(eventSigningDigest(domain, hash)).toBe(
          TypedDataEncoder.hash(domain, EVENT_SIGNATURE_TYPES, { eventHash: digestOfEventHash(hash) }),
        );
      }
    }
  });

  it("is what a wallet's signTypedData signs: the signer recovers", async () => {
    const wallet = new Wallet(hexlify(randomBytes(32)));
    const domain = signingDomain(31337n, hexlify(randomBytes(20)));
    const hash = eventHash();
    const signature = await signEventHash(wallet, domain, hash);
    expect(recoverEventSigner(domain, hash, signature)).toBe(wallet.address);
    const otherLedger = signingDomain(31337n, hexlify(randomBytes(20)));
    expect(recoverEventSigner(otherLedger, hash, signature)).not.toBe(wallet.address);
  });
});
