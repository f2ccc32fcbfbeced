import { afterEach, beforeAll, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { Logger } from "@nestjs/common";
import { FakeOffsetLedger, inMemoryJobs, unreachable } from "../../../../test/support/fake-chain.js";
import type { InMemoryChainJobs } from "../../../../test/support/in-memory/chain-jobs.js";
import { InMemoryLots } from "../../../../test/support/in-memory/lots.js";
import { InMemoryOffsets } from "../../../../test/support/in-memory/offsets.js";
import { lotRecord, participantRecord } from "../../../../test/support/records.js";
import type { ChainJobRunner } from "#anchoring";
import { LotAccess } from "../proofs/lot-access.js";
import { OffsetService } from "./offset.service.js";

/** Verra VCUs 941412555–941441125 of one block (28,571 credits). */
const VERRA = "19381-941412555-941441125-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0";
const FIRST = 941412555n;

describe("OffsetService: retiring credits for a lot", () => {
  let offsets: InMemoryOffsets;
  let chain: FakeOffsetLedger;
  let jobs: { runner: ChainJobRunner; rows: InMemoryChainJobs };
  let service: OffsetService;
  let holdingId: string;
  const producer = participantRecord({ id: "producer" });
  const stranger = participantRecord({ id: "stranger" });
  const lot = lotRecord("LOT-1");

  beforeAll(() => {
    Logger.overrideLogger(false); // chain failures are logged by design; the assertions read the records
  });

  beforeEach(async () => {
    const lots = new InMemoryLots();
    lots.add(lot, [producer.id]);
    lots.add(lotRecord("LOT-2"), [producer.id]);
    offsets = new InMemoryOffsets();
    chain = new FakeOffsetLedger();
    jobs = inMemoryJobs(chain.transactions);
    service = new OffsetService(
      chain,
      offsets,
      { brandOwnerOf: () => Promise.resolve(undefined) },
      new LotAccess(lots),
      jobs.runner,
    );
    holdingId = (await service.addHolding({ serial: VERRA }, undefined)).id;
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  const retire = (credits: string, by = producer, lotId = lot.id) =>
    service.retire(lotId, { holdingId, credits, beneficiary: "Acme Ltd" }, by);

  it("reserves the lowest free serials, retires them on OffsetRegistry and records the transaction", async () => {
    const view = await retire("3");
    expect(view).toMatchObject({
      lot: lot.id,
      firstSerial: FIRST.toString(),
      lastSerial: (FIRST + 2n).toString(),
      credits: "3",
      quantityKg: 3000,
      status: "retired",
      lastError: null,
      chain: { chainId: "31337", offsetRegistry: chain.offsetRegistry, retirementId: 1 },
    });
    expect(view.chain.txHash).toBe(chain.retired[0]?.txHash);
    expect(chain.retired).toMatchObject([{ lot: lot.id, firstSerial: FIRST, lastSerial: FIRST + 2n }]);
    // Sent through the chain-job outbox: its signed transaction was recorded, and the job is done.
    expect(jobs.rows.jobs).toMatchObject([
      { kind: "retirement", subject: view.id, status: "done", attempts: 1, txHash: view.chain.txHash },
    ]);
    expect(jobs.rows.jobs[0]?.txRaw).toMatch(/^0x02/);
    expect((await service.holdings())[0]).toMatchObject({ retiredCredits: "3", availableCredits: "28568" });
  });

  it("when the ledger refuses, marks the retirement failed, releases its serials and answers with the CHAIN code", async () => {
    // The same serials were retired on chain by someone else (e.g. another instance on the same registry).
    await chain.send({
      registry: "VERRA",
      serialBlock: "19381-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
      projectId: "3005",
      vintage: 2022,
      firstSerial: FIRST,
      lastSerial: FIRST,
      lot: "https://id.gs1.org/01/09506000134352/10/ELSEWHERE",
      beneficiary: "Other",
    });
    await expect(retire("1")).rejects.toMatchObject({ code: "CHAIN.OffsetRegistryRangeOverlaps", kind: "conflict" });
    const [stored] = await service.retirementsOfLot(lot.id);
    expect(stored).toMatchObject({ status: "failed", chain: { txHash: null } });
    expect(stored?.lastError).toMatch(/^CHAIN\.OffsetRegistryRangeOverlaps: /);
    expect((await service.holdings())[0]).toMatchObject({ retiredCredits: "0" });
    expect(jobs.rows.jobs).toMatchObject([{ status: "failed", attempts: 0, txRaw: null }]);
    expect(jobs.rows.jobs[0]?.lastError).toMatch(/^CHAIN\.OffsetRegistryRangeOverlaps: /);
  });

  it("when the chain cannot be reached, keeps the retirement pending and retires it on a later pass", async () => {
    jest.useFakeTimers();
    chain.failWith = unreachable;
    const pending = await retire("2");
    expect(pending).toMatchObject({ status: "pending", chain: { txHash: null } });
    expect(pending.lastError).toMatch(/^CHAIN\.UNAVAILABLE: /);
    // Still reserved: no other request can take these serials meanwhile.
    expect((await service.holdings())[0]).toMatchObject({ retiredCredits: "2" });

    expect(jobs.rows.jobs).toMatchObject([{ status: "queued", attempts: 0 }]);

    expect(await jobs.runner.pass()).toBe(0); // backing off: not due yet
    await jest.advanceTimersByTimeAsync(10_000);
    expect(await jobs.runner.pass()).toBe(1);
    expect(chain.retired).toEqual([]); // still unreachable: still pending
    chain.failWith = undefined;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(await jobs.runner.pass()).toBe(1);
    const [retired] = await service.retirementsOfLot(lot.id);
    expect(retired).toMatchObject({ id: pending.id, status: "retired", lastError: null, chain: { retirementId: 1 } });
    expect(chain.retired).toHaveLength(1);
  });

  it("refuses a participant whose events did not produce the lot, before reserving anything", async () => {
    await expect(retire("1", stranger)).rejects.toMatchObject({ code: "FOOTPRINT.NOT_PRODUCER", kind: "forbidden" });
    expect(offsets.retirements.size).toBe(0);
    expect(chain.retired).toEqual([]);
  });

  it("lets the administrator retire for any lot", async () => {
    await expect(
      service.retire(lot.id, { holdingId, credits: "1", beneficiary: "Acme" }, undefined),
    ).resolves.toMatchObject({
      status: "retired",
    });
  });

  it("answers LOT.NOT_FOUND and OFFSET.HOLDING_NOT_FOUND for what does not exist", async () => {
    await expect(retire("1", producer, lotRecord("NOPE").id)).rejects.toMatchObject({ code: "LOT.NOT_FOUND" });
    await expect(
      service.retire(
        lot.id,
        { holdingId: "00000000-0000-4000-8000-000000000000", credits: "1", beneficiary: "A" },
        producer,
      ),
    ).rejects.toMatchObject({ code: "OFFSET.HOLDING_NOT_FOUND" });
    expect(chain.retired).toEqual([]);
  });
});
