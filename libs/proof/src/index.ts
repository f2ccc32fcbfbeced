export {
  EVENT_SIGNATURE_TYPES,
  eventSigningDigest,
  recoverEventSigner,
  signEventHash,
  signingDomain,
  type SigningDomain,
  type TypedDataSigner,
} from "./event-signature.js";
export { signDocument } from "./sign-document.js";
