import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Products (names shown on labels and the journey page), carbon-credit holdings and their retirements for lots.
 * A serial range can be held once and retired once: exclusion constraints reject any overlap within a registry's
 * serial block, so concurrent requests cannot both succeed (the chain enforces the same, independently).
 */
export class CreateLabels1764400000000 implements MigrationInterface {
  name = "CreateLabels1764400000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await queryRunner.query(`
      CREATE TABLE "product" (
        "gtin" text NOT NULL,
        "name_en" text NOT NULL,
        "name_zh" text NOT NULL,
        "description_en" text,
        "description_zh" text,
        "registered_by" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_product_gtin" CHECK ("gtin" ~ '^[0-9]{14}$'),
        CONSTRAINT "PK_product" PRIMARY KEY ("gtin")
      )`);
    await queryRunner.query(`
      CREATE TABLE "credit_holding" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "registry" text NOT NULL,
        "serial_block" text NOT NULL,
        "project_id" text NOT NULL,
        "vintage" integer NOT NULL,
        "country" text,
        "first_serial" numeric(78,0) NOT NULL,
        "last_serial" numeric(78,0) NOT NULL,
        "serial" text NOT NULL,
        "details" jsonb NOT NULL,
        "registered_by" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_credit_holding_range" CHECK ("first_serial" <= "last_serial"),
        CONSTRAINT "EX_credit_holding_range" EXCLUDE USING gist ("registry" WITH =, "serial_block" WITH =, numrange("first_serial", "last_serial", '[]') WITH &&),
        CONSTRAINT "PK_credit_holding" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "offset_retirement" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "holding_id" uuid NOT NULL,
        "lot_id" text NOT NULL,
        "registry" text NOT NULL,
        "serial_block" text NOT NULL,
        "first_serial" numeric(78,0) NOT NULL,
        "last_serial" numeric(78,0) NOT NULL,
        "serial" text NOT NULL,
        "quantity_kg" numeric NOT NULL,
        "beneficiary" text NOT NULL,
        "reason" text,
        "status" text NOT NULL,
        "tx_hash" text,
        "block_number" bigint,
        "chain_retirement_id" bigint,
        "retired_at" TIMESTAMP WITH TIME ZONE,
        "last_error" text,
        "requested_by" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_offset_retirement_range" CHECK ("first_serial" <= "last_serial"),
        CONSTRAINT "CHK_offset_retirement_status" CHECK ("status" IN ('pending', 'retired', 'failed')),
        CONSTRAINT "EX_offset_retirement_range" EXCLUDE USING gist ("registry" WITH =, "serial_block" WITH =, numrange("first_serial", "last_serial", '[]') WITH &&) WHERE ("status" <> 'failed'),
        CONSTRAINT "PK_offset_retirement" PRIMARY KEY ("id"),
        CONSTRAINT "FK_offset_retirement_holding" FOREIGN KEY ("holding_id") REFERENCES "credit_holding"("id") ON DELETE RESTRICT,
        CONSTRAINT "FK_offset_retirement_lot" FOREIGN KEY ("lot_id") REFERENCES "lot"("id") ON DELETE RESTRICT
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_offset_retirement_lot" ON "offset_retirement" ("lot_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_offset_retirement_holding" ON "offset_retirement" ("holding_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "offset_retirement"`);
    await queryRunner.query(`DROP TABLE "credit_holding"`);
    await queryRunner.query(`DROP TABLE "product"`);
  }
}
