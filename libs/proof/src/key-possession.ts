import { verifyTypedData, type TypedDataField } from "ethers";
import type { SigningDomain, TypedDataSigner } from "./event-signature.js";

/**
 * Proof that whoever gives the service a participant's new address holds its key: an EIP-712 signature, bound to
 * this ledger's domain and to the participant, of a statement no event signature can be mistaken for.
 */
export const KEY_POSSESSION_TYPES: Readonly<Record<string, TypedDataField[]>> = {
  KeyPossession: [
    { name: "participant", type: "string" },
    { name: "statement", type: "string" },
  ],
};

const STATEMENT = "This key signs this participant's records in CarbonTrace";

function possessionOf(participantId: string): Record<string, string> {
  return { participant: participantId, statement: STATEMENT };
}

export function signKeyPossession(
  signer: TypedDataSigner,
  domain: SigningDomain,
  participantId: string,
): Promise<string> {
  return signer.signTypedData({ ...domain }, { ...KEY_POSSESSION_TYPES }, possessionOf(participantId));
}

/** The address that signed the proof; undefined for a malformed signature. */
export function keyPossessionSigner(
  domain: SigningDomain,
  participantId: string,
  signature: string,
): string | undefined {
  try {
    return verifyTypedData({ ...domain }, { ...KEY_POSSESSION_TYPES }, possessionOf(participantId), signature);
  } catch {
    return undefined;
  }
}
