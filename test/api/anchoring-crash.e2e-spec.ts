import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { JsonRpcProvider } from "ethers";
import { FAILPOINTS } from "#anchoring";
import { eventHashesOfDocument } from "#epcis";
import { TraceLedger__factory } from "#ledger";
import { commissioning, epcisDocument, GTIN, newLot, quantity } from "../support/epcis.js";
import { uniqueGln } from "../support/participants.js";
import { freeServicePort, logged, queryEmbeddedDatabase, waitHealthy } from "../support/service.js";
import { crashTestServices } from "../support/crash-services.js";
import { waitFor } from "../support/waits.js";
import { readFile } from "node:fs/promises";

const services = crashTestServices({
  ANCHOR_BATCH_SIZE: "4",
  ANCHOR_BATCH_WINDOW_MS: "200",
  ANCHOR_POLL_MS: "100",
});
async function post(url: string, token: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("anchoring survives being killed at any point", () => {
  for (const failpoint of FAILPOINTS) {
    it(`anchors every event exactly once after a crash at ${failpoint}`, async () => {
      // Crashes while anchoring, so after a first start: from a copy of a DATA_DIR that one initialised.
      const dataDir = await services.initialisedDataDir("crash");
      const port = await freeServicePort();

      const first = services.start(dataDir, port, failpoint);
      await waitHealthy(first);
      const admin = (await readFile(join(dataDir, "keys", "admin-api-key"), "utf8")).trim();
      const registered = await post(`${first.url}/participants`, admin, {
        organisation: "Crash Test Recycling",
        identifier: { scheme: "gln", value: uniqueGln() },
        displayName: { zh: "崩溃测试", en: "Crash Test" },
        roles: ["supplier"],
        custody: "custodial",
      });
      const token = ((await registered.json()) as { apiKey: { token: string } }).apiKey.token;
      const captured: string[] = [];
      // A document whose request the crash cut off: stored or not, the partner does not know, so it resends it.
      let unanswered: unknown;
      for (let i = 0; i < 3; i++) {
        const document = epcisDocument(
          [1, 2, 3].map(() => commissioning([quantity(GTIN.bales, newLot("C"), 10, "KGM")])),
        );
        const response = await post(`${first.url}/capture`, token, document).catch(() => undefined);
        if (response?.status !== 202) {
          unanswered = response === undefined ? document : undefined;
          break; // the failpoint killed the service
        }
        captured.push(...eventHashesOfDocument(document));
      }
      expect(captured.length).toBeGreaterThanOrEqual(3);
      await first.exited;
      expect(first.child.signalCode).toBe("SIGKILL");

      const second = services.start(dataDir, port, "");
      await waitHealthy(second);
      if (unanswered !== undefined) {
        expect((await post(`${second.url}/capture`, token, unanswered)).status).toBe(202);
        captured.push(...eventHashesOfDocument(unanswered));
      }
      const counts = await waitFor(
        "every captured event to be final",
        async () => {
          const status = (await (await fetch(`${second.url}/anchoring`)).json()) as { events: Record<string, number> };
          const { queued, built, sent, anchored, final } = status.events;
          return queued === 0 && built === 0 && sent === 0 && anchored === 0 && final === captured.length
            ? status.events
            : undefined;
        },
        60_000,
        200,
      );
      expect(counts.final).toBe(captured.length);

      // The chain's view: every RootAnchored once, and exactly the roots of the database's batches.
      const rpcUrl = String(logged(second, "embedded anvil ready")?.rpcUrl);
      const health = (await (await fetch(`${second.url}/health`)).json()) as {
        chain: { contracts: { TraceLedger: { address: string } } };
      };
      const provider = new JsonRpcProvider(rpcUrl, undefined, { batchMaxCount: 1 });
      const ledger = TraceLedger__factory.connect(health.chain.contracts.TraceLedger.address, provider);
      const anchoredRoots = (await ledger.queryFilter(ledger.filters.RootAnchored(), 0)).map((log) => log.args.root);
      provider.destroy();
      expect(new Set(anchoredRoots).size).toBe(anchoredRoots.length);

      const batches = (await queryEmbeddedDatabase(
        second,
        dataDir,
        `SELECT id, root, status FROM anchor_batch ORDER BY id`,
      )) as Array<{
        id: number;
        root: string;
        status: string;
      }>;
      expect(batches.every((b) => b.status === "final")).toBe(true);
      expect(new Set(batches.map((b) => b.root))).toEqual(new Set(anchoredRoots));

      // The database's view: each captured event in exactly one batch, and in that batch's anchored manifest.
      const leaves = (await queryEmbeddedDatabase(
        second,
        dataDir,
        `SELECT event_hash, batch_id FROM batch_leaf`,
      )) as Array<{
        event_hash: string;
        batch_id: number;
      }>;
      expect(leaves.map((l) => l.event_hash).sort()).toEqual([...captured].sort());
      for (const batch of batches) {
        const served = (await (await fetch(`${second.url}/anchoring/batches/${String(batch.id)}`)).json()) as {
          manifest: { events: Array<{ eventHash: string }> };
        };
        const inBatch = leaves
          .filter((l) => l.batch_id === batch.id)
          .map((l) => l.event_hash)
          .sort();
        expect(served.manifest.events.map((e) => e.eventHash).sort()).toEqual(inBatch);
      }
      expect(await second.stop()).toBe(0);
    }, 180_000);
  }
});
