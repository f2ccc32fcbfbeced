import { DomainError, type Logger, utf8Bytes } from "#common";
import type { AnchorRepository, Backlog, BatchState, BatchStatus, NewBatch, OutboxState } from "#database";
import type { EvidenceStore } from "#evidence";
import { resend, sentState, toChainError, type Ledger, type RecordedTransaction } from "#ledger";
import { buildBatch, canonicalBytes, canonicalText, cidOf } from "#proof";
import { ipfsUnavailable } from "#evidence";
import { classify, FAILURE_CAUSES, type AnchorFailure, type FailureCause } from "./failure-cause.js";
import type { Failpoints } from "./failpoints.js";

export interface AnchorOptions {
  /** Anchor as soon as this many events wait. */
  readonly batchSize: number;
  /** …or once the oldest waiting event has waited this long. */
  readonly windowMs: number;
  /** At most this many events per batch. */
  readonly maxBatch: number;
  /** Blocks (the anchoring one included) after which a batch is final. */
  readonly confirmations: number;
}

const MAX_BACKOFF_MS = 60_000;
/**
 * How often a running worker checks that the newest final batch's block is still in the chain: a chain can lose
 * blocks without any pass failing (an embedded anvil killed and started again from its state file between two
 * passes, a development chain reset under a running service).
 */
const FINAL_RECHECK_MS = 10_000;

/** What this instance's anchorer did since it started: for health and metrics. */
export interface AnchorStats {
  /** Batches this instance saw mined (sent by it, or adopted from the chain). */
  readonly anchors: number;
  readonly anchoredEvents: number;
  readonly lastAnchorAt: Date | undefined;
  readonly failures: Readonly<Record<FailureCause, number>>;
  readonly lastFailure: (AnchorFailure & { readonly at: Date }) | undefined;
}

/** Built manifests kept in memory until pinned (a few batches: the worker sends what it builds in the same pass). */
const BUILT_MANIFESTS_KEPT = 16;

/**
 * Moves events from the outbox onto the ledger, one step per call, always starting from what the chain says:
 * a batch whose root the ledger already knows is adopted (never anchored twice), a batch the ledger lost is
 * built again (never lost). Every step survives the process dying right after it.
 */
export class Anchorer {
  private anchors = 0;
  private anchoredEvents = 0;
  private lastAnchorAt: Date | undefined;
  private readonly failures = Object.fromEntries(FAILURE_CAUSES.map((cause) => [cause, 0])) as Record<
    FailureCause,
    number
  >;
  private lastFailure: (AnchorFailure & { at: Date }) | undefined;
  /**
   * The canonical bytes of manifests this worker built, by CID, until they are pinned: a batch is usually sent by
   * the pass that built it, and reading a manifest back from PostgreSQL (jsonb, ~300 bytes per event) and
   * serialising it again costs more than the rest of the send. Rebuilt from the row after a restart.
   */
  private readonly builtManifests = new Map<string, Uint8Array>();
  private lastFinalCheckAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly repository: AnchorRepository,
    private readonly ledger: Ledger,
    private readonly ipfs: EvidenceStore,
    private readonly options: AnchorOptions,
    private readonly failpoints: Failpoints,
    private readonly log: Logger,
  ) {}

  stats(): AnchorStats {
    return {
      anchors: this.anchors,
      anchoredEvents: this.anchoredEvents,
      lastAnchorAt: this.lastAnchorAt,
      failures: { ...this.failures },
      lastFailure: this.lastFailure,
    };
  }

  /** Counts a failure by its cause and returns how to report it (also for failures of a whole pass). */
  noteFailure(error: unknown): AnchorFailure {
    const failure = classify(error);
    this.failures[failure.cause] += 1;
    this.lastFailure = { ...failure, at: new Date() };
    return failure;
  }

  /** Events not on the chain yet, and since when the oldest waits. */
  backlog(): Promise<Backlog> {
    return this.repository.backlog();
  }

  /**
   * At start (and while running, once the chain lost blocks): batches the database thinks are on chain but the
   * chain does not have go back to be sent. The batches not final yet are checked one by one (a few: those within
   * the confirmation depth); of the final ones only the newest, since a chain that still has it has every earlier
   * one. Only when it is missing (the chain was reset) are all final batches checked, so a normal start costs the
   * same however long the history.
   */
  async reconcile(now = Date.now()): Promise<void> {
    this.lastFinalCheckAt = now;
    const newestFinal = await this.repository.newestBatch("final");
    const chainReset = newestFinal !== undefined && !(await this.ledger.traceLedger.isAnchored(newestFinal.root));
    const statuses: BatchStatus[] = chainReset ? ["anchored", "final"] : ["anchored"];
    for (const batch of await this.repository.batches(statuses)) {
      if (!(await this.ledger.traceLedger.isAnchored(batch.root))) {
        this.log.warn("a batch is not on the chain any more (chain reset?); anchoring it again", {
          batch: batch.id,
          root: batch.root,
          was: batch.status,
        });
        await this.repository.resetToBuilt(batch.id, "root not found on chain");
      }
    }
  }

  /**
   * One pass: settle sent transactions, count confirmations, form due batches, send built ones; now and then, check
   * that the chain still has the newest final batch's block.
   */
  async tick(now = Date.now()): Promise<void> {
    if (now - this.lastFinalCheckAt >= FINAL_RECHECK_MS) await this.recheckFinal(now);
    // An idle pass (most of them) costs one read instead of one per step below.
    const pending = await this.repository.pendingWork();
    if (!pending.unfinishedBatches && !this.isDue(pending.outbox, now)) return;
    for (const batch of await this.repository.batches(["sent"])) await this.settle(batch);
    for (const batch of await this.repository.batches(["anchored"])) await this.confirm(batch);
    await this.formDueBatches(now);
    for (const batch of await this.repository.batches(["built"])) await this.send(batch, now);
  }

  /**
   * The newest final batch's block (one block read): still in the chain, nothing to do. Gone or replaced, the chain
   * lost blocks: every batch is checked against it as at start, and a lost root is anchored again. Judged by the
   * block, not by the root, so that a root the chain never had (a forged row) is reported by the verifier, not
   * quietly anchored by the worker.
   */
  private async recheckFinal(now: number): Promise<void> {
    this.lastFinalCheckAt = now;
    try {
      const newest = await this.repository.newestBatch("final");
      if (newest === undefined || newest.blockNumber === null) return;
      const block = await this.ledger.chain.provider.getBlock(newest.blockNumber);
      if (block !== null && block.hash === newest.blockHash) return;
      this.log.warn("the chain no longer has the block of the newest final batch; checking every batch against it", {
        batch: newest.id,
        block: newest.blockNumber,
      });
      await this.reconcile(now);
      // A root the chain holds in another block (its transaction mined again): its new place, confirmations anew.
      // (A root reconcile just sent back is not on the chain: nothing to adopt.)
      await this.adoptIfAnchored(newest);
    } catch (error) {
      // Like a failed step of a batch: counted and logged, the pass goes on (and the check comes again later).
      const failure = this.noteFailure(error);
      this.log.warn("could not check the newest final batch against the chain; will retry", { ...failure });
    }
  }

  private async formDueBatches(now: number): Promise<void> {
    for (;;) {
      const outbox = await this.repository.outbox();
      if (!this.isDue(outbox, now)) return;
      const batch = await this.repository.formBatch(this.options.maxBatch, (events) => this.build(events));
      if (batch === undefined) return;
      this.log.info("batch built", { batch: batch.id, events: batch.leafCount, root: batch.root });
      this.failpoints.hit("anchor.after-batch-built");
      if (outbox.count - batch.leafCount < this.options.batchSize) return;
    }
  }

  /** A full batch waits, or the oldest waiting event has waited the batch window. */
  private isDue({ count, oldest }: OutboxState, now: number): boolean {
    return (
      count >= this.options.batchSize ||
      (count > 0 && oldest !== null && now - oldest.getTime() >= this.options.windowMs)
    );
  }

  private async build(events: Array<{ eventHash: string; signer: string }>): Promise<NewBatch> {
    const { chainId } = this.ledger.chain;
    const contract = this.ledger.addresses.TraceLedger;
    const built = buildBatch(chainId, contract, events);
    const manifest = canonicalText(built.manifest);
    const bytes = utf8Bytes(manifest);
    const manifestCid = await cidOf(bytes);
    if (this.builtManifests.size >= BUILT_MANIFESTS_KEPT) this.builtManifests.clear();
    this.builtManifests.set(manifestCid, bytes);
    return {
      root: built.root,
      manifest,
      manifestCid,
      chainId: chainId.toString(),
      contract,
      leaves: built.leaves,
    };
  }

  private async send(batch: BatchState, now: number): Promise<void> {
    if (batch.attempts > 0 && now - batch.updatedAt.getTime() < backoff(batch.attempts)) return;
    try {
      if (await this.adoptIfAnchored(batch)) return;
      await this.storeManifest(batch);
      this.failpoints.hit("anchor.after-manifest-pinned");
      const request = await this.ledger.traceLedger.anchor.populateTransaction(
        batch.root,
        batch.leafCount,
        batch.manifestCid,
      );
      const response = await this.ledger.chain.signer.sendRecorded(request, async (signed) => {
        await this.repository.markSent(batch.id, signed);
        this.failpoints.hit("anchor.after-tx-recorded");
      });
      this.log.info("anchor transaction sent", { batch: batch.id, tx: response.hash, nonce: response.nonce });
      this.failpoints.hit("anchor.after-broadcast");
    } catch (error) {
      if (toChainError(error).code === "CHAIN.TraceLedgerRootAlreadyAnchored" && (await this.adoptIfAnchored(batch)))
        return;
      await this.failed(batch, error);
    }
  }

  /**
   * Stores and pins the batch manifest (idempotent: already there is success) and checks it got the CID the batch
   * records; any failure here is the IPFS store's.
   */
  private async storeManifest(batch: BatchState): Promise<void> {
    const bytes = this.builtManifests.get(batch.manifestCid) ?? (await this.storedManifest(batch));
    let cid: string;
    try {
      cid = await this.ipfs.add(bytes);
    } catch (error) {
      throw error instanceof DomainError ? error : ipfsUnavailable(error);
    }
    if (cid !== batch.manifestCid) {
      throw new DomainError(
        "EVIDENCE.CID_MISMATCH",
        "internal",
        `manifest CID ${cid} differs from the recorded ${batch.manifestCid}`,
        { cid, recorded: batch.manifestCid },
      );
    }
    this.builtManifests.delete(batch.manifestCid);
  }

  private async storedManifest(batch: BatchState): Promise<Uint8Array> {
    const stored = await this.repository.batch(batch.id);
    if (stored === undefined) throw new Error(`batch ${String(batch.id)} has no row`);
    return canonicalBytes(stored.manifest);
  }

  /** Records a failed step on its batch (which backs off) and counts it by cause. */
  private async failed(batch: BatchState, error: unknown): Promise<void> {
    const failure = this.noteFailure(error);
    this.log.warn("anchoring failed; will retry", { batch: batch.id, ...failure });
    await this.repository.recordError(batch.id, `${failure.code}: ${failure.message}`);
  }

  /** A sent transaction: mined (adopt), reverted (send again), pending (wait) or unknown to the node (resend). */
  private async settle(batch: BatchState): Promise<void> {
    try {
      if (await this.adoptIfAnchored(batch)) return;
      const sent = { hash: batch.txHash ?? "", raw: batch.txRaw };
      const found = await sentState(this.ledger.chain.provider, sent);
      if (found.state === "reverted") await this.repository.resetToBuilt(batch.id, `transaction ${sent.hash} reverted`);
      if (found.state !== "unknown") return;
      // Unknown to the node: send the same bytes again, backing off like a first send when that keeps failing.
      if (batch.attempts > 1 && Date.now() - batch.updatedAt.getTime() < backoff(batch.attempts - 1)) return;
      await this.rebroadcast(batch, sent);
    } catch (error) {
      await this.failed(batch, error);
    }
  }

  private async rebroadcast(batch: BatchState, sent: RecordedTransaction): Promise<void> {
    if ((await resend(this.ledger.chain.signer, sent)) === "sent") {
      this.log.info("anchor transaction sent again", { batch: batch.id, tx: batch.txHash });
      return;
    }
    await this.repository.resetToBuilt(
      batch.id,
      sent.raw === null ? "no signed transaction recorded" : "its nonce was used by another transaction",
    );
  }

  /** Anchored batches become final after enough confirmations, or go back if a reorganisation dropped them. */
  private async confirm(batch: BatchState): Promise<void> {
    try {
      const provider = this.ledger.chain.provider;
      const block = batch.blockNumber === null ? null : await provider.getBlock(batch.blockNumber);
      if (block === null || block.hash !== batch.blockHash) {
        if (!(await this.adoptIfAnchored(batch)))
          await this.repository.resetToBuilt(batch.id, "its block is no longer in the chain");
        return;
      }
      const head = await provider.getBlockNumber();
      if (head - block.number + 1 >= this.options.confirmations) {
        await this.repository.markFinal(batch.id);
        this.log.info("batch final", { batch: batch.id, block: block.number });
      }
    } catch (error) {
      await this.failed(batch, error);
    }
  }

  /** If the ledger knows the root, records where (from the RootAnchored event of that block). */
  private async adoptIfAnchored(batch: BatchState): Promise<boolean> {
    const ledger = this.ledger.traceLedger;
    const onChain = await ledger.anchorOf(batch.root);
    if (onChain.batchId === 0n) return false;
    const blockNumber = Number(onChain.blockNumber);
    const [log] = await ledger.queryFilter(
      ledger.filters.RootAnchored(undefined, batch.root),
      blockNumber,
      blockNumber,
    );
    const block = await this.ledger.chain.provider.getBlock(blockNumber);
    if (log === undefined || block === null || block.hash === null)
      throw new Error(`anchor of ${batch.root} not found in block ${blockNumber}`);
    this.failpoints.hit("anchor.after-mined");
    await this.repository.markAnchored(batch.id, {
      chainBatchId: onChain.batchId.toString(),
      txHash: log.transactionHash,
      blockNumber,
      blockHash: block.hash,
      anchoredAt: new Date(Number(onChain.anchoredAt) * 1000),
    });
    if (batch.status !== "anchored" && batch.status !== "final") {
      this.anchors += 1;
      this.anchoredEvents += batch.leafCount;
      this.lastAnchorAt = new Date();
    }
    this.log.info("batch anchored", {
      batch: batch.id,
      chainBatch: onChain.batchId.toString(),
      block: blockNumber,
      tx: log.transactionHash,
    });
    return true;
  }
}

function backoff(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts - 1, 16));
}
