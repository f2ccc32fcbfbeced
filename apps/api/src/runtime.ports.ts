import type { RuntimeHealth } from "#runtime";

/**
 * The parts of the started runtime, one injection token each (TypeORM's DataSource is injected by its class), so
 * that a constructor says which engines a class depends on: a service that only reads config cannot reach the
 * chain, and a unit test builds only the parts the class names.
 */

/** `Config` from #config: the validated environment. */
export const CONFIG = Symbol("CONFIG");
/** `ServiceSecrets` from #runtime: the admin API key and the custody master key. */
export const SECRETS = Symbol("SECRETS");
/** `Ledger` from #ledger: our contracts on the chain, signed by the operator key. */
export const LEDGER = Symbol("LEDGER");
/** `EvidenceStore` from #evidence: IPFS (embedded or Kubo). */
export const EVIDENCE_STORE = Symbol("EVIDENCE_STORE");
/** `EpcisSchemaSource` from #runtime: the GS1 EPCIS JSON Schema capture validates against, if one loaded. */
export const EPCIS_SCHEMA = Symbol("EPCIS_SCHEMA");
/** GS1's EPCIS XSDs when configured (EpcisXmlSchema). */
export const EPCIS_XML_SCHEMA = Symbol("EPCIS_XML_SCHEMA");
/** `EngineHealth`: the health of PostgreSQL, the chain and IPFS, and the embedded engines' restarts. */
export const ENGINE_HEALTH = Symbol("ENGINE_HEALTH");
/** `string | null`: the JSON-RPC URL consumers' browsers may be given to read the ledger (see RuntimeModule). */
export const PUBLIC_RPC_URL = Symbol("PUBLIC_RPC_URL");

/**
 * `DigestSignerRecovery` from #proof: secp256k1 public-key recovery for the signatures partners send, in native
 * code (#signatures) where the binary loads, else ethers' JavaScript.
 */
export const SIGNER_RECOVERY = Symbol("SIGNER_RECOVERY");

/**
 * `DocumentHashing` from #proof: a captured document's event hashes and signers, on worker threads (#signatures)
 * when the service runs compiled, else in the event loop with SIGNER_RECOVERY.
 */
export const DOCUMENT_HASHING = Symbol("DOCUMENT_HASHING");

export interface EngineHealth {
  health(): Promise<RuntimeHealth>;
}
