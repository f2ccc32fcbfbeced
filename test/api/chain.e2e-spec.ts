import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Wallet, type JsonRpcApiProvider } from "ethers";
import { DomainError, silentLogger } from "#common";
import { AdvisoryNonceLock, openDatabase } from "#database";
import {
  connectChain,
  deployContracts,
  Ledger,
  readChainId,
  retireCredits,
  ROLES,
  toChainError,
  TraceLedger__factory,
  type CreditRetirement,
} from "#ledger";
import { offsetLotKey } from "#offsets";
import { ensureContracts, startAnvil } from "#runtime";
import {
  ANVIL_ADMIN_ADDRESS,
  ANVIL_ADMIN_KEY,
  ANVIL_DEV_KEY,
  deployTestContracts,
  deployTestLedger,
  startTestChain,
  type TestChain,
} from "../support/anvil.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { tempDir } from "../support/temp.js";

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
}, 60_000);
afterAll(() => postgres.stop());

describe("embedded anvil", () => {
  it("keeps its chain across a graceful restart", async () => {
    const dir = await tempDir("anvil");
    const first = await startAnvil({ dir: dir.path, port: 0, log: silentLogger });
    const chain = await connectChain(first.rpcUrl, ANVIL_DEV_KEY);
    const ledger = await deployTestLedger(chain);
    const height = await chain.provider.getBlockNumber();
    await chain.close();
    await first.stop();

    const second = await startAnvil({ dir: dir.path, port: 0, log: silentLogger });
    expect(second.port).not.toBe(0);
    const again = await connectChain(second.rpcUrl, ANVIL_DEV_KEY);
    expect(await again.provider.getBlockNumber()).toBe(height);
    expect(await again.provider.getCode(ledger.addresses.TraceLedger)).not.toBe("0x");
    await again.close();
    await second.stop();
    await dir.remove();
  }, 60_000);

  it("holds a sent transaction's block in its state file by the time the send resolves", async () => {
    // Anvil answers a send before it mines it: a state written right then misses about one block in a hundred, and
    // a kill -9 of anvil before the next write would lose a batch the service already called final.
    const dir = await tempDir("anvil-state");
    const anvil = await startAnvil({ dir: dir.path, port: 0, log: silentLogger });
    const chain = await connectChain(anvil.rpcUrl, ANVIL_DEV_KEY, { afterSend: (txHash) => anvil.persist(txHash) });
    try {
      const missing: number[] = [];
      for (let send = 0; send < 300; send++) {
        const sent = await chain.signer.sendTransaction({ to: Wallet.createRandom().address, value: 1n });
        const state = JSON.parse(await readFile(join(dir.path, "state.json"), "utf8")) as { best_block_number: string };
        const receipt = await sent.wait();
        if (receipt === null || Number(state.best_block_number) < receipt.blockNumber) missing.push(send);
      }
      expect(missing).toEqual([]);
    } finally {
      await chain.close();
      await anvil.stop();
      await dir.remove();
    }
  }, 120_000);

  it("runs side by side with another instance", async () => {
    const [a, b] = await Promise.all([startTestChain(), startTestChain()]);
    expect(a.anvil.port).not.toBe(b.anvil.port);
    expect(await readChainId(a.anvil.rpcUrl)).toBe(31337n);
    expect(await readChainId(b.anvil.rpcUrl)).toBe(31337n);
    await Promise.all([a.stop(), b.stop()]);
  }, 60_000);
});

describe("contracts on a chain", () => {
  let chain: TestChain;
  beforeAll(async () => {
    chain = await startTestChain();
  }, 60_000);
  afterAll(() => chain.stop());

  it("deploys both contracts and grants the service account its roles, never the admin role", async () => {
    const ledger = await deployTestLedger(chain.chain);
    const account = chain.chain.wallet.address;
    expect(await ledger.traceLedger.hasRole(ROLES.admin, account)).toBe(false);
    expect(await ledger.offsetRegistry.hasRole(ROLES.admin, account)).toBe(false);
    expect(await ledger.traceLedger.defaultAdmin()).toBe(ANVIL_ADMIN_ADDRESS);
    expect(await ledger.traceLedger.hasRole(ROLES.registrar, account)).toBe(true);
    expect(await ledger.traceLedger.hasRole(ROLES.anchorer, account)).toBe(true);
    expect(await ledger.offsetRegistry.hasRole(ROLES.retirer, account)).toBe(true);
    expect(await ledger.health()).toMatchObject({
      status: "ok",
      chainId: "31337",
      account,
      admin: ANVIL_ADMIN_ADDRESS,
      warnings: [],
      roles: { registrar: true, anchorer: true, retirer: true, admin: false },
      contracts: {
        TraceLedger: { address: ledger.addresses.TraceLedger, deployed: true },
        OffsetRegistry: { address: ledger.addresses.OffsetRegistry, deployed: true },
      },
    });
  });

  it("answers health from one call while the chain has no new block, and reads it all again after one", async () => {
    const ledger = await deployTestLedger(chain.chain);
    const account = chain.chain.wallet.address;
    const requests = rpcRequestsOf(chain.chain.provider);
    const first = await ledger.health();
    expect(first.status).toBe("ok");
    expect(requests.count()).toBeGreaterThanOrEqual(9);
    requests.reset();
    expect(await ledger.health()).toEqual(first);
    expect(requests.count()).toBe(1); // the latest block: the same as before

    // The administrator takes a role away (a new block): the next answer says so at once.
    const asAdmin = TraceLedger__factory.connect(
      ledger.addresses.TraceLedger,
      new Wallet(ANVIL_ADMIN_KEY, chain.chain.provider),
    );
    await (await asAdmin.revokeRole(ROLES.anchorer, account)).wait();
    const after = await ledger.health();
    expect(after).toMatchObject({ status: "failing", roles: { anchorer: false } });
    expect(after.detail).toContain("lacks ANCHORER_ROLE");
    // A problem is read again every time, never kept: once the role is back, health is ok.
    requests.reset();
    expect((await ledger.health()).status).toBe("failing");
    expect(requests.count()).toBeGreaterThanOrEqual(9);
    await (await asAdmin.grantRole(ROLES.anchorer, account)).wait();
    expect(await ledger.health()).toMatchObject({ status: "ok", roles: { anchorer: true } });
    requests.stop();
  });

  it("refuses to deploy with the service account as admin", async () => {
    const account = chain.chain.wallet.address;
    await expect(
      deployContracts(chain.chain, silentLogger, { admin: account, operator: account }),
    ).rejects.toMatchObject({ code: "CHAIN.ADMIN_IS_OPERATOR" });
  });

  it("turns a revert into a CHAIN.<SolidityError> domain error with its arguments", async () => {
    const ledger = await deployTestLedger(chain.chain);
    const root = `0x${"42".repeat(32)}`;
    await (
      await ledger.traceLedger.anchor(root, 1, "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy")
    ).wait();
    const error = await ledger.traceLedger.anchor(root, 1, "bafy").then(
      () => undefined,
      (e: unknown) => toChainError(e),
    );
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: "CHAIN.TraceLedgerRootAlreadyAnchored", kind: "conflict" });
    expect(error?.details).toMatchObject({ root, batchId: expect.any(String) });

    // The reverted send must not leave a nonce gap: the next transaction is mined.
    const next = await (await ledger.traceLedger.anchor(`0x${"43".repeat(32)}`, 1, "bafy")).wait();
    expect(next?.status).toBe(1);
  });

  it("reports missing code and missing roles as failing health", async () => {
    const deployed = await deployTestLedger(chain.chain);
    const stranger = await connectChain(chain.anvil.rpcUrl, Wallet.createRandom().privateKey);
    const wrong = new Ledger(stranger, { ...deployed.addresses, OffsetRegistry: Wallet.createRandom().address }, false);
    const health = await wrong.health();
    expect(health.status).toBe("failing");
    expect(health.detail).toContain("OffsetRegistry has no code");
    expect(health.detail).toContain("lacks ANCHORER_ROLE");
    await stranger.close();
  });
});

describe("ensureContracts", () => {
  it("deploys on first start, reuses on the next, and redeploys on a chain that lost them", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    const dir = await tempDir("anvil-reset");
    const anvil = await startAnvil({ dir: dir.path, port: 0, log: silentLogger });
    const chain = await connectChain(anvil.rpcUrl, ANVIL_DEV_KEY);

    const first = await ensureContracts(
      chain,
      dataSource,
      { embedded: true, admin: ANVIL_ADMIN_ADDRESS },
      silentLogger,
    );
    const second = await ensureContracts(
      chain,
      dataSource,
      { embedded: true, admin: ANVIL_ADMIN_ADDRESS },
      silentLogger,
    );
    expect(second.addresses).toEqual(first.addresses);
    const rows = await dataSource.query<unknown[]>('SELECT name, address FROM "chain_contract" ORDER BY name');
    expect(rows).toEqual([
      { name: "OffsetRegistry", address: first.addresses.OffsetRegistry },
      { name: "TraceLedger", address: first.addresses.TraceLedger },
    ]);

    // The chain loses its state (anvil stopped and its state file deleted): the contracts have no code.
    await chain.close();
    await anvil.stop();
    await rm(join(dir.path, "state.json"));
    const reset = await startAnvil({ dir: dir.path, port: 0, log: silentLogger });
    const resetChain = await connectChain(reset.rpcUrl, ANVIL_DEV_KEY);
    expect(await resetChain.provider.getCode(first.addresses.TraceLedger)).toBe("0x");
    const redeployed = await ensureContracts(
      resetChain,
      dataSource,
      { embedded: true, admin: ANVIL_ADMIN_ADDRESS },
      silentLogger,
    );
    expect(await redeployed.missingContracts()).toEqual([]);
    expect((await redeployed.health()).status).toBe("ok");

    await resetChain.close();
    await reset.stop();
    await dataSource.destroy();
    await dir.remove();
  }, 60_000);

  it("refuses configured addresses without code", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    const chain = await startTestChain();
    const configured = { TraceLedger: Wallet.createRandom().address, OffsetRegistry: Wallet.createRandom().address };
    await expect(
      ensureContracts(chain.chain, dataSource, { embedded: false, configured }, silentLogger),
    ).rejects.toMatchObject({ code: "CHAIN.CONTRACTS_MISSING" });
    await chain.stop();
    await dataSource.destroy();
  }, 60_000);

  it("refuses configured contracts of another version (another interface)", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    const chain = await startTestChain();
    const deployed = await deployTestLedger(chain.chain);
    const configured = {
      TraceLedger: deployed.addresses.OffsetRegistry,
      OffsetRegistry: deployed.addresses.OffsetRegistry,
    };
    await expect(
      ensureContracts(chain.chain, dataSource, { embedded: false, configured }, silentLogger),
    ).rejects.toMatchObject({ code: "CHAIN.CONTRACTS_OUTDATED", details: { outdated: ["TraceLedger"] } });
    await chain.stop();
    await dataSource.destroy();
  }, 60_000);

  it("records configured addresses that do have code, with the block they were deployed in", async () => {
    const dataSource = await openDatabase(await postgres.createDatabase(), silentLogger);
    const chain = await startTestChain();
    await chain.chain.provider.send("anvil_mine", ["0x3e7"]); // a history before the deployment to search
    const deployed = await deployTestContracts(chain.chain);
    const addresses = {
      TraceLedger: deployed.find((c) => c.name === "TraceLedger")?.address ?? "",
      OffsetRegistry: deployed.find((c) => c.name === "OffsetRegistry")?.address ?? "",
    };
    const ledger = await ensureContracts(
      chain.chain,
      dataSource,
      { embedded: false, configured: addresses },
      silentLogger,
    );
    expect(ledger.addresses).toEqual(addresses);
    for (const contract of deployed) expect(ledger.deployBlockOf(contract.name)).toBe(Number(contract.blockNumber));
    const rows = await dataSource.query<unknown[]>(
      'SELECT name, deploy_tx_hash, deploy_block::int AS block FROM "chain_contract" ORDER BY name',
    );
    expect(rows).toEqual(
      deployed
        .map((c) => ({ name: c.name, deploy_tx_hash: null, block: Number(c.blockNumber) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
    await chain.stop();
    await dataSource.destroy();
  }, 60_000);
});

describe("retiring credits", () => {
  let chain: TestChain;
  beforeAll(async () => {
    chain = await startTestChain();
  }, 60_000);
  afterAll(() => chain.stop());

  function retirement(firstSerial: bigint, lastSerial: bigint): CreditRetirement {
    return {
      registry: "VERRA",
      serialBlock: "VCS-3005-2024",
      projectId: "3005",
      vintage: 2024,
      firstSerial,
      lastSerial,
      lot: "https://id.gs1.org/01/09521234000013/10/R1",
      beneficiary: "CarbonTrace test",
    };
  }

  it("is idempotent: two sends of one retirement at once, and a retry long after, give the same retirement", async () => {
    const ledger = await deployTestLedger(chain.chain);
    const logs = { fromBlock: await chain.chain.provider.getBlockNumber(), pageBlocks: 50 };
    const wanted = retirement(1000n, 1009n);
    // Both look before either is mined; the second send then meets the first one's range.
    const [first, second] = await Promise.all([
      retireCredits(ledger.offsetRegistry, wanted, logs),
      retireCredits(ledger.offsetRegistry, wanted, logs),
    ]);
    expect(second).toEqual(first);

    // Several log pages later, the retirement is still found, from the deployment block on.
    await chain.chain.provider.send("anvil_mine", [`0x${(logs.pageBlocks * 3 + 17).toString(16)}`]);
    expect(await retireCredits(ledger.offsetRegistry, wanted, logs)).toEqual(first);
    expect(await ledger.offsetRegistry.retiredKgOf(offsetLotKey(wanted.lot))).toBe(10_000n);

    // Another lot's range over these serials is still refused.
    await expect(
      retireCredits(ledger.offsetRegistry, { ...wanted, lot: `${wanted.lot}X` }, logs),
    ).rejects.toMatchObject({ code: "CHAIN.OffsetRegistryRangeOverlaps" });
  }, 120_000);

  it("retires many ranges of one serial block at once, each send asking again when another made its hint stale", async () => {
    const ledger = await deployTestLedger(chain.chain);
    const ranges = Array.from({ length: 6 }, (_, i) => ({
      ...retirement(2000n + 10n * BigInt(i), 2009n + 10n * BigInt(i)),
      lot: `https://id.gs1.org/01/09521234000013/10/B${String(i)}`,
    }));
    const retired = await Promise.all(ranges.map((range) => retireCredits(ledger.offsetRegistry, range)));
    expect(new Set(retired.map((r) => r.retirementId)).size).toBe(6);
    for (const range of ranges) expect(await ledger.offsetRegistry.retiredKgOf(offsetLotKey(range.lot))).toBe(10_000n);
  }, 120_000);
});

describe("two instances sending from one service account", () => {
  let chain: TestChain;
  beforeAll(async () => {
    chain = await startTestChain();
  }, 60_000);
  afterAll(() => chain.stop());

  /** Each "instance": its own connection to the chain with the shared key, and its own pool on the shared database. */
  async function instance(databaseUrl: string, lock: boolean) {
    const connection = await connectChain(chain.anvil.rpcUrl, ANVIL_DEV_KEY);
    const dataSource = await openDatabase(databaseUrl, silentLogger);
    if (lock) connection.signer.shareNonces(new AdvisoryNonceLock(dataSource));
    return {
      connection,
      send: (n: number) =>
        connection.signer.sendTransaction({
          to: Wallet.createRandom().address,
          value: 1n,
          data: `0x${n.toString(16).padStart(2, "0")}`,
        }),
      close: async () => {
        await connection.close();
        await dataSource.destroy();
      },
    };
  }

  it("takes nonces one sender at a time through the database: 2 × 15 concurrent sends, all mined, none lost", async () => {
    const url = await postgres.createDatabase();
    const [a, b] = [await instance(url, true), await instance(url, true)];
    try {
      const account = a.connection.wallet.address;
      const before = await a.connection.provider.getTransactionCount(account, "latest");
      const sent = await Promise.all(Array.from({ length: 15 }, (_, n) => [a.send(n), b.send(n)]).flat());
      const receipts = await Promise.all(sent.map((tx) => tx.wait()));
      expect(receipts.every((receipt) => receipt?.status === 1)).toBe(true);
      expect(new Set(sent.map((tx) => tx.nonce)).size).toBe(30);
      expect(await a.connection.provider.getTransactionCount(account, "latest")).toBe(before + 30);
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);

  it("collides without it (what the lock prevents), and a taken nonce is a retryable CHAIN.NONCE_CONFLICT", async () => {
    const url = await postgres.createDatabase();
    const [a, b] = [await instance(url, false), await instance(url, false)];
    try {
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, n) => [a.send(n), b.send(n)]).flat());
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
      expect(refused.length).toBeGreaterThan(0);
      for (const { reason } of refused) {
        expect(toChainError(reason)).toMatchObject({ code: "CHAIN.NONCE_CONFLICT", kind: "unavailable" });
      }
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);
});

describe("an unreachable chain", () => {
  it("fails fast with CHAIN.UNAVAILABLE", async () => {
    await expect(connectChain("http://127.0.0.1:9", ANVIL_DEV_KEY)).rejects.toMatchObject({
      code: "CHAIN.UNAVAILABLE",
    });
  });
});

/** Counts the JSON-RPC requests a provider sends (ethers announces each payload as a debug event). */
function rpcRequestsOf(provider: JsonRpcApiProvider): { count(): number; reset(): void; stop(): void } {
  let sent = 0;
  const listener = (event: { action?: string; payload?: unknown }): void => {
    if (event.action === "sendRpcPayload") sent += Array.isArray(event.payload) ? event.payload.length : 1;
  };
  void provider.on("debug", listener);
  return {
    count: () => sent,
    reset: () => {
      sent = 0;
    },
    stop: () => void provider.off("debug", listener),
  };
}
