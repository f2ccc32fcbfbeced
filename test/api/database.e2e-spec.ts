import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { silentLogger } from "#common";
import { ChainContractRepository, createDataSource, MIGRATIONS, openDatabase, pendingSchemaChanges } from "#database";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";

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
