import type { KuboRPCClient } from "kubo-rpc-client";
import type { Logger } from "#common";
import { KUBO_V1_ADD_PARAMS } from "#proof";
import { evidenceNotFound, ipfsUnavailable, isNoSpace, storeFull } from "./errors.js";
import type { EvidenceHealth, EvidenceStore } from "./evidence-store.js";
import { concat, parseCid } from "./parse-cid.js";

const GET_TIMEOUT = "30s";
/** An add of the largest evidence file a partner may post, with room for a slow disk. */
const ADD_TIMEOUT = "120s";

/** Kubo's global `--offline` flag, passed as a query parameter: never fetch what the daemon lacks. */
const OFFLINE = (): URLSearchParams => new URLSearchParams({ offline: "true" });

/** A Kubo daemon (or anything that speaks the Kubo RPC API, e.g. IPFS Cluster's proxy) over HTTP. */
export class KuboEvidenceStore implements EvidenceStore {
  readonly kind = "kubo";

  private constructor(
    private readonly client: KuboRPCClient,
    private readonly url: string,
  ) {}

  static async connect(url: string, log: Logger): Promise<KuboEvidenceStore> {
    // Loaded only when a daemon is configured: a service that stores evidence itself (the default) never needs the
    // client, and its start-up is spared loading it.
    const { create } = await import("kubo-rpc-client");
    const client = create({ url, timeout: "120s" });
    const store = new KuboEvidenceStore(client, url);
    const { version } = await store.call(() => client.version());
    log.info("connected to Kubo RPC API", { url, version });
    return store;
  }

  async add(bytes: Uint8Array): Promise<string> {
    try {
      const { cid } = await this.client.add(bytes, { ...KUBO_V1_ADD_PARAMS, pin: true, timeout: ADD_TIMEOUT });
      return cid.toV1().toString();
    } catch (error) {
      throw isNoSpace(error) ? storeFull(error) : ipfsUnavailable(error);
    }
  }

  /** Only content this service pinned counts: anything else might be fetched from peers or vanish in GC. */
  async get(cid: string): Promise<Uint8Array> {
    const parsed = parseCid(cid);
    if (!(await this.has(cid))) throw evidenceNotFound(cid);
    try {
      // Offline, and bounded: a daemon without the offline flag would otherwise wait for peers forever.
      return await concat(this.client.cat(parsed, { searchParams: OFFLINE(), timeout: GET_TIMEOUT }));
    } catch (error) {
      throw evidenceNotFound(cid, error);
    }
  }

  /** Held = pinned recursively, which the daemon only allows with every block present, and keeps from GC. */
  async has(cid: string): Promise<boolean> {
    const parsed = parseCid(cid);
    await this.reachable();
    try {
      for await (const pin of this.client.pin.ls({ paths: [parsed], type: "recursive", timeout: "10s" })) {
        if (pin.cid.toV1().toString() === parsed.toV1().toString()) return true;
      }
      return false;
    } catch {
      return false; // "not pinned"
    }
  }

  /** Degraded when the repository is over 90 % of its StorageMax (Kubo's GC watermark is 90 % by default). */
  async health(): Promise<EvidenceHealth> {
    try {
      const { version } = await this.client.version({ timeout: "5s" });
      const where = `Kubo RPC ${version} at ${this.url}`;
      const stat = await this.client.repo.stat({ timeout: "5s" });
      const freeBytes = Math.max(0, Number(stat.storageMax - stat.repoSize));
      if (Number(stat.repoSize) > 0.9 * Number(stat.storageMax))
        return { status: "degraded", kind: this.kind, detail: `${where}: repository near StorageMax`, freeBytes };
      return { status: "ok", kind: this.kind, detail: where, freeBytes };
    } catch (error) {
      return { status: "failing", kind: this.kind, detail: `Kubo RPC at ${this.url}: ${String(error)}` };
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private async reachable(): Promise<void> {
    await this.call(() => this.client.version({ timeout: "10s" }));
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw ipfsUnavailable(error);
    }
  }
}
