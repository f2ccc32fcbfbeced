import { describe, expect, it } from "@jest/globals";
import { DomainError, silentLogger } from "#common";
import type { AnchorRepository, BatchState, PendingWork } from "#database";
import type { EvidenceStore } from "#evidence";
import type { Ledger } from "#ledger";
import { Anchorer } from "./anchorer.js";
import { Failpoints } from "./failpoints.js";

const ROOT = `0x${"1a".repeat(32)}`;
const BLOCK_HASH = `0x${"b7".repeat(32)}`;

/** The newest final batch as the database holds it: anchored in block 42. */
const finalBatch: BatchState = {
  id: 7,
  root: ROOT,
  leafCount: 3,
  manifestCid: "bafy-manifest",
  status: "final",
  chainId: "31337",
  contract: `0x${"c0".repeat(20)}`,
  txHash: `0x${"7e".repeat(32)}`,
  txNonce: 5,
  txRaw: null,
  chainBatchId: "4",
  blockNumber: 42,
  blockHash: BLOCK_HASH,
  anchoredAt: new Date(0),
  attempts: 1,
  lastError: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

/**
 * The anchorer's periodic look at the chain, over a database holding one final batch and a chain whose blocks and
 * roots each test sets. Resets are recorded, not applied, so that the pass has nothing else to send.
 */
function setUp(
  chain: { blocks: Map<number, string>; roots: Set<string>; down?: boolean },
  pending: PendingWork = { outbox: { count: 0, oldest: null }, unfinishedBatches: false },
) {
  const seen = { blockReads: 0, rootQuestions: 0, resets: [] as number[], pendingReads: 0, reads: [] as string[] };
  const repository = {
    newestBatch: (status: string) => Promise.resolve(status === "final" ? finalBatch : undefined),
    batches: (statuses: readonly string[]) => {
      seen.reads.push(`batches ${statuses.join(",")}`);
      return Promise.resolve(statuses.includes("final") ? [finalBatch] : []);
    },
    outbox: () => {
      seen.reads.push("outbox");
      return Promise.resolve({ count: 0, oldest: null });
    },
    pendingWork: () => {
      seen.pendingReads += 1;
      return Promise.resolve(pending);
    },
    resetToBuilt: (id: number) => {
      seen.resets.push(id);
      return Promise.resolve();
    },
  } as unknown as AnchorRepository;
  const ledger = {
    chain: {
      provider: {
        getBlock: (number: number) => {
          seen.blockReads += 1;
          if (chain.down === true)
            return Promise.reject(new DomainError("CHAIN.UNAVAILABLE", "unavailable", "The chain node did not answer"));
          const hash = chain.blocks.get(number);
          return Promise.resolve(hash === undefined ? null : { number, hash });
        },
      },
    },
    traceLedger: {
      isAnchored: (root: string) => {
        seen.rootQuestions += 1;
        return Promise.resolve(chain.roots.has(root));
      },
      anchorOf: () => Promise.resolve({ batchId: 0n, blockNumber: 0n, anchoredAt: 0n }),
    },
  } as unknown as Ledger;
  const anchorer = new Anchorer(
    repository,
    ledger,
    {} as EvidenceStore,
    { batchSize: 10, windowMs: 1000, maxBatch: 100, confirmations: 1 },
    new Failpoints(new Set()),
    silentLogger,
  );
  return { anchorer, seen };
}

describe("Anchorer: the running worker's look at the newest final batch", () => {
  it("reads its block once every 10 s, and nothing more while the chain has it", async () => {
    const { anchorer, seen } = setUp({ blocks: new Map([[42, BLOCK_HASH]]), roots: new Set([ROOT]) });
    await anchorer.tick(100_000);
    await anchorer.tick(105_000);
    expect(seen.blockReads).toBe(1);
    await anchorer.tick(110_000);
    expect(seen.blockReads).toBe(2);
    expect(seen.rootQuestions).toBe(0);
    expect(seen.resets).toEqual([]);
  });

  it("looks again 10 s after a start's reconcile; a lost block and root send the batch again", async () => {
    const { anchorer, seen } = setUp({ blocks: new Map(), roots: new Set() });
    await anchorer.reconcile(100_000);
    expect(seen.resets).toEqual([7]);
    await anchorer.tick(105_000);
    expect(seen.blockReads).toBe(0);
    await anchorer.tick(110_000);
    expect(seen.blockReads).toBe(1);
    expect(seen.resets).toEqual([7, 7]);
  });

  it("checks the roots when the block at that height is another one (the chain went on after losing blocks)", async () => {
    const { anchorer, seen } = setUp({ blocks: new Map([[42, `0x${"99".repeat(32)}`]]), roots: new Set() });
    await anchorer.tick(100_000);
    expect(seen.resets).toEqual([7]);
  });

  it("leaves a root the chain never had alone while its block is in place (a forged row is the verifier's finding)", async () => {
    const { anchorer, seen } = setUp({ blocks: new Map([[42, BLOCK_HASH]]), roots: new Set() });
    await anchorer.tick(100_000);
    expect(seen.rootQuestions).toBe(0);
    expect(seen.resets).toEqual([]);
  });

  it("counts a chain that does not answer as a chain failure, and the pass goes on", async () => {
    const { anchorer, seen } = setUp({ blocks: new Map(), roots: new Set(), down: true });
    await expect(anchorer.tick(100_000)).resolves.toBeUndefined();
    expect(anchorer.stats().failures.chain).toBe(1);
    expect(anchorer.stats().lastFailure?.code).toBe("CHAIN.UNAVAILABLE");
    expect(seen.pendingReads).toBe(1);
    expect(seen.resets).toEqual([]);
  });
});

describe("Anchorer: a pass with nothing to do", () => {
  const chain = { blocks: new Map([[42, BLOCK_HASH]]), roots: new Set([ROOT]) };

  it("reads only what is pending: no batch list, no outbox", async () => {
    const { anchorer, seen } = setUp(chain, {
      outbox: { count: 3, oldest: new Date(99_500) },
      unfinishedBatches: false,
    });
    await anchorer.tick(100_000); // 3 events, 0.5 s old: neither a full batch (10) nor past the window (1 s)
    expect([seen.pendingReads, seen.reads]).toEqual([1, []]);
  });

  it("runs every step when a batch is not final, or when the outbox is due by size or by age", async () => {
    const steps = ["batches sent", "batches anchored", "outbox", "batches built"];
    for (const pending of [
      { outbox: { count: 0, oldest: null }, unfinishedBatches: true },
      { outbox: { count: 10, oldest: new Date(99_900) }, unfinishedBatches: false },
      { outbox: { count: 1, oldest: new Date(99_000) }, unfinishedBatches: false },
    ]) {
      const { anchorer, seen } = setUp(chain, pending);
      await anchorer.tick(100_000);
      expect(seen.reads).toEqual(steps);
    }
  });
});
