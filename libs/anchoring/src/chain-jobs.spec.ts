import { beforeEach, describe, expect, it, jest } from "@jest/globals";
import { DomainError, silentLogger } from "#common";
import type { RecordedTransaction, ResendOutcome, SentState, SignedTransaction } from "#ledger";
import { InMemoryChainJobs } from "../../../test/support/in-memory/chain-jobs.js";
import { CHAIN_JOB_DEFAULTS, ChainJobRunner, type ChainJobChain, type ChainJobHandler } from "./chain-jobs.js";

const unreachable = () =>
  new DomainError("CHAIN.UNAVAILABLE", "unavailable", "The chain node did not answer", { part: "chain" });
const refusal = () => new DomainError("CHAIN.OffsetRegistryRangeOverlaps", "conflict", "The ledger rejected it");

/**
 * A node as the runner sees it: transactions it has (pending until mined), receipts, and what a resend of
 * recorded bytes meets. Nothing here decides the runner's outcome: each test sets the node's state and reads the
 * outbox rows and the handler's calls.
 */
class ScriptedNode implements ChainJobChain {
  readonly txs = new Map<string, SentState>();
  resendAnswer: ResendOutcome | (() => Error) = "sent";
  readonly resent: string[] = [];
  /** Whether a broadcast transaction is mined at once (else it stays pending). */
  mineAtOnce = true;
  failState: (() => DomainError) | undefined;

  broadcast(hash: string): void {
    this.txs.set(hash, this.mineAtOnce ? { state: "mined", hash, blockNumber: 7 } : { state: "pending" });
  }

  state(sent: RecordedTransaction): Promise<SentState> {
    if (this.failState !== undefined) return Promise.reject(this.failState());
    return Promise.resolve(this.txs.get(sent.hash) ?? { state: "unknown" });
  }

  resend(sent: RecordedTransaction): Promise<ResendOutcome> {
    this.resent.push(sent.hash);
    if (typeof this.resendAnswer === "function") return Promise.reject(this.resendAnswer());
    if (this.resendAnswer === "sent") this.broadcast(sent.hash);
    return Promise.resolve(this.resendAnswer);
  }
}

/** One kind of job whose effect is a flag on the chain; records what the runner asked of it. */
class FlagJob implements ChainJobHandler<{ id: string }, true> {
  onChain = false;
  wanted = true;
  sendFails: (() => Error) | undefined;
  /** A failure after the signed transaction was recorded (the broadcast itself failing). */
  broadcastFails: (() => Error) | undefined;
  findFails: (() => Error) | undefined;
  /** Whether a mined transaction takes effect (false: it reverted on chain). */
  takesEffect = true;
  readonly sends: SignedTransaction[] = [];
  readonly calls: string[] = [];
  private nonce = 0;

  constructor(private readonly node: ScriptedNode) {}

  load(subject: string): Promise<{ id: string } | undefined> {
    return Promise.resolve(this.wanted ? { id: subject } : undefined);
  }

  find(): Promise<true | undefined> {
    if (this.findFails !== undefined) return Promise.reject(this.findFails());
    return Promise.resolve(this.onChain ? true : undefined);
  }

  async send(_subject: { id: string }, record: (signed: SignedTransaction) => Promise<void>): Promise<unknown> {
    if (this.sendFails !== undefined) throw this.sendFails();
    this.nonce += 1;
    const signed = {
      hash: `0x${this.nonce.toString(16).padStart(64, "0")}`,
      nonce: this.nonce,
      raw: `0xraw${this.nonce}`,
    };
    await record(signed);
    if (this.broadcastFails !== undefined) throw this.broadcastFails();
    this.sends.push(signed);
    this.node.broadcast(signed.hash);
    if (this.node.mineAtOnce && !this.takesEffect) {
      this.node.txs.set(signed.hash, { state: "reverted", hash: signed.hash, blockNumber: 7 });
    }
    if (this.node.mineAtOnce && this.takesEffect) this.onChain = true;
    return signed;
  }

  done(_s: { id: string }, _found: true, tx: { hash: string } | undefined): Promise<void> {
    this.calls.push(`done ${tx?.hash ?? "-"}`);
    return Promise.resolve();
  }

  refused(_s: { id: string }, error: DomainError): Promise<void> {
    this.calls.push(`refused ${error.code}`);
    return Promise.resolve();
  }

  waiting(_s: { id: string }, error: DomainError | undefined): Promise<void> {
    this.calls.push(`waiting ${error?.code ?? "-"}`);
    return Promise.resolve();
  }
}

describe("ChainJobRunner: the outbox of the service's transactions", () => {
  let rows: InMemoryChainJobs;
  let node: ScriptedNode;
  let job: FlagJob;
  let runner: ChainJobRunner;
  const options = { ...CHAIN_JOB_DEFAULTS, receiptWaitMs: 0, receiptPollMs: 0 };

  beforeEach(() => {
    rows = new InMemoryChainJobs();
    node = new ScriptedNode();
    job = new FlagJob(node);
    runner = new ChainJobRunner(rows, node, silentLogger, options);
    runner.register("retirement", job);
  });

  const enqueue = async () => (await runner.enqueue("retirement", "r1")).id;
  const row = () => rows.jobs[0];

  it("records the signed transaction before broadcasting it, then finishes the job with its receipt", async () => {
    const recordedBeforeBroadcast: boolean[] = [];
    const send = job.send.bind(job);
    jest.spyOn(job, "send").mockImplementation((subject, record) =>
      send(subject, async (signed) => {
        await record(signed);
        recordedBeforeBroadcast.push(row()?.txRaw === signed.raw && row()?.status === "sent");
      }),
    );
    expect(await runner.runNow(await enqueue())).toEqual({ state: "done" });
    expect(recordedBeforeBroadcast).toEqual([true]);
    expect(row()).toMatchObject({ status: "done", attempts: 1, txHash: job.sends[0]?.hash, blockNumber: 7 });
    expect(job.calls).toEqual([`done ${job.sends[0]?.hash ?? ""}`]);
  });

  it("sends nothing when the chain already has the effect", async () => {
    job.onChain = true;
    expect(await runner.runNow(await enqueue())).toEqual({ state: "done" });
    expect(job.sends).toEqual([]);
    expect(row()).toMatchObject({ status: "done", attempts: 0, txHash: null });
  });

  it("keeps one live job per subject: enqueuing again gives the same job", async () => {
    const first = await enqueue();
    expect(await enqueue()).toBe(first);
    await runner.runNow(first);
    expect(await enqueue()).not.toBe(first); // the first is done: a new request is a new job
  });

  describe("after a worker died (the job is leased again when its lease ran out)", () => {
    /** A job recorded as sent by a worker that died: its bytes, and whether the node got them. */
    const diedAfterRecording = async (broadcast: boolean) => {
      const id = await enqueue();
      job.broadcastFails = () => new Error("the process died here");
      await runner.runNow(id);
      job.broadcastFails = undefined;
      const recorded = row();
      expect(recorded).toMatchObject({ status: "sent", attempts: 1 });
      if (broadcast) {
        node.broadcast(recorded?.txHash ?? "");
        job.onChain = true;
      }
      Object.assign(recorded ?? {}, { dueAt: 0 });
      return { id, hash: recorded?.txHash ?? "" };
    };

    it("a transaction the node mined: the job is done, nothing is sent again", async () => {
      const { id, hash } = await diedAfterRecording(true);
      expect(await runner.runNow(id)).toEqual({ state: "done" });
      expect(job.sends).toEqual([]);
      expect(node.resent).toEqual([]);
      expect(row()).toMatchObject({ status: "done", attempts: 1, txHash: hash });
    });

    it("a transaction the node never got: the very same bytes are sent again (one transaction, one nonce)", async () => {
      const { id, hash } = await diedAfterRecording(false);
      const resend = node.resend.bind(node);
      jest.spyOn(node, "resend").mockImplementation(async (sent) => {
        job.onChain = true; // the resent bytes take effect
        return resend(sent);
      });
      expect(await runner.runNow(id)).toEqual({ state: "done" });
      expect(node.resent).toEqual([hash]);
      expect(job.sends).toEqual([]);
      expect(row()).toMatchObject({ status: "done", attempts: 1, txHash: hash });
    });

    it("a transaction whose nonce another one took: sent anew (a second attempt)", async () => {
      const { id, hash } = await diedAfterRecording(false);
      node.resendAnswer = "dropped";
      expect(await runner.runNow(id)).toEqual({ state: "done" });
      expect(node.resent).toEqual([hash]);
      expect(job.sends).toHaveLength(1);
      expect(row()).toMatchObject({ status: "done", attempts: 2, txHash: job.sends[0]?.hash });
    });

    it("a transaction that reverted: sent anew, and a refusal of the new one ends the job", async () => {
      const { id, hash } = await diedAfterRecording(false);
      node.txs.set(hash, { state: "reverted", hash, blockNumber: 8 });
      job.sendFails = refusal;
      expect(await runner.runNow(id)).toMatchObject({ state: "refused", error: { code: refusal().code } });
      expect(row()).toMatchObject({ status: "failed", attempts: 1 });
      expect(node.resent).toEqual([]);
    });

    it("a dropped transaction whose new send meets an unreachable chain is queued, not left as sent", async () => {
      const { id } = await diedAfterRecording(false);
      node.resendAnswer = "dropped";
      job.sendFails = unreachable;
      expect(await runner.runNow(id)).toMatchObject({ state: "waiting", error: { code: "CHAIN.UNAVAILABLE" } });
      expect(row()).toMatchObject({ status: "queued", attempts: 1 });
    });

    it("a transaction still pending: waited for, never sent twice", async () => {
      const { id, hash } = await diedAfterRecording(false);
      node.txs.set(hash, { state: "pending" });
      expect(await runner.runNow(id)).toEqual({ state: "waiting" });
      expect(row()).toMatchObject({ status: "sent", txHash: hash });
      node.txs.set(hash, { state: "mined", hash, blockNumber: 9 });
      job.onChain = true;
      expect(await runner.runNow(id)).toEqual({ state: "done" });
      expect(job.sends).toEqual([]);
      expect(row()).toMatchObject({ status: "done", attempts: 1, blockNumber: 9 });
    });
  });

  it("a refusal before anything was signed fails the job and tells the handler", async () => {
    job.sendFails = refusal;
    const outcome = await runner.runNow(await enqueue());
    expect(outcome).toMatchObject({ state: "refused", error: { code: "CHAIN.OffsetRegistryRangeOverlaps" } });
    expect(row()).toMatchObject({ status: "failed", attempts: 0, txRaw: null });
    expect(job.calls).toEqual(["refused CHAIN.OffsetRegistryRangeOverlaps"]);
  });

  it("a refusal the operator can lift is tried again when the handler says so, the job kept live", async () => {
    Object.assign(job, { retriesRefusals: true });
    job.sendFails = refusal;
    const id = await enqueue();
    expect(await runner.runNow(id)).toMatchObject({
      state: "waiting",
      error: { code: "CHAIN.OffsetRegistryRangeOverlaps" },
    });
    expect(row()).toMatchObject({ status: "queued", attempts: 0 });
    expect(job.calls).toEqual(["waiting CHAIN.OffsetRegistryRangeOverlaps"]);
    job.sendFails = undefined;
    expect(await runner.runNow(id)).toEqual({ state: "done" });
  });

  it("an unreachable chain leaves the job queued, due later, and a later pass sends it", async () => {
    job.findFails = unreachable;
    const id = await enqueue();
    expect(await runner.runNow(id)).toMatchObject({ state: "waiting", error: { code: "CHAIN.UNAVAILABLE" } });
    expect(row()).toMatchObject({ status: "queued", attempts: 0 });
    expect(row()?.lastError).toMatch(/^CHAIN\.UNAVAILABLE: /);
    expect(await runner.pass()).toBe(0); // not due yet
    job.findFails = undefined;
    Object.assign(row() ?? {}, { dueAt: 0 });
    expect(await runner.pass()).toBe(1);
    expect(row()).toMatchObject({ status: "done", lastError: null });
  });

  it("a transaction that reverted on chain is sent anew, and the ledger's reason then ends the job", async () => {
    job.takesEffect = false;
    const id = await enqueue();
    expect(await runner.runNow(id)).toMatchObject({ state: "waiting", error: { code: "CHAIN.NO_EFFECT" } });
    expect(row()).toMatchObject({ status: "queued", attempts: 1 });
    job.sendFails = refusal; // the new estimate names why
    expect(await runner.runNow(id)).toMatchObject({ state: "refused" });
    expect(row()).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("gives a job up after as many transactions as allowed took no effect", async () => {
    job.takesEffect = false;
    const id = await enqueue();
    for (let i = 0; i < options.maxAttempts; i += 1) await runner.runNow(id);
    expect(job.sends).toHaveLength(options.maxAttempts);
    expect(await runner.runNow(id)).toMatchObject({ state: "refused", error: { code: "CHAIN.JOB_GAVE_UP" } });
    expect(job.sends).toHaveLength(options.maxAttempts);
  });

  it("a job whose subject no longer wants it (reversed meanwhile) ends without a transaction", async () => {
    job.wanted = false;
    expect(await runner.runNow(await enqueue())).toMatchObject({ state: "refused" });
    expect(job.sends).toEqual([]);
    expect(row()).toMatchObject({ status: "failed" });
    expect(row()?.lastError).toMatch(/^CHAIN\.JOB_SUPERSEDED: /);
  });

  it("a worker whose lease passed to another broadcasts nothing", async () => {
    const id = await enqueue();
    const send = job.send.bind(job);
    jest.spyOn(job, "send").mockImplementation(async (subject, record) => {
      // Meanwhile the lease ran out and another worker took the job.
      Object.assign(row() ?? {}, { leasedUntil: 0 });
      await rows.lease({ id, limit: 1, leaseMs: 60_000 });
      return send(subject, record);
    });
    expect(await runner.runNow(id)).toEqual({ state: "busy" });
    expect(job.sends).toEqual([]);
    expect(row()).toMatchObject({ status: "queued", attempts: 0 });
  });

  it("two workers passing over the same outbox send each job once", async () => {
    node.mineAtOnce = true;
    const other = new ChainJobRunner(rows, node, silentLogger, options);
    other.register("retirement", job);
    for (const subject of ["a", "b", "c", "d"]) await runner.enqueue("retirement", subject);
    expect(await runner.pass()).toBe(0); // new jobs are their requesters' to run first
    for (const queued of rows.jobs) queued.dueAt = 0; // …who did not (they died)
    const onChain = new Set<string>();
    jest.spyOn(job, "find").mockImplementation(function (this: FlagJob, subject?: { id: string }) {
      return Promise.resolve(subject !== undefined && onChain.has(subject.id) ? true : undefined);
    } as never);
    const send = job.send.bind(job);
    jest.spyOn(job, "send").mockImplementation(async (subject, record) => {
      const sent = await send(subject, record);
      onChain.add(subject.id);
      return sent;
    });
    await Promise.all([runner.pass(), other.pass()]);
    expect(job.sends).toHaveLength(4);
    expect(rows.jobs.map((j) => j.status)).toEqual(["done", "done", "done", "done"]);
  });
});
