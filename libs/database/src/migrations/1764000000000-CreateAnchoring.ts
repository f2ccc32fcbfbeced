import type { MigrationInterface, QueryRunner } from "typeorm";

/** The anchoring outbox, Merkle batches and their leaves, and certifier attestations; events captured before this migration are queued for anchoring. */
export class CreateAnchoring1764000000000 implements MigrationInterface {
  name = "CreateAnchoring1764000000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "anchor_batch" (
        "id" SERIAL NOT NULL,
        "root" text NOT NULL,
        "leaf_count" integer NOT NULL,
        "manifest" jsonb NOT NULL,
        "manifest_cid" text NOT NULL,
        "status" text NOT NULL,
        "chain_id" bigint NOT NULL,
        "contract" text NOT NULL,
        "tx_hash" text,
        "tx_nonce" integer,
        "tx_raw" text,
        "chain_batch_id" bigint,
        "block_number" bigint,
        "block_hash" text,
        "anchored_at" TIMESTAMP WITH TIME ZONE,
        "attempts" integer NOT NULL DEFAULT '0',
        "last_error" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_anchor_batch_root" UNIQUE ("root"),
        CONSTRAINT "PK_anchor_batch" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_anchor_batch_status" ON "anchor_batch"("status")`);
    await queryRunner.query(`
      CREATE TABLE "anchor_outbox" (
        "event_hash" text NOT NULL,
        "enqueued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_anchor_outbox" PRIMARY KEY ("event_hash")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_anchor_outbox_enqueued_at" ON "anchor_outbox"("enqueued_at")`);
    await queryRunner.query(`
      CREATE TABLE "attestation" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "lot_id" text NOT NULL,
        "subject" text NOT NULL,
        "statement_hash" text NOT NULL,
        "statement" jsonb NOT NULL,
        "verdict" text NOT NULL,
        "report_cid" text NOT NULL,
        "participant_id" uuid NOT NULL,
        "certifier" text NOT NULL,
        "signature" text NOT NULL,
        "status" text NOT NULL,
        "tx_hash" text,
        "block_number" bigint,
        "recorded_at" TIMESTAMP WITH TIME ZONE,
        "last_error" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_attestation_statement" UNIQUE ("subject", "certifier", "statement_hash"),
        CONSTRAINT "PK_attestation" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_attestation_lot" ON "attestation"("lot_id")`);
    await queryRunner.query(`
      CREATE TABLE "batch_leaf" (
        "event_hash" text NOT NULL,
        "batch_id" integer NOT NULL,
        "leaf_index" integer NOT NULL,
        "leaf" text NOT NULL,
        CONSTRAINT "UQ_batch_leaf_position" UNIQUE ("batch_id", "leaf_index"),
        CONSTRAINT "PK_batch_leaf" PRIMARY KEY ("event_hash")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_batch_leaf_batch" ON "batch_leaf"("batch_id")`);
    await queryRunner.query(
      `ALTER TABLE "anchor_outbox" ADD CONSTRAINT "FK_anchor_outbox_event" FOREIGN KEY ("event_hash") REFERENCES "epcis_event"("event_hash") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "attestation" ADD CONSTRAINT "FK_attestation_participant" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "batch_leaf" ADD CONSTRAINT "FK_batch_leaf_event" FOREIGN KEY ("event_hash") REFERENCES "epcis_event"("event_hash") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "batch_leaf" ADD CONSTRAINT "FK_batch_leaf_batch" FOREIGN KEY ("batch_id") REFERENCES "anchor_batch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `INSERT INTO "anchor_outbox" ("event_hash", "enqueued_at") SELECT "event_hash", "record_time" FROM "epcis_event"`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "batch_leaf" DROP CONSTRAINT "FK_batch_leaf_batch"`);
    await queryRunner.query(`ALTER TABLE "batch_leaf" DROP CONSTRAINT "FK_batch_leaf_event"`);
    await queryRunner.query(`ALTER TABLE "attestation" DROP CONSTRAINT "FK_attestation_participant"`);
    await queryRunner.query(`ALTER TABLE "anchor_outbox" DROP CONSTRAINT "FK_anchor_outbox_event"`);
    await queryRunner.query(`DROP TABLE "batch_leaf"`);
    await queryRunner.query(`DROP TABLE "attestation"`);
    await queryRunner.query(`DROP TABLE "anchor_outbox"`);
    await queryRunner.query(`DROP TABLE "anchor_batch"`);
  }
}
