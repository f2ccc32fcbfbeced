import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { DomainError, type ErrorDetails, type ErrorKind } from "#common";
import {
  hashDocument,
  type DigestSignerRecovery,
  type DocumentHashing,
  type DocumentHashingJob,
  type HashedDocument,
} from "#proof";

/** What the pool sends a worker, and what comes back (a DomainError does not survive the copy: it is rebuilt). */
export interface HashingRequest {
  readonly id: number;
  readonly job: DocumentHashingJob;
}
interface WireError {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly message: string;
  readonly details: ErrorDetails;
}
export interface WireResult {
  readonly hashes: ReadonlyArray<string | null>;
  readonly signers: ReadonlyMap<string, string | WireError>;
}

/** How long a stop waits for a worker still loading before it terminates it anyway. */
const LOAD_WAIT_MS = 10_000;

/** Documents with fewer events than this are hashed in the calling thread: posting them costs more than it saves. */
const SMALLEST_DOCUMENT = 8;

/**
 * Hashing and signer recovery of captured documents on worker threads: per event, a canonical pre-hash string and
 * its SHA-256, then two keccak256 and a secp256k1 recovery (~0.3 ms together), most of what capturing a signed
 * event costs; on the event loop it would hold up every other request. One worker per core but one (the event loop
 * keeps one), at most 4; a document's events are split between them. Answers are `hashDocument`'s (tests hold them
 * equal).
 */
export class WorkerDocumentHashing implements DocumentHashing {
  private readonly workers: Worker[] = [];
  /** Settles when a worker has loaded (or ended): see `close`. */
  private readonly loaded = new WeakMap<Worker, Promise<void>>();
  private readonly pending = new Map<
    number,
    { worker: Worker; resolve: (result: WireResult) => void; reject: (error: unknown) => void }
  >();
  private nextId = 1;
  private nextWorker = 0;
  private closed = false;

  private constructor(
    private readonly script: URL,
    size: number,
    private readonly inThread: DigestSignerRecovery,
  ) {
    for (let i = 0; i < size; i++) this.workers.push(this.spawn());
  }

  /**
   * A pool of `size` workers (default: cores − 1, 1 to 4), or undefined where the compiled worker script is not
   * beside this module (code run from TypeScript sources, as unit tests do): callers hash in-thread then.
   */
  static start(inThread: DigestSignerRecovery, size = defaultSize()): WorkerDocumentHashing | undefined {
    const script = new URL("./hashing-worker.js", import.meta.url);
    if (size < 1 || !existsSync(fileURLToPath(script))) return undefined;
    return new WorkerDocumentHashing(script, size, inThread);
  }

  get threads(): number {
    return this.workers.length;
  }

  async hash(job: DocumentHashingJob): Promise<HashedDocument> {
    if (job.events.length < SMALLEST_DOCUMENT || this.closed) return hashDocument(job, this.inThread);
    const share = Math.ceil(job.events.length / this.workers.length);
    const parts: Array<Promise<WireResult>> = [];
    for (let start = 0; start < job.events.length; start += share) {
      parts.push(this.post({ ...job, events: job.events.slice(start, start + share) }));
    }
    // A worker that dies mid-job (its replacement is already starting) costs this document its speed, not its answer.
    const results = await Promise.all(parts).catch(() => [toWire(hashDocument(job, this.inThread))]);
    return {
      hashes: results.flatMap((result) => result.hashes),
      signers: new Map(results.flatMap((result) => [...fromWire(result).signers])),
    };
  }

  /**
   * Stops the workers (the service's shutdown); later documents are hashed in-thread. A worker is stopped only
   * once it has loaded: terminating one while it loads libsecp256k1's binding throws a C++ `Napi::Error` nothing
   * catches, and the process aborts (seen as SIGABRT when a service was stopped right after it became healthy on a
   * loaded machine).
   */
  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers.splice(0);
    await Promise.all(
      workers.map(async (worker) => {
        await Promise.race([
          this.loaded.get(worker),
          new Promise((resolve) => setTimeout(resolve, LOAD_WAIT_MS).unref()),
        ]);
        await worker.terminate();
      }),
    );
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private post(job: DocumentHashingJob): Promise<WireResult> {
    const worker = this.workers[this.nextWorker++ % this.workers.length];
    if (worker === undefined) return Promise.resolve(toWire(hashDocument(job, this.inThread)));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      worker.postMessage({ id, job } satisfies HashingRequest);
    });
  }

  private spawn(): Worker {
    const worker = new Worker(this.script);
    // Idle workers never keep the process alive; the service closes the pool when it stops.
    worker.unref();
    this.loaded.set(
      worker,
      new Promise((resolve) => {
        worker.once("message", () => resolve());
        worker.once("exit", () => resolve());
      }),
    );
    worker.on("message", (message: { id: number; result: WireResult } | { ready: true }) => {
      if ("ready" in message) return;
      this.pending.get(message.id)?.resolve(message.result);
      this.pending.delete(message.id);
    });
    worker.on("error", (error) => this.replace(worker, error));
    worker.on("exit", (code) => {
      if (!this.closed) this.replace(worker, new Error(`a hashing worker exited with code ${String(code)}`));
    });
    return worker;
  }

  /** A worker that failed: its jobs are rejected (their documents are hashed in-thread), a new worker takes its place. */
  private replace(worker: Worker, error: unknown): void {
    const index = this.workers.indexOf(worker);
    if (index === -1) return;
    for (const [id, job] of this.pending) {
      if (job.worker !== worker) continue;
      job.reject(error);
      this.pending.delete(id);
    }
    void worker.terminate();
    this.workers[index] = this.spawn();
  }
}

function defaultSize(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export function toWire(hashed: HashedDocument): WireResult {
  const signers = new Map<string, string | WireError>();
  for (const [eventHash, signer] of hashed.signers) {
    signers.set(
      eventHash,
      signer instanceof DomainError
        ? { code: signer.code, kind: signer.kind, message: signer.message, details: signer.details }
        : signer,
    );
  }
  return { hashes: hashed.hashes, signers };
}

function fromWire(result: WireResult): HashedDocument {
  const signers = new Map<string, string | DomainError>();
  for (const [eventHash, signer] of result.signers) {
    signers.set(
      eventHash,
      typeof signer === "string" ? signer : new DomainError(signer.code, signer.kind, signer.message, signer.details),
    );
  }
  return { hashes: result.hashes, signers };
}
