import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { DataSource, EntityManager } from "typeorm";
import { silentLogger } from "#common";
import {
  AdvisoryPassLease,
  AnchorRepository,
  ChainContractRepository,
  ChainJobRepository,
  createDataSource,
  FreshStatistics,
  MIGRATIONS,
  openDatabase,
  ParticipantRepository,
  pendingSchemaChanges,
} from "#database";
import { decimal } from "#capture";
import { holdingKey, saveHoldingDeltas } from "../../libs/database/src/custody.store.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { waitFor } from "../support/waits.js";

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
}, 60_000);
afterAll(() => postgres.stop());

/**
 * Undoes the migrations from the newest down to and including `name`: the schema as it was just before that
 * migration, however many migrations were added after it.
 */
async function undoBackTo(dataSource: DataSource, name: string): Promise<void> {
  const index = MIGRATIONS.findIndex((migration) => new migration().name === name);
  expect(index).toBeGreaterThan(0);
  for (let i = MIGRATIONS.length - 1; i >= index; i -= 1) await dataSource.undoLastMigration();
}

/** Writes rows as an import would, foreign keys aside (their triggers off for this transaction only). */
function withoutForeignKeys<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SET LOCAL session_replication_role = replica`);
    return work(manager);
  });
}

describe("database schema (real PostgreSQL 17)", () => {
  it("applies every migration, and entities need nothing more (typeorm migration:generate --check)", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    try {
      const applied = await dataSource.query<Array<{ name: string }>>(
        'SELECT name FROM "typeorm_migration" ORDER BY id',
      );
      expect(applied.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => new m().name));
      expect(await pendingSchemaChanges(dataSource)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it("is idempotent: opening again applies nothing", async () => {
    const url = await postgres.createDatabase();
    await (await openDatabase(url, silentLogger)).destroy();
    const applied: string[] = [];
    const again = await openDatabase(url, {
      ...silentLogger,
      info: (m) => void applied.push(m),
      child: () => silentLogger,
    });
    await again.destroy();
    expect(applied).toEqual([]);
  });

  it("serialises migrations of instances starting together on one database", async () => {
    const url = await postgres.createDatabase();
    const opened = await Promise.all([1, 2, 3].map(() => openDatabase(url, silentLogger)));
    const [count] = await opened[0]!.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM "typeorm_migration"');
    expect(count?.n).toBe(MIGRATIONS.length);
    await Promise.all(opened.map((d) => d.destroy()));
  });

  it("reverts every migration cleanly", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration();
    const tables = await dataSource.query<unknown[]>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'typeorm_migration'",
    );
    expect(tables).toEqual([]);
    await dataSource.destroy();
  });

  it("keeps room in lot pages and drops the participant index the (participant, record time) one covers", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    try {
      const state = async () => ({
        options: await dataSource.query<Array<{ relname: string; reloptions: string[] | null }>>(
          `SELECT "relname", "reloptions" FROM pg_class WHERE "relname" IN ('lot', 'lot_holding') ORDER BY "relname"`,
        ),
        indexes: (
          await dataSource.query<Array<{ indexname: string }>>(
            `SELECT "indexname" FROM pg_indexes WHERE "tablename" = 'epcis_event' AND "indexname" LIKE 'IDX_epcis_event_participant%' ORDER BY 1`,
          )
        ).map((row) => row.indexname),
      });
      expect(await state()).toEqual({
        options: [
          { relname: "lot", reloptions: ["fillfactor=70"] },
          { relname: "lot_holding", reloptions: ["fillfactor=70"] },
        ],
        indexes: ["IDX_epcis_event_participant_record"],
      });
      const plan = await dataSource.query<Array<{ "QUERY PLAN": string }>>(
        `EXPLAIN SELECT 1 FROM "epcis_event" WHERE "participant_id" = '00000000-0000-0000-0000-000000000000'`,
      );
      expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toMatch(/IDX_epcis_event_participant_record/);
      await undoBackTo(dataSource, "LighterCaptureWrites1765600000000");
      expect(await state()).toEqual({
        options: [
          { relname: "lot", reloptions: null },
          { relname: "lot_holding", reloptions: null },
        ],
        indexes: ["IDX_epcis_event_participant", "IDX_epcis_event_participant_record"],
      });
    } finally {
      await dataSource.destroy();
    }
  });

  it("keeps batch manifests as text: jsonb rows converted (and back) with the same content", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    try {
      await undoBackTo(dataSource, "StoreManifestsAsText1765700000000");
      const manifest = {
        type: "CarbonTraceAnchorBatch",
        version: 1,
        events: [{ eventHash: "ni:///x", signer: "0xA" }],
      };
      await dataSource.query(
        `INSERT INTO "anchor_batch" ("root", "leaf_count", "manifest", "manifest_cid", "status", "chain_id", "contract")
         VALUES ('0x01', 1, $1::jsonb, 'bafy', 'final', 31337, '0x0')`,
        [JSON.stringify(manifest)],
      );
      await dataSource.runMigrations();
      const type = `SELECT data_type FROM information_schema.columns WHERE table_name = 'anchor_batch' AND column_name = 'manifest'`;
      expect(await dataSource.query(type)).toEqual([{ data_type: "text" }]);
      const [row] = await dataSource.query<Array<{ manifest: string }>>(`SELECT "manifest" FROM "anchor_batch"`);
      expect(JSON.parse(row?.manifest ?? "null")).toEqual(manifest);
      await undoBackTo(dataSource, "StoreManifestsAsText1765700000000");
      expect(await dataSource.query(type)).toEqual([{ data_type: "jsonb" }]);
      expect(await dataSource.query(`SELECT "manifest" FROM "anchor_batch"`)).toEqual([{ manifest }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it("leaves the event documents out of epcis_event's planner statistics, and only them", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    // Which columns ANALYZE gathered statistics on, after writing 500 events (foreign keys aside).
    const analysed = async (): Promise<string[]> => {
      await dataSource.query(`TRUNCATE "epcis_event" CASCADE`);
      await withoutForeignKeys(dataSource, async (manager) => {
        await manager.query(
          `INSERT INTO "epcis_event" ("event_hash", "event_id", "event_type", "biz_step", "event_time",
             "event_time_zone_offset", "record_time", "body", "context", "participant_id", "role", "signer",
             "signature", "custodial", "capture_id", "error_declaration")
           SELECT 'ni:///sha-256;' || i, 'urn:uuid:' || i, 'ObjectEvent', 'commissioning', now(), '+00:00', now(),
             jsonb_build_object('eventID', i), '[]'::jsonb, gen_random_uuid(), 'supplier', '0xA', '0x' || i, false,
             gen_random_uuid(), jsonb_build_object('reason', i % 3)
           FROM generate_series(1, 500) i`,
        );
      });
      await dataSource.query(`ANALYZE "epcis_event"`);
      const rows = await dataSource.query<Array<{ attname: string }>>(
        `SELECT attname FROM pg_stats WHERE tablename = 'epcis_event' ORDER BY attname`,
      );
      return rows.map((row) => row.attname);
    };
    try {
      const analysedNow = await analysed();
      expect(analysedNow).toEqual(expect.arrayContaining(["biz_step", "event_hash", "event_type", "signer"]));
      expect(analysedNow.filter((column) => ["body", "context", "error_declaration"].includes(column))).toEqual([]);
      await undoBackTo(dataSource, "NoStatisticsOnEventDocuments1765800000000");
      expect(await analysed()).toEqual([...analysedNow, "body", "context", "error_declaration"].sort());
    } finally {
      await dataSource.destroy();
    }
  });

  it("never synchronises the schema from entities", () => {
    expect(createDataSource("postgres://u:p@127.0.0.1:1/x").options.synchronize).toBe(false);
  });
});

describe("anchor tally (trigger on anchor_batch)", () => {
  const scan = `SELECT "status", count(*)::int AS batches, sum("leaf_count")::int AS events
                FROM "anchor_batch" GROUP BY "status" ORDER BY "status"`;
  const tally = `SELECT "status", "batches"::int AS batches, "events"::int AS events
                 FROM "anchor_tally" WHERE "batches" <> 0 ORDER BY "status"`;
  const insertBatch = (root: string, leaves: number, status: string): string =>
    `INSERT INTO "anchor_batch" ("root", "leaf_count", "manifest", "manifest_cid", "status", "chain_id", "contract")
     VALUES ('${root}', ${leaves}, '{}', 'bafy', '${status}', 31337, '0x0')`;

  it("counts batches already there when migrated, then follows every insert, status change, delete and truncate", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    try {
      await undoBackTo(dataSource, "TallyAnchorBatches1764800000000");
      await dataSource.query(insertBatch("0x01", 10, "final"));
      await dataSource.query(insertBatch("0x02", 7, "final"));
      await dataSource.query(insertBatch("0x03", 5, "sent"));
      await dataSource.runMigrations();
      expect(await dataSource.query(tally)).toEqual(await dataSource.query(scan));
      expect(await dataSource.query(tally)).toEqual([
        { status: "final", batches: 2, events: 17 },
        { status: "sent", batches: 1, events: 5 },
      ]);

      await dataSource.query(insertBatch("0x04", 3, "built"));
      await dataSource.query(`UPDATE "anchor_batch" SET "status" = 'sent' WHERE "root" = '0x04'`);
      await dataSource.query(`UPDATE "anchor_batch" SET "status" = 'anchored' WHERE "root" IN ('0x03', '0x04')`);
      await dataSource.query(`UPDATE "anchor_batch" SET "tx_hash" = '0xabc' WHERE "root" = '0x03'`);
      await dataSource.query(`DELETE FROM "anchor_batch" WHERE "root" = '0x01'`);
      expect(await dataSource.query(tally)).toEqual(await dataSource.query(scan));
      expect(await dataSource.query(tally)).toEqual([
        { status: "anchored", batches: 2, events: 8 },
        { status: "final", batches: 1, events: 7 },
      ]);
      await dataSource.query(`TRUNCATE "anchor_batch" CASCADE`);
      expect(await dataSource.query(tally)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe("anchor outbox and batch leaves", () => {
  /** `count` events waiting in the outbox, as an import would write them (foreign keys aside). */
  async function waitingEvents(dataSource: DataSource, count: number): Promise<void> {
    await withoutForeignKeys(dataSource, async (manager) => {
      await manager.query(
        `INSERT INTO "epcis_event" ("event_hash", "event_id", "event_type", "event_time", "event_time_zone_offset",
           "record_time", "body", "context", "participant_id", "role", "signer", "signature", "custodial", "capture_id")
         SELECT 'ni:///sha-256;' || lpad(i::text, 64, '0') || '?ver=CBV2.0', 'urn:uuid:' || gen_random_uuid(),
           'ObjectEvent', now(), '+00:00', now(), '{}'::jsonb, '[]'::jsonb, gen_random_uuid(), 'supplier',
           '0x00000000000000000000000000000000000000' || lpad((i % 3)::text, 2, '0'), '0x', false, gen_random_uuid()
         FROM generate_series(1, ${String(count)}) i`,
      );
      await manager.query(`INSERT INTO "anchor_outbox" ("event_hash") SELECT "event_hash" FROM "epcis_event"`);
    });
  }

  /** A batch of the events given, shaped as the anchorer stores it (the tree itself is not what is tested here). */
  async function batchOf(events: Array<{ eventHash: string; signer: string }>, delayMs: number) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return {
      root: `0x${String(events.length).padStart(64, "0")}${String(delayMs)}`,
      manifest: "{}",
      manifestCid: "bafy",
      chainId: "31337",
      contract: "0x0",
      leaves: events.map((event, leafIndex) => ({ eventHash: event.eventHash, leafIndex, leaf: "0x" })),
    };
  }

  it("puts each waiting event in exactly one batch when batches are formed concurrently", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    try {
      await waitingEvents(dataSource, 300);
      const repository = new AnchorRepository(dataSource);
      const formed: Array<Array<{ eventHash: string; signer: string }>> = [];
      // Three formers at once (the anchoring lease makes this impossible in the service; the outbox must not rely
      // on it), each holding its transaction open while it builds, as hashing a large tree does.
      await Promise.all(
        [40, 0, 20].map((delayMs) =>
          repository.formBatch(250, async (events) => {
            formed.push(events);
            return batchOf(events, delayMs);
          }),
        ),
      );
      // A former that waited for another finds the rows it had chosen gone and takes nothing this round: the
      // rest waits in the outbox for the next. Nothing is in two batches, nothing is lost.
      const waiting = async (): Promise<string[]> =>
        (await dataSource.query<Array<{ event_hash: string }>>(`SELECT "event_hash" FROM "anchor_outbox"`)).map(
          (row) => row.event_hash,
        );
      const firstRound = formed.flat().map((event) => event.eventHash);
      expect(firstRound.length).toBeGreaterThanOrEqual(250);
      expect(new Set([...firstRound, ...(await waiting())]).size).toBe(300);
      while ((await waiting()).length > 0) {
        await repository.formBatch(250, async (events) => {
          formed.push(events);
          return batchOf(events, 0);
        });
      }
      const taken = formed.flat().map((event) => event.eventHash);
      expect(taken).toHaveLength(300);
      expect(new Set(taken).size).toBe(300);
      expect(formed.flat().every((event) => /^0x0{38}0[0-2]$/.test(event.signer))).toBe(true);
      expect(await dataSource.query(`SELECT count(*)::int AS n FROM "batch_leaf"`)).toEqual([{ n: 300 }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it("leaves the outbox as it was when a batch cannot be stored", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    try {
      await waitingEvents(dataSource, 10);
      const repository = new AnchorRepository(dataSource);
      await expect(
        repository.formBatch(250, () => Promise.reject(new Error("the manifest could not be hashed"))),
      ).rejects.toThrow("the manifest could not be hashed");
      expect(await dataSource.query(`SELECT count(*)::int AS n FROM "anchor_outbox"`)).toEqual([{ n: 10 }]);
      expect(await dataSource.query(`SELECT count(*)::int AS n FROM "anchor_batch"`)).toEqual([{ n: 0 }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it("finds a batch's leaves through its unique (batch, position) index, the separate batch index dropped", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    const indexes = async (): Promise<string[]> =>
      (
        await dataSource.query<Array<{ indexname: string }>>(
          `SELECT indexname FROM pg_indexes WHERE tablename = 'batch_leaf' ORDER BY indexname`,
        )
      ).map((row) => row.indexname);
    try {
      expect(await indexes()).toEqual(["PK_batch_leaf", "UQ_batch_leaf_position"]);
      const plan = await dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL enable_seqscan = off`);
        return manager.query<Array<{ "QUERY PLAN": string }>>(
          `EXPLAIN SELECT "event_hash" FROM "batch_leaf" WHERE "batch_id" = 7`,
        );
      });
      expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toMatch(/UQ_batch_leaf_position/);
      await undoBackTo(dataSource, "DropRedundantBatchLeafIndex1765900000000");
      expect(await indexes()).toEqual(["IDX_batch_leaf_batch", "PK_batch_leaf", "UQ_batch_leaf_position"]);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe("fresh planner statistics (FreshStatistics)", () => {
  it("analyses a graph table after a bulk of writes, and only then", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    const statistics = new FreshStatistics(dataSource);
    try {
      await dataSource.query(`ANALYZE`);
      expect(await statistics.pass()).toEqual([]);
      // 3,000 movements of a lot graph, as an import would write them (foreign keys aside).
      await withoutForeignKeys(dataSource, async (manager) => {
        await manager.query(
          `INSERT INTO "lot_movement" ("event_hash", "lot_id", "direction", "quantity", "unit")
           SELECT 'e' || i, 'lot' || i, 'produced', 1, 'KGM' FROM generate_series(1, 3000) i`,
        );
      });
      // PostgreSQL publishes its change counters within a second or so of the commit.
      const analysed = await waitFor("the bulk to be seen and analysed", async () => {
        const tables = await statistics.pass();
        return tables.length > 0 ? tables : undefined;
      });
      expect(analysed).toEqual(["lot_movement"]);
      const [row] = await dataSource.query<Array<{ changed: number; analysed: boolean; tuples: number }>>(
        `SELECT s.n_mod_since_analyze::int AS changed, s.last_analyze IS NOT NULL AS analysed, c.reltuples::int AS tuples
         FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'lot_movement'`,
      );
      expect(row).toEqual({ changed: 0, analysed: true, tuples: 3000 });
      expect(await statistics.pass()).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe("lot holdings written by a capture (saveHoldingDeltas)", () => {
  const party = "00000000-0000-4000-8000-000000000001";
  const delta = (lotId: string, held: string) => ({ lotId, party, held: decimal(held), inTransit: decimal("0") });

  it("updates the holdings it was told are stored and inserts the others, without scanning the table", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    try {
      // 5,000 holdings (foreign keys aside): enough for a look-up of 100 deltas to be planned as a scan of them all.
      await withoutForeignKeys(dataSource, async (manager) => {
        await manager.query(
          `INSERT INTO "lot_holding" ("lot_id", "participant_id", "held", "in_transit")
           SELECT 'lot' || i, $1, 1, 0 FROM generate_series(1, 5000) i`,
          [party],
        );
      });
      await dataSource.query(`ANALYZE "lot_holding"`);
      const deltas = [delta("lot1", "2"), ...Array.from({ length: 99 }, (_, i) => delta(`new${String(i)}`, "5"))];
      const scans = await withoutForeignKeys(dataSource, async (manager) => {
        await saveHoldingDeltas(manager, deltas, new Set([holdingKey("lot1", party)]));
        const [row] = await manager.query<Array<{ scans: number }>>(
          `SELECT seq_scan::int AS scans FROM pg_stat_xact_user_tables WHERE relname = 'lot_holding'`,
        );
        return row?.scans;
      });
      expect(scans).toBe(0);
      const held = await dataSource.query<Array<{ lot_id: string; held: string }>>(
        `SELECT "lot_id", "held"::text AS held FROM "lot_holding" WHERE "lot_id" IN ('lot1', 'lot2', 'new0', 'new98')
         ORDER BY "lot_id"`,
      );
      expect(held).toEqual([
        { lot_id: "lot1", held: "3" },
        { lot_id: "lot2", held: "1" },
        { lot_id: "new0", held: "5" },
        { lot_id: "new98", held: "5" },
      ]);
    } finally {
      await dataSource.destroy();
    }
  });

  it("without that knowledge (an error declaration's undo), looks each one up: the same rows", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    try {
      await withoutForeignKeys(dataSource, async (manager) => {
        await manager.query(
          `INSERT INTO "lot_holding" ("lot_id", "participant_id", "held", "in_transit") VALUES ('lot1', $1, 1, 0)`,
          [party],
        );
        await saveHoldingDeltas(manager, [delta("lot1", "-1"), delta("new", "5")]);
      });
      const held = await dataSource.query<Array<{ lot_id: string; held: string }>>(
        `SELECT "lot_id", "held"::text AS held FROM "lot_holding" ORDER BY "lot_id"`,
      );
      expect(held).toEqual([
        { lot_id: "lot1", held: "0" },
        { lot_id: "new", held: "5" },
      ]);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe("ChainContractRepository", () => {
  it("records contracts per chain and updates them in place", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    try {
      const repository = new ChainContractRepository(dataSource);
      const base = { chainId: 31337n, deployTxHash: "0xabc", deployBlock: 1n };
      await repository.save({ ...base, name: "TraceLedger", address: "0x1" });
      await repository.save({ ...base, name: "OffsetRegistry", address: "0x2" });
      await repository.save({ ...base, chainId: 1n, name: "TraceLedger", address: "0x9" });
      await repository.save({ ...base, name: "TraceLedger", address: "0x3", deployBlock: 12n });
      expect(await repository.findByChain(31337n)).toEqual([
        { chainId: 31337n, name: "OffsetRegistry", address: "0x2", deployTxHash: "0xabc", deployBlock: 1n },
        { chainId: 31337n, name: "TraceLedger", address: "0x3", deployTxHash: "0xabc", deployBlock: 12n },
      ]);
      expect(await repository.findByChain(5n)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe("ParticipantRepository.findApiKey (every authenticated request)", () => {
  it("reads a live key's participant exactly as findById does, roles and all; a revoked or unknown key reads nothing", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    try {
      const repository = new ParticipantRepository(dataSource);
      const secret = Buffer.alloc(32, 7);
      const created = await repository.create(
        {
          organisation: "Recycler Ltd",
          identifierScheme: "gln",
          identifier: "6901234000017",
          displayNameZh: "回收商",
          displayNameEn: "Recycler",
          country: "CN",
          address: "0x000000000000000000000000000000000000dEaD",
          encryptedKey: null,
          roles: ["recycler", "supplier"],
          companyPrefixes: ["690123"],
          locations: ["6901234000024"],
        },
        { id: "key-one", secretSha256: secret, label: "first" },
      );
      await repository.setRoleStatus(created.id, "supplier", "granted", "0xfeed", null);
      expect(await repository.revokeRole(created.id, "recycler")).toBe(true);
      const expected = await repository.findById(created.id);
      expect(expected?.roles.find((role) => role.role === "recycler")?.revokedAt).toBeInstanceOf(Date);

      const found = await repository.findApiKey("key-one");
      expect(found?.participant).toEqual(expected);
      expect(found?.secretSha256.equals(secret)).toBe(true);

      expect(await repository.revokeApiKey(created.id, "key-one")).toBe(true);
      expect(await repository.findApiKey("key-one")).toBeUndefined();
      expect(await repository.findApiKey("no-such-key")).toBeUndefined();
    } finally {
      await dataSource.destroy();
    }
  });
});

describe("pass leases (AdvisoryPassLease)", () => {
  it("lets one instance at a time run a pass of a name, frees it afterwards, and when its holder dies", async () => {
    const url = await postgres.createDatabase();
    const [one, two] = [await openDatabase(url, silentLogger), await openDatabase(url, silentLogger)];
    try {
      const [first, second] = [new AdvisoryPassLease(one), new AdvisoryPassLease(two)];
      let release = (): void => undefined;
      const holding = new Promise<void>((resolve) => (release = resolve));
      let started = false;
      const running = first.run("retries", () => {
        started = true;
        return holding;
      });
      await waitFor("the first pass to start", () => Promise.resolve(started ? true : undefined));
      expect(await second.run("retries", () => Promise.resolve())).toBe(false);
      expect(await second.run("other-pass", () => Promise.resolve())).toBe(true);
      release();
      expect(await running).toBe(true);
      expect(await second.run("retries", () => Promise.resolve())).toBe(true);

      // A holder whose connection is gone (an instance killed mid-pass) holds nothing.
      let ran = false;
      let end: (() => void) | undefined;
      const dying = first.run("retries", () => new Promise<void>((resolve) => (end = resolve))).catch(() => false);
      await waitFor("the dying pass to start", () => Promise.resolve(end === undefined ? undefined : true));
      expect(await second.run("retries", () => Promise.resolve())).toBe(false);
      await one.query(
        // Only this database's: the e2e run shares one cluster between suites, and pg_locks shows all of it.
        `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      await waitFor("the lease to be free", async () =>
        (await second.run("retries", () => {
          ran = true;
          return Promise.resolve();
        }))
          ? true
          : undefined,
      );
      expect(ran).toBe(true);
      end?.();
      expect(await dying).toBe(false); // its connection is gone: it cannot even give the lease back
    } finally {
      await one.destroy().catch(() => undefined);
      await two.destroy();
    }
  }, 60_000);
});

describe("chain-job outbox (ChainJobRepository)", () => {
  const signed = (n: number) => ({ hash: `0x${n.toString(16).padStart(64, "0")}`, nonce: n, raw: `0x02${n}` });

  it("keeps one live job per subject, even when instances enqueue it at once", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    const jobs = new ChainJobRepository(dataSource);
    try {
      const enqueued = await Promise.all([1, 2, 3, 4].map(() => jobs.enqueue("attestation", "a1")));
      expect(new Set(enqueued.map((j) => j.id)).size).toBe(1);
      const [leased] = await jobs.lease({ id: enqueued[0]!.id, limit: 1, leaseMs: 60_000 });
      await jobs.finish(leased!, { status: "done", error: null });
      // Done: the same subject may want another transaction later (a role granted again), as a new job.
      expect((await jobs.enqueue("attestation", "a1")).id).not.toBe(enqueued[0]?.id);
      // Another kind for the same subject is another job.
      expect((await jobs.enqueue("role", "a1")).id).not.toBe(enqueued[0]?.id);
    } finally {
      await jobs.close();
      await dataSource.destroy();
    }
  });

  it("leases each due job to one worker (FOR UPDATE SKIP LOCKED), again when its lease ran out or its worker is gone", async () => {
    const url = await postgres.createDatabase();
    const [one, two] = [await openDatabase(url, silentLogger), await openDatabase(url, silentLogger)];
    const [first, second] = [new ChainJobRepository(one), new ChainJobRepository(two)];
    try {
      for (let i = 0; i < 30; i += 1) await first.enqueue("retirement", `r${String(i)}`);
      // New jobs are their requesters' to run (by id) before a pass may take them.
      expect(await second.lease({ limit: 10, leaseMs: 60_000 })).toEqual([]);
      await one.query(`UPDATE "chain_job" SET "due_at" = now()`);
      const leases = await Promise.all(
        [first, second, first, second].map((jobs) => jobs.lease({ limit: 10, leaseMs: 60_000 })),
      );
      const ids = leases.flat().map((j) => j.id);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
      expect(await second.lease({ limit: 10, leaseMs: 60_000 })).toEqual([]);

      // A live worker's lease is taken over only once it has run out (a worker stuck for that long); the one whose
      // lease it was can then write nothing.
      await one.query(`UPDATE "chain_job" SET "leased_until" = now() - interval '1 second' WHERE "subject" = 'r0'`);
      const [short] = await second.lease({ limit: 5, leaseMs: 60_000 });
      expect(short?.subject).toBe("r0");
      const stale = leases.flat().find((j) => j.subject === "r0")!;
      await expect(first.markSent(stale, signed(1))).rejects.toMatchObject({ code: "CHAIN.JOB_LEASE_LOST" });
      await expect(first.finish(stale, { status: "done", error: null })).rejects.toMatchObject({
        code: "CHAIN.JOB_LEASE_LOST",
      });

      // A worker that is gone (its instance killed: its presence lock went with its connection) holds nothing: its
      // jobs are leased again at once, long before their leases would end.
      const ofFirst = leases
        .filter((_, i) => i % 2 === 0)
        .flat()
        .filter((j) => j.subject !== "r0");
      // With a timeout, pg_terminate_backend waits for the backend to exit (and its locks to go); without one it
      // only signals it, and the lease below could run while the lock is still held.
      await two.query(
        `SELECT pg_terminate_backend(pid, 10000) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2
           AND objid = hashtext($1)::oid AND pid <> pg_backend_pid()
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [first.worker],
      );
      const taken = await second.lease({ limit: 30, leaseMs: 60_000 });
      expect(taken.map((j) => j.id).sort()).toEqual(ofFirst.map((j) => j.id).sort());
      await second.markSent(short!, signed(2));
      expect(await second.job(short!.id)).toMatchObject({ status: "sent", attempts: 1, txRaw: "0x022", txNonce: 2 });
    } finally {
      await Promise.all([first.close(), second.close()]);
      await Promise.all([one.destroy(), two.destroy()]);
    }
  });

  it("counts a worker present only by its lock in this database (a cluster may hold other deployments)", async () => {
    const [here, elsewhere] = [
      await openDatabase(await postgres.createDatabase(), silentLogger),
      await openDatabase(await postgres.createDatabase(), silentLogger),
    ];
    const [jobs, other] = [new ChainJobRepository(here), new ChainJobRepository(elsewhere)];
    try {
      await other.lease({ limit: 1, leaseMs: 60_000 }); // takes its presence lock in the other database
      const { id } = await jobs.enqueue("attestation", "a1");
      // A lease stamped with that worker's id, far from its end: only the other database has the worker's lock.
      await here.query(
        `UPDATE "chain_job" SET "due_at" = now(), "leased_by" = $1, "lease_token" = gen_random_uuid(),
           "leased_until" = now() + interval '1 hour' WHERE "id" = $2`,
        [other.worker, id],
      );
      expect((await jobs.lease({ limit: 5, leaseMs: 60_000 })).map((j) => j.id)).toEqual([id]);
    } finally {
      await Promise.all([jobs.close(), other.close()]);
      await Promise.all([here.destroy(), elsewhere.destroy()]);
    }
  });

  it("backs off: a job given back for later is not leased before it is due, except on purpose (by id)", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    const jobs = new ChainJobRepository(dataSource);
    try {
      const { id } = await jobs.enqueue("role", "p/supplier");
      const [leased] = await jobs.lease({ id, limit: 1, leaseMs: 60_000 });
      await jobs.later(leased!, { status: "queued", error: "CHAIN.UNAVAILABLE: down", delayMs: 60_000 });
      expect(await jobs.lease({ limit: 5, leaseMs: 60_000 })).toEqual([]);
      const [now] = await jobs.lease({ id, limit: 1, leaseMs: 60_000 });
      expect(now).toMatchObject({ id, lastError: "CHAIN.UNAVAILABLE: down" });
      expect(await jobs.lease({ id, limit: 1, leaseMs: 60_000 })).toEqual([]); // held
    } finally {
      await jobs.close();
      await dataSource.destroy();
    }
  });

  it("merges a role's grant and revocation jobs into one, keeping the older live one (it may be in flight)", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    try {
      await undoBackTo(dataSource, "MergeRoleChainJobs1765500000000");
      const insert = (kind: string, subject: string, status: string) =>
        dataSource.query<Array<{ id: string }>>(
          `INSERT INTO "chain_job" ("kind", "subject", "status") VALUES ($1, $2, $3) RETURNING "id"`,
          [kind, subject, status],
        );
      const [[grantSent], [revokeQueued], [grantDone], [otherRevoke]] = [
        await insert("role-grant", "p1/supplier", "sent"),
        await insert("role-revoke", "p1/supplier", "queued"),
        await insert("role-grant", "p1/recycler", "done"),
        await insert("role-revoke", "p2/supplier", "queued"),
      ];
      await dataSource.runMigrations({ transaction: "each" });
      const rows = await dataSource.query<
        Array<{ id: string; kind: string; status: string; last_error: string | null }>
      >(`SELECT "id", "kind", "status", "last_error" FROM "chain_job" ORDER BY "id"`);
      expect(rows.map((r) => [r.id, r.kind, r.status])).toEqual([
        [grantSent?.id, "role", "sent"],
        [revokeQueued?.id, "role", "failed"],
        [grantDone?.id, "role", "done"],
        [otherRevoke?.id, "role", "queued"],
      ]);
      expect(rows[1]?.last_error).toMatch(/^CHAIN\.JOB_SUPERSEDED: /);
    } finally {
      await dataSource.destroy();
    }
  });

  it("gives every retirement and attestation waiting for the chain a job when the outbox is created", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    try {
      await undoBackTo(dataSource, "CreateChainJobs1765400000000");
      const [lot] = await dataSource.query<Array<{ id: string }>>(
        `INSERT INTO "lot" ("id", "gtin", "lot_number", "unit", "external") VALUES ('https://id.gs1.org/01/09506000134352/10/L1', '09506000134352', 'L1', 'KGM', true) RETURNING "id"`,
      );
      const [holding] = await dataSource.query<Array<{ id: string }>>(
        `INSERT INTO "credit_holding" ("registry", "serial_block", "project_id", "vintage", "first_serial", "last_serial", "serial", "details")
         VALUES ('VERRA', 'B', '1', 2022, 1, 10, 'S', '{}') RETURNING "id"`,
      );
      const retirement = (status: string, first: number) =>
        dataSource.query<Array<{ id: string }>>(
          `INSERT INTO "offset_retirement" ("holding_id", "lot_id", "registry", "serial_block", "first_serial", "last_serial",
             "serial", "quantity_kg", "beneficiary", "status") VALUES ($1, $2, 'VERRA', 'B', $3, $3, 'S', 1000, 'A', $4) RETURNING "id"`,
          [holding?.id, lot?.id, first, status],
        );
      const [[pending], [retired]] = [await retirement("pending", 1), await retirement("retired", 2)];
      await dataSource.runMigrations({ transaction: "each" });
      const jobs = await dataSource.query<Array<{ kind: string; subject: string; status: string }>>(
        `SELECT "kind", "subject", "status" FROM "chain_job"`,
      );
      expect(jobs).toEqual([{ kind: "retirement", subject: pending?.id, status: "queued" }]);
      expect(jobs.map((j) => j.subject)).not.toContain(retired?.id);
    } finally {
      await dataSource.destroy();
    }
  });
});
