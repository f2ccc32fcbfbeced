import type { DataSource } from "typeorm";
import { DomainError } from "#common";

/**
 * Background passes that must not run twice at once, in one instance or across the instances sharing the database
 * (refreshing the planner statistics: two would do the same work twice).
 */
export interface PassLease {
  /** Runs `pass` if no one else is running the pass of this name; false when someone is (nothing was run). */
  run(name: string, pass: () => Promise<void>): Promise<boolean>;
}

/** Distinguishes these leases from other advisory locks (two-key locks never collide with one-key ones). */
const LEASE_CLASS = 0x43545041; // "CTPA"

/**
 * A PostgreSQL session advisory lock per pass name, held on a connection of its own for the length of the pass.
 * If the instance dies mid-pass, its connection closes and the lease is free again.
 */
export class AdvisoryPassLease implements PassLease {
  constructor(private readonly dataSource: DataSource) {}

  async run(name: string, pass: () => Promise<void>): Promise<boolean> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [row] = (await runner.query(`SELECT pg_try_advisory_lock($1, hashtext($2)) AS "locked"`, [
        LEASE_CLASS,
        name,
      ])) as Array<{ locked: boolean }>;
      if (row?.locked !== true) return false;
      try {
        await pass();
        return true;
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [LEASE_CLASS, name]);
      }
    } finally {
      await runner.release();
    }
  }
}

/** Distinguishes the nonce locks from other advisory locks. */
const NONCE_CLASS = 0x43544e4f; // "CTNO"

/**
 * The chain account's nonces, owned by one sender at a time across the instances sharing the database: a
 * transaction-scoped PostgreSQL advisory lock per account, held on a connection of its own from reading the next
 * nonce until the node has the signed transaction (milliseconds: never while waiting for a block). The lock ends
 * with its transaction, so an error, or an instance dying, frees it. Waiting for it is bounded by the statement
 * deadline; a wait that runs out is an "unavailable" error, retried like an unreachable chain.
 */
export class AdvisoryNonceLock {
  constructor(private readonly dataSource: DataSource) {}

  async hold<T>(account: string, work: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      try {
        await runner.connect();
        await runner.startTransaction();
        await runner.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [NONCE_CLASS, account.toLowerCase()]);
      } catch (error) {
        throw new DomainError(
          "CHAIN.NONCE_LOCK_UNAVAILABLE",
          "unavailable",
          "Another instance is sending from the service account, or the database did not answer: try again",
          { part: "chain", retryAfterSeconds: 5 },
          { cause: error },
        );
      }
      return await work();
    } finally {
      // The transaction wrote nothing: ending it is what frees the lock.
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }
}
