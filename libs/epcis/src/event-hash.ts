import { sha256 } from "ethers";
import { utf8Bytes } from "#common";
import { invalidEventHash } from "./errors.js";
import { type JsonObject } from "./json.js";
import { type Namespaces } from "./namespaces.js";
import { preHashWith } from "./pre-hash.js";

/**
 * Canonical pre-hash string of one event (CBV 2.0 event hash, as the reference implementation builds it).
 * @param namespaces the prefixes of the document's @context (see {@link namespacesOf}); the EPCIS context's own
 *   prefixes (epcis, cbv, cbvmda, gs1, …) are always in scope.
 * @throws DomainError `EPCIS.INVALID_EVENT` (not an object, unknown event type), `EPCIS.INVALID_EPC` (malformed
 *   EPC URI).
 */
export function preHashOf(event: JsonObject, namespaces?: Namespaces): string {
  return preHashWith(event, { namespaces });
}

/** `ni:///sha-256;<64 hex>?ver=CBV2.0` of one event; throws like {@link preHashOf}. */
export function eventHashOf(event: JsonObject, namespaces?: Namespaces): string {
  return hashUriOf(preHashOf(event, namespaces));
}

export function hashUriOf(preHash: string): string {
  return `ni:///sha-256;${sha256(utf8Bytes(preHash)).slice(2)}?ver=CBV2.0`;
}

const EVENT_HASH_URI = /^ni:\/\/\/sha-256;([0-9a-fA-F]{64})\?ver=CBV\d+\.\d+(?:\.\d+)?$/;

/**
 * The 32-byte sha-256 digest of an event hash URI as 0x-prefixed lowercase hex (for use as a Solidity bytes32).
 * @throws DomainError `EPCIS.INVALID_EVENT_HASH` for anything but `ni:///sha-256;<64 hex>?ver=CBV<x>.<y>`.
 */
export function digestOfEventHash(hashUri: string): `0x${string}` {
  const hex = EVENT_HASH_URI.exec(hashUri)?.[1];
  if (hex === undefined) throw invalidEventHash(hashUri);
  return `0x${hex.toLowerCase()}`;
}
