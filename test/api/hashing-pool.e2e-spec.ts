import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "@jest/globals";
import { Wallet } from "ethers";
import { eventHashOf, namespacesOf } from "#epcis";
import { hashDocument, recoverWithEthers, signEventHash, signingDomain, type DocumentHashingJob } from "#proof";
import type * as Signatures from "#signatures";
import { commissioning, epcisDocument, GTIN, newLot, quantity, type Json } from "../support/epcis.js";
import { ROOT } from "../support/service.js";

/**
 * The worker pool as the compiled service runs it (dist: the worker script exists only there), against the same
 * work done in this thread: same hashes, same signers, same refusals.
 */
async function compiledPool(): Promise<typeof Signatures> {
  return (await import(pathToFileURL(join(ROOT, "dist", "libs", "signatures", "src", "index.js")).href)) as never;
}

const domain = signingDomain(31337n, "0x5fbdb2315678afecb367f032d315642f0aca3e2d");

async function job(): Promise<DocumentHashingJob> {
  const partner = Wallet.createRandom();
  const stranger = Wallet.createRandom();
  const events: Json[] = Array.from({ length: 23 }, () => commissioning([quantity(GTIN.bales, newLot("H"), 5, "KGM")]));
  const declaration = { ...commissioning([quantity(GTIN.bales, newLot("H"), 5, "KGM")]), errorDeclaration: {} };
  events.push(declaration);
  const document = epcisDocument(events);
  const namespaces = namespacesOf(document);
  const hashes = events.map((event) => eventHashOf(event, namespaces));
  const signatures = new Map<string, string>();
  for (const [i, hash] of hashes.entries()) {
    if (i === 3) continue; // unsigned
    const signer = i === 5 ? stranger : partner;
    signatures.set(hash, await signEventHash(signer, domain, hash));
  }
  signatures.set(hashes[7] ?? "", "0x1234"); // not 65 bytes
  signatures.set(hashes[8] ?? "", `0x${"00".repeat(64)}1b`); // 65 bytes that recover nothing
  return { domain, namespaces, events, signatures };
}

/** What a comparison can see of an answer (errors come from another copy of the DomainError class). */
function plain(hashed: { hashes: ReadonlyArray<string | null>; signers: ReadonlyMap<string, unknown> }) {
  return {
    hashes: hashed.hashes,
    signers: [...hashed.signers].map(([hash, signer]) => [
      hash,
      typeof signer === "string"
        ? signer
        : { code: (signer as Error & { code: string }).code, message: (signer as Error).message },
    ]),
  };
}

describe("document hashing on worker threads (compiled service)", () => {
  it("answers what the calling thread answers: hashes, signers, refusals; declarations and unsigned events left out", async () => {
    const { WorkerDocumentHashing } = await compiledPool();
    const pool = WorkerDocumentHashing.start(recoverWithEthers, 2);
    if (pool === undefined) throw new Error("the compiled worker script is missing: run npm run build");
    try {
      expect(pool.threads).toBe(2);
      const work = await job();
      const expected = plain(hashDocument(work));
      expect(plain(await pool.hash(work))).toEqual(expected);
      expect(expected.signers).toHaveLength(22); // 24 events, one unsigned, the declaration left out
      expect(expected.signers.filter(([, signer]) => typeof signer !== "string")).toEqual([
        [expect.any(String), expect.objectContaining({ code: "PROOF.SIGNATURE_MALFORMED" })],
        [expect.any(String), expect.objectContaining({ code: "PROOF.SIGNATURE_MALFORMED" })],
      ]);
      // Many documents at once, as concurrent captures send them.
      const answers = await Promise.all(Array.from({ length: 6 }, () => pool.hash(work)));
      for (const answer of answers) expect(plain(answer)).toEqual(expected);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("answers a document whose worker dies under it, and keeps working with the worker that replaces it", async () => {
    const { WorkerDocumentHashing } = await compiledPool();
    const pool = WorkerDocumentHashing.start(recoverWithEthers, 1);
    if (pool === undefined) throw new Error("the compiled worker script is missing: run npm run build");
    try {
      const work = await job();
      const expected = plain(hashDocument(work));
      const answer = pool.hash(work);
      // The only worker, killed while it holds the job (reached through the pool's private field, for this test).
      await (pool as unknown as { workers: Array<{ terminate(): Promise<number> }> }).workers[0]?.terminate();
      expect(plain(await answer)).toEqual(expected);
      expect(plain(await pool.hash(work))).toEqual(expected);
      expect(pool.threads).toBe(1);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("keeps answering in the calling thread once closed (the service stopping with requests in flight)", async () => {
    const { WorkerDocumentHashing } = await compiledPool();
    const pool = WorkerDocumentHashing.start(recoverWithEthers, 1);
    if (pool === undefined) throw new Error("the compiled worker script is missing: run npm run build");
    await pool.close();
    const work = await job();
    expect(plain(await pool.hash(work))).toEqual(plain(hashDocument(work)));
  }, 60_000);
});
