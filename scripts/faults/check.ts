import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import pg from "pg";
import { silentLogger } from "#common";
import { EmbeddedEvidenceStore } from "#evidence";
import { TraceLedger__factory } from "#ledger";
import { canonicalBytes } from "#proof";

/** What the checker proves after the run, from the database, the chain and the IPFS store themselves. */
export interface CheckFigures {
  /** Acknowledged events the database does not hold. */
  readonly lost: number;
  /** Lots commissioned by more than one stored event (an event stored twice under any hash). */
  readonly duplicated: number;
  /** Acknowledged events stored but not in a batch mined on the chain. */
  readonly stuck: number;
  /** Roots the chain anchored more than once, or events in more than one batch. */
  readonly anchoredTwice: number;
  /** Batches the database calls anchored that the chain does not have at the recorded batch id. */
  readonly chainDisagrees: number;
  readonly batches: number;
}

interface BatchRow {
  readonly id: number;
  readonly root: string;
  readonly chain_batch_id: string | null;
  readonly manifest_cid: string;
  /** The manifest as stored: JSON text (canonical when the service wrote it; parsed and canonicalised here). */
  readonly manifest: string;
}

/** Database and chain checks; needs the service's PostgreSQL and anvil running. */
export async function checkStoredAndAnchored(
  databaseUrl: string,
  rpcUrl: string,
  acknowledged: ReadonlySet<string>,
  participantId: string,
): Promise<CheckFigures & { readonly manifests: ReadonlyArray<{ cid: string; bytes: Uint8Array }> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const hashes = [...acknowledged];
    const stored = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "epcis_event" WHERE "event_hash" = ANY($1)`,
      [hashes],
    );
    const duplicated = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT "body"->'quantityList'->0->>'epcClass' FROM "epcis_event" WHERE "participant_id" = $1
         GROUP BY 1 HAVING count(*) > 1) d`,
      [participantId],
    );
    const anchored = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "batch_leaf" l JOIN "anchor_batch" b ON b."id" = l."batch_id"
       WHERE l."event_hash" = ANY($1) AND b."status" IN ('anchored', 'final')`,
      [hashes],
    );
    const leavesTwice = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT "event_hash" FROM "batch_leaf" GROUP BY 1 HAVING count(*) > 1) d`,
    );
    const batches = await client.query<BatchRow>(
      `SELECT "id", "root", "chain_batch_id", "manifest_cid", "manifest" FROM "anchor_batch"
       WHERE "status" IN ('anchored', 'final') ORDER BY "id"`,
    );
    const contract = await client.query<{ address: string }>(
      `SELECT "address" FROM "chain_contract" WHERE "name" = 'TraceLedger'`,
    );
    const chain = await compareWithChain(rpcUrl, contract.rows[0]?.address ?? "", batches.rows);
    return {
      lost: acknowledged.size - (stored.rows[0]?.n ?? 0),
      duplicated: duplicated.rows[0]?.n ?? 0,
      stuck: (stored.rows[0]?.n ?? 0) - (anchored.rows[0]?.n ?? 0),
      anchoredTwice: chain.rootsTwice + (leavesTwice.rows[0]?.n ?? 0),
      chainDisagrees: chain.disagree,
      batches: batches.rows.length,
      manifests: batches.rows.map((row) => ({
        cid: row.manifest_cid,
        bytes: canonicalBytes(JSON.parse(row.manifest)),
      })),
    };
  } finally {
    await client.end();
  }
}

/** Every RootAnchored event on the chain, against the database's batches: each root once, each batch there. */
async function compareWithChain(
  rpcUrl: string,
  address: string,
  batches: readonly BatchRow[],
): Promise<{ rootsTwice: number; disagree: number }> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  try {
    const ledger = TraceLedger__factory.connect(address, provider);
    const logs = await ledger.queryFilter(ledger.filters.RootAnchored(), 0, "latest");
    const perRoot = new Map<string, number>();
    for (const log of logs) perRoot.set(log.args.root, (perRoot.get(log.args.root) ?? 0) + 1);
    const rootsTwice = [...perRoot.values()].filter((n) => n > 1).length;
    let disagree = 0;
    for (const batch of batches) {
      const onChain = await ledger.anchorOf(batch.root);
      if (onChain.batchId === 0n || onChain.batchId.toString() !== batch.chain_batch_id) disagree += 1;
    }
    // A root on the chain that no database batch claims would be an anchor the service lost track of.
    const known = new Set(batches.map((batch) => batch.root));
    disagree += [...perRoot.keys()].filter((root) => !known.has(root)).length;
    return { rootsTwice, disagree };
  } finally {
    provider.destroy();
  }
}

/** Reads every batch manifest back from the IPFS store (with the service stopped): the same bytes as recorded. */
export async function unreadableManifests(
  dataDir: string,
  manifests: ReadonlyArray<{ cid: string; bytes: Uint8Array }>,
): Promise<number> {
  const store = await EmbeddedEvidenceStore.open(join(dataDir, "ipfs"), silentLogger);
  let unreadable = 0;
  try {
    for (const manifest of manifests) {
      const bytes = await store.get(manifest.cid).catch(() => undefined);
      if (bytes === undefined || Buffer.compare(Buffer.from(bytes), Buffer.from(manifest.bytes)) !== 0) unreadable += 1;
    }
  } finally {
    await store.close();
  }
  return unreadable;
}
