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
  return new DomainError(
    "EVIDENCE.IPFS_UNAVAILABLE",
    "unavailable",
    "The IPFS node did not answer",
    { part: "ipfs", retryAfterSeconds: 10 },
    { cause },
  );
}

/** The disk under the IPFS store is full: nothing can be added until the operator frees or adds space. */
export function storeFull(cause: unknown): DomainError {
  return new DomainError(
    "EVIDENCE.STORE_FULL",
    "unavailable",
    "The evidence store has no space left: try again later",
    { part: "ipfs", retryAfterSeconds: 60 },
    { cause },
  );
}

/** Whether an error (or one of its causes) says the disk is full or over quota. */
export function isNoSpace(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; typeof current === "object" && current !== null && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (code === "ENOSPC" || code === "EDQUOT") return true;
    if (typeof message === "string" && /ENOSPC|no space left on device/i.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
