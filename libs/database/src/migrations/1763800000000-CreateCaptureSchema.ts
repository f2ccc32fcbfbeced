import type { MigrationInterface, QueryRunner } from "typeorm";

/** Participants and their keys, capture jobs, events and what they reference, lots under mass balance, evidence. */
export class CreateCaptureSchema1763800000000 implements MigrationInterface {
  name = "CreateCaptureSchema1763800000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "participant_role" (
        "participant_id" uuid NOT NULL,
        "role" text NOT NULL,
        "chain_status" text NOT NULL DEFAULT 'pending',
        "chain_tx_hash" text,
        "chain_error" text,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_participant_role" PRIMARY KEY ("participant_id", "role")
      )`);
    await queryRunner.query(`
      CREATE TABLE "participant" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation" text NOT NULL,
        "identifier_scheme" text NOT NULL,
        "identifier" text NOT NULL,
        "display_name_zh" text NOT NULL,
        "display_name_en" text NOT NULL,
        "address" text NOT NULL,
        "custodial" boolean NOT NULL,
        "encrypted_key" bytea,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_participant_address" UNIQUE ("address"),
        CONSTRAINT "UQ_participant_identifier" UNIQUE ("identifier_scheme", "identifier"),
        CONSTRAINT "PK_participant" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "api_key" (
        "id" text NOT NULL,
        "participant_id" uuid NOT NULL,
        "secret_sha256" bytea NOT NULL,
        "label" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_api_key" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_api_key_participant" ON "api_key"("participant_id")`);
    await queryRunner.query(`
      CREATE TABLE "capture_job" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "participant_id" uuid NOT NULL,
        "event_count" integer NOT NULL,
        "created_count" integer NOT NULL,
        "document_sha256" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "finished_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_capture_job" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_capture_job_participant" ON "capture_job"("participant_id")`);
    await queryRunner.query(`
      CREATE TABLE "epcis_event" (
        "event_hash" text NOT NULL,
        "event_id" text NOT NULL,
        "event_type" text NOT NULL,
        "action" text,
        "biz_step" text,
        "disposition" text,
        "read_point" text,
        "biz_location" text,
        "event_time" TIMESTAMP WITH TIME ZONE NOT NULL,
        "event_time_zone_offset" text NOT NULL,
        "record_time" TIMESTAMP WITH TIME ZONE NOT NULL,
        "body" jsonb NOT NULL,
        "context" jsonb NOT NULL,
        "participant_id" uuid NOT NULL,
        "role" text NOT NULL,
        "signer" text NOT NULL,
        "signature" text NOT NULL,
        "custodial" boolean NOT NULL,
        "capture_id" uuid NOT NULL,
        "error_declaration" jsonb,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_epcis_event_event_id" UNIQUE ("event_id"),
        CONSTRAINT "PK_epcis_event" PRIMARY KEY ("event_hash")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_epcis_event_type" ON "epcis_event"("event_type")`);
    await queryRunner.query(`CREATE INDEX "IDX_epcis_event_biz_step" ON "epcis_event"("biz_step")`);
    await queryRunner.query(`CREATE INDEX "IDX_epcis_event_biz_location" ON "epcis_event"("biz_location")`);
    await queryRunner.query(`CREATE INDEX "IDX_epcis_event_event_time" ON "epcis_event"("event_time")`);
    await queryRunner.query(`CREATE INDEX "IDX_epcis_event_record_time" ON "epcis_event"("record_time")`);
    await queryRunner.query(`CREATE INDEX "IDX_epcis_event_participant" ON "epcis_event"("participant_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_epcis_event_capture" ON "epcis_event"("capture_id")`);
    await queryRunner.query(`
      CREATE TABLE "evidence_file" (
        "cid" text NOT NULL,
        "media_type" text NOT NULL,
        "byte_size" bigint NOT NULL,
        "sha256" text NOT NULL,
        "file_name" text,
        "uploaded_by" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_evidence_file" PRIMARY KEY ("cid")
      )`);
    await queryRunner.query(`
      CREATE TABLE "event_evidence" (
        "event_hash" text NOT NULL,
        "cid" text NOT NULL,
        "kind" text,
        CONSTRAINT "PK_event_evidence" PRIMARY KEY ("event_hash", "cid")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_event_evidence_cid" ON "event_evidence"("cid")`);
    await queryRunner.query(`
      CREATE TABLE "event_reference" (
        "event_hash" text NOT NULL,
        "field" text NOT NULL,
        "position" integer NOT NULL,
        "uri" text NOT NULL,
        "is_class" boolean NOT NULL,
        "quantity" numeric,
        "uom" text,
        CONSTRAINT "PK_event_reference" PRIMARY KEY ("event_hash", "field", "position")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_event_reference_uri" ON "event_reference"("uri")`);
    await queryRunner.query(`
      CREATE TABLE "lot" (
        "id" text NOT NULL,
        "gtin" text NOT NULL,
        "lot_number" text NOT NULL,
        "unit" text NOT NULL,
        "produced" numeric NOT NULL DEFAULT '0',
        "consumed" numeric NOT NULL DEFAULT '0',
        "external" boolean NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_lot_non_negative" CHECK ("consumed" >= 0 AND "produced" >= 0),
        CONSTRAINT "CHK_lot_consumed_within_produced" CHECK ("consumed" <= "produced"),
        CONSTRAINT "PK_lot" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "lot_movement" (
        "event_hash" text NOT NULL,
        "lot_id" text NOT NULL,
        "direction" text NOT NULL,
        "quantity" numeric NOT NULL,
        "unit" text NOT NULL,
        "mass_kg" numeric,
        CONSTRAINT "PK_lot_movement" PRIMARY KEY ("event_hash", "lot_id", "direction")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_lot_movement_lot" ON "lot_movement"("lot_id")`);
    await queryRunner.query(
      `ALTER TABLE "participant_role" ADD CONSTRAINT "FK_participant_role_participant" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_key" ADD CONSTRAINT "FK_api_key_participant" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "capture_job" ADD CONSTRAINT "FK_capture_job_participant" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "epcis_event" ADD CONSTRAINT "FK_epcis_event_participant" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "epcis_event" ADD CONSTRAINT "FK_epcis_event_capture" FOREIGN KEY ("capture_id") REFERENCES "capture_job"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "evidence_file" ADD CONSTRAINT "FK_evidence_file_uploader" FOREIGN KEY ("uploaded_by") REFERENCES "participant"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "event_evidence" ADD CONSTRAINT "FK_event_evidence_event" FOREIGN KEY ("event_hash") REFERENCES "epcis_event"("event_hash") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "event_evidence" ADD CONSTRAINT "FK_event_evidence_file" FOREIGN KEY ("cid") REFERENCES "evidence_file"("cid") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "event_reference" ADD CONSTRAINT "FK_event_reference_event" FOREIGN KEY ("event_hash") REFERENCES "epcis_event"("event_hash") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "lot_movement" ADD CONSTRAINT "FK_lot_movement_event" FOREIGN KEY ("event_hash") REFERENCES "epcis_event"("event_hash") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "lot_movement" ADD CONSTRAINT "FK_lot_movement_lot" FOREIGN KEY ("lot_id") REFERENCES "lot"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "lot_movement" DROP CONSTRAINT "FK_lot_movement_lot"`);
    await queryRunner.query(`ALTER TABLE "lot_movement" DROP CONSTRAINT "FK_lot_movement_event"`);
    await queryRunner.query(`ALTER TABLE "event_reference" DROP CONSTRAINT "FK_event_reference_event"`);
    await queryRunner.query(`ALTER TABLE "event_evidence" DROP CONSTRAINT "FK_event_evidence_file"`);
    await queryRunner.query(`ALTER TABLE "event_evidence" DROP CONSTRAINT "FK_event_evidence_event"`);
    await queryRunner.query(`ALTER TABLE "evidence_file" DROP CONSTRAINT "FK_evidence_file_uploader"`);
    await queryRunner.query(`ALTER TABLE "epcis_event" DROP CONSTRAINT "FK_epcis_event_capture"`);
    await queryRunner.query(`ALTER TABLE "epcis_event" DROP CONSTRAINT "FK_epcis_event_participant"`);
    await queryRunner.query(`ALTER TABLE "capture_job" DROP CONSTRAINT "FK_capture_job_participant"`);
    await queryRunner.query(`ALTER TABLE "api_key" DROP CONSTRAINT "FK_api_key_participant"`);
    await queryRunner.query(`ALTER TABLE "participant_role" DROP CONSTRAINT "FK_participant_role_participant"`);
    await queryRunner.query(`DROP TABLE "lot_movement"`);
    await queryRunner.query(`DROP TABLE "lot"`);
    await queryRunner.query(`DROP TABLE "event_reference"`);
    await queryRunner.query(`DROP TABLE "event_evidence"`);
    await queryRunner.query(`DROP TABLE "evidence_file"`);
    await queryRunner.query(`DROP TABLE "epcis_event"`);
    await queryRunner.query(`DROP TABLE "capture_job"`);
    await queryRunner.query(`DROP TABLE "api_key"`);
    await queryRunner.query(`DROP TABLE "participant"`);
    await queryRunner.query(`DROP TABLE "participant_role"`);
  }
}
