import {
  getAddress,
  getBytes,
  id,
  isHexString,
  recoverAddress,
  TypedDataEncoder,
  type TypedDataDomain,
  type TypedDataField,
} from "ethers";
import { DomainError } from "#common";
import { hexBytes, toHex } from "./hex.js";
import { keccak256Bytes } from "./keccak.js";
import { digestOfEventHash } from "#epcis";

/**
 * Authorship of an event is an EIP-712 signature over its CBV 2.0 event hash, bound to one deployment of the
 * ledger (chain id + TraceLedger address), so a signature cannot be replayed against another ledger.
 */
export interface SigningDomain {
  readonly name: "CarbonTrace";
  readonly version: "1";
  readonly chainId: string;
  readonly verifyingContract: string;
}

export const EVENT_SIGNATURE_TYPES: Readonly<Record<string, TypedDataField[]>> = {
  EpcisEvent: [{ name: "eventHash", type: "bytes32" }],
};

/** Anything that can sign typed data: an ethers Wallet, a browser wallet's signer, a hardware signer. */
export interface TypedDataSigner {
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

export function signingDomain(chainId: bigint | string, traceLedger: string): SigningDomain {
  return { name: "CarbonTrace", version: "1", chainId: chainId.toString(), verifyingContract: getAddress(traceLedger) };
}

/** keccak256 of the EIP-712 type string "EpcisEvent(bytes32 eventHash)". */
const EVENT_TYPE_HASH = getBytes(id(TypedDataEncoder.from(EVENT_SIGNATURE_TYPES).encodeType("EpcisEvent")));

/** Domain separators by chain and contract: the same few for the life of a process. */
const domainSeparators = new Map<string, Uint8Array>();

function domainSeparatorOf(domain: SigningDomain): Uint8Array {
  const key = `${domain.chainId} ${domain.verifyingContract}`;
  let separator = domainSeparators.get(key);
  if (separator === undefined) {
    separator = getBytes(TypedDataEncoder.hashDomain(domain));
    domainSeparators.set(key, separator);
  }
  return separator;
}

/**
 * The 32-byte EIP-712 digest a signer signs for an event hash: keccak256(0x1901 ‖ domain separator ‖
 * keccak256(type hash ‖ event hash)), what `TypedDataEncoder.hash` computes (a test holds them equal), with the
 * domain separator and type hash computed once instead of for every event of every capture.
 */
export function eventSigningDigest(domain: SigningDomain, eventHash: string): string {
  // On bytes, not ethers' hex strings: capture computes this for every signed event it receives.
  const struct = new Uint8Array(64);
  struct.set(EVENT_TYPE_HASH, 0);
  struct.set(hexBytes(digestOfEventHash(eventHash), 32), 32);
  const message = new Uint8Array(66);
  message.set([0x19, 0x01], 0);
  message.set(domainSeparatorOf(domain), 2);
  message.set(keccak256Bytes(struct), 34);
  return toHex(keccak256Bytes(message));
}

export function signEventHash(signer: TypedDataSigner, domain: SigningDomain, eventHash: string): Promise<string> {
  return signer.signTypedData(domain, { ...EVENT_SIGNATURE_TYPES }, { eventHash: digestOfEventHash(eventHash) });
}

/**
 * Recovers the checksummed address that signed a 32-byte digest (0x-hex) with a 65-byte signature; throws when the
 * signature cannot be recovered. Where speed matters, a native implementation can stand in for ethers' (the
 * service's capture path does); it must accept and refuse exactly the signatures ethers does.
 */
export type DigestSignerRecovery = (digest: string, signature: string) => string;

/** secp256k1 public-key recovery in JavaScript (ethers): runs everywhere, including the browser. */
export const recoverWithEthers: DigestSignerRecovery = (digest, signature) => recoverAddress(digest, signature);

/** The checksummed address that signed `eventHash`; throws PROOF.SIGNATURE_MALFORMED for unusable bytes. */
export function recoverEventSigner(
  domain: SigningDomain,
  eventHash: string,
  signature: string,
  recover: DigestSignerRecovery = recoverWithEthers,
): string {
  if (!isHexString(signature, 65)) {
    throw new DomainError("PROOF.SIGNATURE_MALFORMED", "invalid", "A signature must be 65 bytes of 0x-hex", {
      eventHash,
    });
  }
  try {
    return recover(eventSigningDigest(domain, eventHash), signature);
  } catch (error) {
    throw new DomainError(
      "PROOF.SIGNATURE_MALFORMED",
      "invalid",
      "The signature cannot be recovered",
      { eventHash },
      { cause: error },
    );
  }
}
