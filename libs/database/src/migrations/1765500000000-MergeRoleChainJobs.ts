import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A role's grants and revocations become one kind of chain job ("role"), so that one role never has two live jobs:
 * a revocation can no longer run beside a grant still in flight (and be overtaken by it). Where a role had both, the
 * older job is kept (it may have a transaction in flight) and settles against what the role wants now.
 */
export class MergeRoleChainJobs1765500000000 implements MigrationInterface {
  name = "MergeRoleChainJobs1765500000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "chain_job" j SET "status" = 'failed', "lease_token" = NULL, "leased_by" = NULL, "leased_until" = NULL,
         "last_error" = 'CHAIN.JOB_SUPERSEDED: merged into the role''s older live job', "updated_at" = now()
       WHERE j."kind" IN ('role-grant', 'role-revoke') AND j."status" IN ('queued', 'sent') AND EXISTS (
         SELECT 1 FROM "chain_job" o WHERE o."kind" IN ('role-grant', 'role-revoke') AND o."subject" = j."subject"
           AND o."status" IN ('queued', 'sent') AND o."id" < j."id")`,
    );
    await queryRunner.query(`ALTER TABLE "chain_job" DROP CONSTRAINT "CHK_chain_job_kind"`);
    await queryRunner.query(`UPDATE "chain_job" SET "kind" = 'role' WHERE "kind" IN ('role-grant', 'role-revoke')`);
    await queryRunner.query(
      `ALTER TABLE "chain_job" ADD CONSTRAINT "CHK_chain_job_kind" CHECK ("kind" IN ('retirement', 'attestation', 'role'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "chain_job" DROP CONSTRAINT "CHK_chain_job_kind"`);
    // Which change a merged job was for is the role's to say now: the old kinds only name a first guess.
    await queryRunner.query(`UPDATE "chain_job" SET "kind" = 'role-grant' WHERE "kind" = 'role'`);
    await queryRunner.query(
      `ALTER TABLE "chain_job" ADD CONSTRAINT "CHK_chain_job_kind" CHECK ("kind" IN ('retirement', 'attestation', 'role-grant', 'role-revoke'))`,
    );
  }
}
