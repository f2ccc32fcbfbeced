import { describe, expect, it } from "@jest/globals";
import { Wallet } from "ethers";
import { signingDomain } from "./event-signature.js";
import { keyPossessionSigner, signKeyPossession } from "./key-possession.js";

const DOMAIN = signingDomain(31337n, "0x5FbDB2315678afecb367f032d93F642f64180aa3");
const PARTICIPANT = "0b9c4a39-3d47-4c5c-9a43-2d7c2f5f2a11";

describe("key possession", () => {
  it("recovers the key that signed for this participant on this ledger, and no other", async () => {
    const wallet = Wallet.createRandom();
    const signature = await signKeyPossession(wallet, DOMAIN, PARTICIPANT);
    expect(keyPossessionSigner(DOMAIN, PARTICIPANT, signature)).toBe(wallet.address);
    // Another participant, another ledger: someone else's proof.
    expect(keyPossessionSigner(DOMAIN, "another", signature)).not.toBe(wallet.address);
    const otherLedger = signingDomain(1n, "0x5FbDB2315678afecb367f032d93F642f64180aa3");
    expect(keyPossessionSigner(otherLedger, PARTICIPANT, signature)).not.toBe(wallet.address);
    expect(keyPossessionSigner(DOMAIN, PARTICIPANT, "0x1234")).toBeUndefined();
  });
});
