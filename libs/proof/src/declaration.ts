import { keccak256, solidityPackedKeccak256, TypedDataEncoder, type TypedDataField } from "ethers";
import { DomainError } from "#common";
import { digestOfEventHash } from "#epcis";
import {
  recoverWithEthers,
  type DigestSignerRecovery,
  type SigningDomain,
  type TypedDataSigner,
} from "./event-signature.js";
import { canonicalBytes } from "./manifest.js";

/**
 * An EPCIS error declaration has the same CBV hash as the event it declares erroneous (the hash leaves
 * `errorDeclaration` out), so it is signed over both: the event hash and the declaration's own content. A signature
 * of the event itself can therefore never pass for its retraction, and the declaration is anchored under an id of
 * its own: `keccak256("CarbonTrace ErrorDeclaration" ‖ eventDigest ‖ keccak256(canonical declaration))`.
 */
export const DECLARATION_SIGNATURE_TYPES: Readonly<Record<string, TypedDataField[]>> = {
  ErrorDeclaration: [
    { name: "eventHash", type: "bytes32" },
    { name: "declaration", type: "bytes32" },
  ],
};

const DECLARATION_TAG = "CarbonTrace ErrorDeclaration";

/** keccak256 of the RFC 8785 canonical JSON of the errorDeclaration object, as written. */
export function declarationContentHash(errorDeclaration: Readonly<Record<string, unknown>>): string {
  return keccak256(canonicalBytes(errorDeclaration));
}

/** The id an error declaration is stored and anchored under (bytes32 hex). */
export function declarationIdOf(eventHash: string, errorDeclaration: Readonly<Record<string, unknown>>): string {
  return solidityPackedKeccak256(
    ["string", "bytes32", "bytes32"],
    [DECLARATION_TAG, digestOfEventHash(eventHash), declarationContentHash(errorDeclaration)],
  );
}

function message(eventHash: string, errorDeclaration: Readonly<Record<string, unknown>>): Record<string, string> {
  return { eventHash: digestOfEventHash(eventHash), declaration: declarationContentHash(errorDeclaration) };
}

export function declarationSigningDigest(
  domain: SigningDomain,
  eventHash: string,
  errorDeclaration: Readonly<Record<string, unknown>>,
): string {
  return TypedDataEncoder.hash(domain, DECLARATION_SIGNATURE_TYPES, message(eventHash, errorDeclaration));
}

export function signDeclaration(
  signer: TypedDataSigner,
  domain: SigningDomain,
  eventHash: string,
  errorDeclaration: Readonly<Record<string, unknown>>,
): Promise<string> {
  return signer.signTypedData(domain, { ...DECLARATION_SIGNATURE_TYPES }, message(eventHash, errorDeclaration));
}

/** The checksummed address that signed the declaration; PROOF.SIGNATURE_MALFORMED for unusable bytes. */
export function recoverDeclarationSigner(
  domain: SigningDomain,
  eventHash: string,
  errorDeclaration: Readonly<Record<string, unknown>>,
  signature: string,
  recover: DigestSignerRecovery = recoverWithEthers,
): string {
  try {
    return recover(declarationSigningDigest(domain, eventHash, errorDeclaration), signature);
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
