import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * One outbox for every transaction the service sends besides anchors: retirements, attestations and role changes
 * become chain jobs, leased by one instance at a time, their signed transactions recorded before broadcast.
 * Retirements and attestations still waiting for the chain get their job here, so none is forgotten.
 */
export class CreateChainJobs1765400000000 implements MigrationInterface {
  name = "CreateChainJobs1765400000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "chain_job" ("id" BIGSERIAL NOT NULL, "kind" text NOT NULL, "subject" text NOT NULL,
        "status" text NOT NULL DEFAULT 'queued', "attempts" integer NOT NULL DEFAULT 0, "tx_hash" text, "tx_nonce" integer,
        "tx_raw" text, "block_number" bigint, "last_error" text, "lease_token" uuid, "leased_by" uuid, "leased_until" TIMESTAMP WITH TIME ZONE,
        "due_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_chain_job_kind" CHECK ("kind" IN ('retirement', 'attestation', 'role-grant', 'role-revoke')),
        CONSTRAINT "CHK_chain_job_status" CHECK ("status" IN ('queued', 'sent', 'done', 'failed')),
        CONSTRAINT "PK_chain_job" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_chain_job_live" ON "chain_job" ("kind", "subject") WHERE "status" IN ('queued', 'sent')`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_chain_job_due" ON "chain_job" ("due_at") WHERE "status" IN ('queued', 'sent')`,
    );
    await queryRunner.query(
      `INSERT INTO "chain_job" ("kind", "subject")
       SELECT 'retirement', "id"::text FROM "offset_retirement" WHERE "status" = 'pending'
       UNION ALL SELECT 'attestation', "id"::text FROM "attestation" WHERE "status" = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "chain_job"`);
  }
}
