import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { getAddress, JsonRpcProvider } from "ethers";
import { CHAIN_JOB_FAILPOINTS } from "#anchoring";
import { ROLES, TraceLedger__factory } from "#ledger";
import { uniqueGln } from "../support/participants.js";
import {
  freeServicePort,
  logged,
  queryEmbeddedDatabase,
  waitHealthy,
  type ServiceProcess,
} from "../support/service.js";
import { crashTestServices } from "../support/crash-services.js";
import { waitFor } from "../support/waits.js";

const services = crashTestServices({});

interface RoleView {
  role: string;
  chainStatus: string;
  txHash: string | null;
}

/**
 * The chain-job outbox across a real crash: the built service (embedded PostgreSQL and anvil) kills itself while
 * sending a participant's role grant — once its signed transaction is recorded but not broadcast, once it is
 * broadcast (and mined) but not yet settled — and a new process on the same DATA_DIR must finish the job from
 * what was recorded: the role granted by exactly one transaction, the recorded one, never a second grant.
 */
describe("chain jobs survive being killed at any point", () => {
  for (const failpoint of CHAIN_JOB_FAILPOINTS) {
    it(`grants a role by exactly one transaction after a crash at ${failpoint}`, async () => {
      const dataDir = await services.dataDir("chain-job-crash");
      const port = await freeServicePort();

      const first = services.start(dataDir, port, failpoint);
      await waitHealthy(first);
      const admin = (await readFile(join(dataDir, "keys", "admin-api-key"), "utf8")).trim();
      const organisation = `Chain Job Crash ${failpoint}`;
      // Registering sends the role grant, the first chain job: the service dies on it before answering.
      const answer = await fetch(`${first.url}/participants`, {
        method: "POST",
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
        body: JSON.stringify({
          organisation,
          identifier: { scheme: "gln", value: uniqueGln() },
          displayName: { zh: "崩溃测试", en: "Crash Test" },
          roles: ["supplier"],
          custody: "custodial",
        }),
      }).catch(() => undefined);
      expect(answer).toBeUndefined();
      await first.exited;
      expect(first.child.signalCode).toBe("SIGKILL");
      const [recorded] = (await queryEmbeddedDatabaseOffline(first, dataDir)) ?? [];

      const second = services.start(dataDir, port, "");
      await waitHealthy(second);
      const get = async <T>(path: string): Promise<T> =>
        (await (await fetch(`${second.url}${path}`, { headers: { authorization: `Bearer ${admin}` } })).json()) as T;
      const participant = await waitFor("the role to be granted by the restarted service", async () => {
        const all =
          await get<Array<{ id: string; organisation: string; address: string; roles: RoleView[] }>>("/participants");
        const found = all.find((p) => p.organisation === organisation);
        return found?.roles[0]?.chainStatus === "granted" ? found : undefined;
      });

      const jobs = (await queryEmbeddedDatabase(
        second,
        dataDir,
        `SELECT kind, status, attempts, tx_hash, tx_raw FROM chain_job ORDER BY id`,
      )) as Array<{ kind: string; status: string; attempts: number; tx_hash: string; tx_raw: string }>;
      // One job, one signed transaction: the one recorded before the crash (sent again if it never left).
      expect(jobs.map((j) => [j.kind, j.status, j.attempts])).toEqual([["role", "done", 1]]);
      expect(jobs[0]?.tx_hash).toBe(recorded?.tx_hash);
      expect(jobs[0]?.tx_raw).toBe(recorded?.tx_raw);

      // The chain granted the role once, in that transaction; the role and its history say so too.
      const rpcUrl = String(logged(second, "embedded anvil ready")?.rpcUrl);
      const health = await get<{ chain: { contracts: { TraceLedger: { address: string } } } }>("/health");
      const provider = new JsonRpcProvider(rpcUrl, undefined, { batchMaxCount: 1 });
      try {
        const ledger = TraceLedger__factory.connect(health.chain.contracts.TraceLedger.address, provider);
        const grants = await ledger.queryFilter(
          ledger.filters.RoleGranted(ROLES.supplier, getAddress(participant.address)),
          0,
        );
        expect(grants.map((g) => g.transactionHash)).toEqual([recorded?.tx_hash]);
      } finally {
        provider.destroy();
      }
      expect(participant.roles[0]?.txHash).toBe(recorded?.tx_hash);
      const history = await get<Array<{ action: string; txHash: string }>>(
        `/participants/${participant.id}/roles/history`,
      );
      expect(history.map((h) => [h.action, h.txHash])).toEqual([["granted", recorded?.tx_hash]]);
      expect(await second.stop()).toBe(0);
    }, 180_000);
  }
});

/**
 * What the crashed process recorded for its job, read before anything restarts: its embedded PostgreSQL outlives
 * it (the next start stops it as an orphan).
 */
async function queryEmbeddedDatabaseOffline(
  crashed: ServiceProcess,
  dataDir: string,
): Promise<Array<{ tx_hash: string; tx_raw: string }> | undefined> {
  const rows = (await queryEmbeddedDatabase(
    crashed,
    dataDir,
    `SELECT status, tx_hash, tx_raw FROM chain_job WHERE kind = 'role'`,
  )) as Array<{ status: string; tx_hash: string; tx_raw: string }>;
  expect(rows.map((r) => r.status)).toEqual(["sent"]);
  expect(rows[0]?.tx_raw).toMatch(/^0x02/);
  return rows;
}
