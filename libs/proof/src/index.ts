export {
  EVENT_SIGNATURE_TYPES,
  eventSigningDigest,
  recoverEventSigner,
  recoverWithEthers,
  type DigestSignerRecovery,
  signEventHash,
  signingDomain,
  type SigningDomain,
  type TypedDataSigner,
} from "./event-signature.js";
export { signDocument } from "./sign-document.js";
export { signXmlDocument } from "./sign-xml.js";
export {
  DECLARATION_SIGNATURE_TYPES,
  declarationIdOf,
  declarationSigningDigest,
  recoverDeclarationSigner,
  signDeclaration,
} from "./declaration.js";
export {
  buildBatch,
  canonicalBytes,
  canonicalText,
  MANIFEST_TYPE,
  type BatchManifest,
  type BuiltBatch,
  type TreeDump,
} from "./manifest.js";
export { keccak256Bytes } from "./keccak.js";
export {
  buildTree,
  LEAF_ENCODING,
  leafHash,
  leafHashOf,
  loadTree,
  leafValue,
  recordDigest,
  verifyLeafProof,
  type LeafValue,
} from "./merkle.js";
export { checksummed } from "./address.js";
export { cidOf, KUBO_V0_IMPORT, KUBO_V1_ADD_PARAMS, KUBO_V1_IMPORT } from "./cid.js";
export {
  ATTESTATION_TYPES,
  attestationDigest,
  DEFAULT_ATTESTATION_VALIDITY_SECONDS,
  ledgerDomain,
  newAuthorization,
  recoverAttestationSigner,
  signAttestation,
  statementHash,
  VERDICTS,
  type AttestationAuthorization,
  type AttestationStatement,
  type LedgerDomain,
  type Verdict,
} from "./attestation.js";
export {
  BUNDLE_TYPE,
  BUNDLE_VERSION,
  bundleDigest,
  type AnchorStatus,
  type BundleAnchor,
  type BundleAttestation,
  type BundleBatch,
  type BundleCore,
  type BundleClaim,
  type BundleDeclaration,
  type BundleEvent,
  type BundleEvidence,
  type BundleFootprint,
  type BundleLedger,
  type BundleLot,
  type BundleParticipant,
  type BundleRetirement,
  type ProofBundle,
} from "./bundle.js";
export {
  activitiesOf,
  claimOfBundle,
  footprintGraphOfBundle,
  type ClaimOutcome,
  type ClaimSource,
  type FootprintGraphSource,
} from "./bundle-footprint.js";
export {
  EvidenceSourceUnavailable,
  verifyBundle,
  type Check,
  type CheckStatus,
  type EvidenceReader,
  type LedgerReader,
  type RetiredOnLedger,
  type VerificationOutcome,
  type VerificationReport,
  type VerifySources,
} from "./verify.js";
export {
  hashDocument,
  inThreadDocumentHashing,
  type DocumentHashing,
  type DocumentHashingJob,
  type HashedDocument,
} from "./document-hashing.js";
export { KEY_POSSESSION_TYPES, keyPossessionSigner, signKeyPossession } from "./key-possession.js";
