import { DomainError } from "#common";

export function evidenceNotFound(cid: string, cause?: unknown): DomainError {
  return new DomainError(
    "EVIDENCE.NOT_FOUND",
    "not-found",
    `No content for CID ${cid} on this IPFS node`,
    { cid },
    { cause },
  );
}

export function invalidCid(cid: string): DomainError {
  return new DomainError("EVIDENCE.INVALID_CID", "invalid", `"${cid}" is not a CID`, { cid });
}

export function ipfsUnavailable(cause: unknown): DomainError {
  return new DomainError("EVIDENCE.IPFS_UNAVAILABLE", "unavailable", "The IPFS node did not answer", {}, { cause });
}
