import type { DataSource } from "typeorm";

/**
 * Background passes (retrying retirements, attestations, role grants) that must not run twice at once, in one
 * instance or across the instances sharing the database: two passes would send the same transaction twice.
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
