/** What the service needs from IPFS: content in, content out, by CID, the same CIDs whichever node runs. */
export interface EvidenceStore {
  readonly kind: "embedded" | "kubo";
  /**
   * Stores the bytes so that they stay (pinned on Kubo; the embedded store never removes anything); returns their
   * CIDv1 (as `ipfs add --cid-version=1`).
   */
  add(bytes: Uint8Array): Promise<string>;
  /** The bytes behind a CID; throws EVIDENCE.NOT_FOUND if this node does not have them. */
  get(cid: string): Promise<Uint8Array>;
  /** Whether this node holds the whole content locally (no network lookups). */
  has(cid: string): Promise<boolean>;
  health(): Promise<EvidenceHealth>;
  close(): Promise<void>;
}

export interface EvidenceHealth {
  readonly status: "ok" | "degraded" | "failing";
  readonly kind: "embedded" | "kubo";
  readonly detail: string;
  /** Free space on the store's disk, where the store can tell. */
  readonly freeBytes?: number;
}
