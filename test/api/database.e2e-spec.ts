import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { silentLogger } from "#common";
import {
  AdvisoryPassLease,
  ChainContractRepository,
  createDataSource,
  FreshStatistics,
  MIGRATIONS,
  openDatabase,
  pendingSchemaChanges,
} from "#database";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { waitFor } from "../support/waits.js";

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
}, 60_000);
afterAll(() => postgres.stop());

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
      await dataSource.undoLastMigration();
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

describe("fresh planner statistics (FreshStatistics)", () => {
  it("analyses a graph table after a bulk of writes, and only then", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    const statistics = new FreshStatistics(dataSource);
    try {
      await dataSource.query(`ANALYZE`);
      expect(await statistics.pass()).toEqual([]);
      // 3,000 movements of a lot graph, as an import would write them (foreign keys aside).
      await dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL session_replication_role = replica`);
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
        `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()`,
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
