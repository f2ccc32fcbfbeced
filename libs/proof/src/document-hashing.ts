import { DomainError } from "#common";
import { eventHashOf, type Namespaces } from "#epcis";
import {
  recoverEventSigner,
  recoverWithEthers,
  type DigestSignerRecovery,
  type SigningDomain,
} from "./event-signature.js";

/** A captured document's events, to hash and (where signed) to recover the signers of. */
export interface DocumentHashingJob {
  readonly domain: SigningDomain;
  readonly namespaces: Namespaces;
  readonly events: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** Signatures by event hash (a self-custody document's `ct:signatures`); empty for a custodial participant's. */
  readonly signatures: ReadonlyMap<string, string>;
}

export interface HashedDocument {
  /** Each event's CBV 2.0 event hash, or null where it cannot be computed (the caller computes it again to say why). */
  readonly hashes: ReadonlyArray<string | null>;
  /** The signer of each signed event (error declarations are signed as such: not here), by event hash, or its error. */
  readonly signers: ReadonlyMap<string, string | DomainError>;
}

/**
 * The CPU-bound part of capturing a document: the events' hashes (canonical pre-hash strings, SHA-256) and the
 * recovery of their signers (two keccak256 and a secp256k1 recovery each). The service runs it on worker threads
 * (#signatures), off the event loop; `hashDocument` is the same work in the calling thread.
 */
export interface DocumentHashing {
  hash(job: DocumentHashingJob): Promise<HashedDocument>;
  /** Worker threads doing the work; 0: the calling thread does it. */
  readonly threads: number;
}

export function hashDocument(
  job: DocumentHashingJob,
  recover: DigestSignerRecovery = recoverWithEthers,
): HashedDocument {
  const hashes = job.events.map((event) => hashOrNull(event, job.namespaces));
  const signers = new Map<string, string | DomainError>();
  job.events.forEach((event, index) => {
    const eventHash = hashes[index];
    const signature = eventHash === null || eventHash === undefined ? undefined : job.signatures.get(eventHash);
    if (eventHash === null || eventHash === undefined || signature === undefined || isDeclaration(event)) return;
    if (signers.has(eventHash)) return;
    try {
      signers.set(eventHash, recoverEventSigner(job.domain, eventHash, signature, recover));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      signers.set(eventHash, error);
    }
  });
  return { hashes, signers };
}

/** A DocumentHashing that works in the calling thread (tests run from sources, tools). */
export function inThreadDocumentHashing(recover: DigestSignerRecovery = recoverWithEthers): DocumentHashing {
  return { hash: (job) => Promise.resolve(hashDocument(job, recover)), threads: 0 };
}

function hashOrNull(event: Readonly<Record<string, unknown>>, namespaces: Namespaces): string | null {
  try {
    return eventHashOf(event, namespaces);
  } catch {
    return null;
  }
}

function isDeclaration(event: Readonly<Record<string, unknown>>): boolean {
  const declaration = event.errorDeclaration;
  return typeof declaration === "object" && declaration !== null && !Array.isArray(declaration);
}
