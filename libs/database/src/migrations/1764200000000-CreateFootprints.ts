import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The versioned emission factor library (immutable factors), footprint calculations, lot baselines, published
 * PACT ProductFootprints, PACT clients, tokens, received events and answers to deliver; participants get a country.
 */
export class CreateFootprints1764200000000 implements MigrationInterface {
  name = "CreateFootprints1764200000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "factor_library_version" (
        "version" integer NOT NULL,
        "description" text NOT NULL,
        "created_by" text NOT NULL,
        "factor_count" integer NOT NULL,
        "content_sha256" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_factor_library_version" PRIMARY KEY ("version")
      )`);
    await queryRunner.query(`
      CREATE TABLE "emission_factor" (
        "id" text NOT NULL,
        "name" text NOT NULL,
        "category" text NOT NULL,
        "value" numeric NOT NULL,
        "unit" text NOT NULL,
        "per_unit" text NOT NULL,
        "kg_per_unit" numeric NOT NULL,
        "gas" text NOT NULL,
        "region" text NOT NULL,
        "year" integer NOT NULL,
        "source" text NOT NULL,
        "source_url" text NOT NULL,
        "licence" text NOT NULL,
        "activity" text,
        "added_in" integer NOT NULL,
        "supersedes" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_emission_factor" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_emission_factor_category" ON "emission_factor" ("category")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_emission_factor_supersedes" ON "emission_factor" ("supersedes") WHERE "supersedes" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_emission_factor_region_year" ON "emission_factor" ("region", "year")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_emission_factor_choice" ON "emission_factor" ("activity", "region", "year")`,
    );
    await queryRunner.query(`
      CREATE TABLE "footprint_calculation" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "lot_id" text NOT NULL,
        "library_version" integer NOT NULL,
        "inputs_sha256" text NOT NULL,
        "total_kg" numeric NOT NULL,
        "per_unit_kg" numeric NOT NULL,
        "result" jsonb NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_footprint_calculation_inputs" UNIQUE ("lot_id", "library_version", "inputs_sha256"),
        CONSTRAINT "PK_footprint_calculation" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_footprint_calculation_lot" ON "footprint_calculation" ("lot_id")`);
    await queryRunner.query(`
      CREATE TABLE "lot_baseline" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "lot_id" text NOT NULL,
        "scenario" jsonb NOT NULL,
        "declared_by" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_lot_baseline" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_lot_baseline_lot" ON "lot_baseline" ("lot_id", "created_at")`);
    await queryRunner.query(`
      CREATE TABLE "pact_client" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "client_id" text NOT NULL,
        "secret_sha256" bytea NOT NULL,
        "name" text NOT NULL,
        "owner_id" uuid,
        "callback_url" text,
        "callback_client_id" text,
        "callback_secret" bytea,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "UQ_pact_client_client_id" UNIQUE ("client_id"),
        CONSTRAINT "PK_pact_client" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "pact_event" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "client" uuid NOT NULL,
        "event_id" text NOT NULL,
        "type" text NOT NULL,
        "source" text NOT NULL,
        "body" jsonb NOT NULL,
        "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_pact_event_client_event" UNIQUE ("client", "event_id"),
        CONSTRAINT "PK_pact_event" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "pact_delivery" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "request_id" uuid NOT NULL,
        "target" text NOT NULL,
        "body" jsonb NOT NULL,
        "status" text NOT NULL,
        "attempts" integer NOT NULL DEFAULT '0',
        "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_error" text,
        "delivered_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_pact_delivery_request" UNIQUE ("request_id"),
        CONSTRAINT "PK_pact_delivery" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_pact_delivery_due" ON "pact_delivery" ("status", "next_attempt_at")`);
    await queryRunner.query(`
      CREATE TABLE "pact_token" (
        "token_sha256" text NOT NULL,
        "client" uuid NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_pact_token" PRIMARY KEY ("token_sha256")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_pact_token_client" ON "pact_token" ("client")`);
    await queryRunner.query(`CREATE INDEX "IDX_pact_token_expires_at" ON "pact_token" ("expires_at")`);
    await queryRunner.query(`
      CREATE TABLE "product_footprint" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "lot_id" text NOT NULL,
        "calculation_id" uuid NOT NULL,
        "owner_id" uuid NOT NULL,
        "status" text NOT NULL,
        "document" jsonb NOT NULL,
        "product_ids" text array NOT NULL,
        "company_ids" text array NOT NULL,
        "classifications" text array NOT NULL,
        "geography" text array NOT NULL,
        "validity_start" TIMESTAMP WITH TIME ZONE NOT NULL,
        "validity_end" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_product_footprint" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_product_footprint_lot" ON "product_footprint" ("lot_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_product_footprint_owner" ON "product_footprint" ("owner_id")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_product_footprint_active_lot" ON "product_footprint" ("lot_id") WHERE "status" = 'Active'`,
    );
    await queryRunner.query(`ALTER TABLE "participant" ADD "country" text`);
    await queryRunner.query(
      `ALTER TABLE "emission_factor" ADD CONSTRAINT "FK_emission_factor_version" FOREIGN KEY ("added_in") REFERENCES "factor_library_version"("version") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "emission_factor" ADD CONSTRAINT "FK_emission_factor_supersedes" FOREIGN KEY ("supersedes") REFERENCES "emission_factor"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "footprint_calculation" ADD CONSTRAINT "FK_footprint_calculation_lot" FOREIGN KEY ("lot_id") REFERENCES "lot"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "footprint_calculation" ADD CONSTRAINT "FK_footprint_calculation_version" FOREIGN KEY ("library_version") REFERENCES "factor_library_version"("version") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "lot_baseline" ADD CONSTRAINT "FK_lot_baseline_lot" FOREIGN KEY ("lot_id") REFERENCES "lot"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "pact_client" ADD CONSTRAINT "FK_pact_client_owner" FOREIGN KEY ("owner_id") REFERENCES "participant"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "pact_event" ADD CONSTRAINT "FK_pact_event_client" FOREIGN KEY ("client") REFERENCES "pact_client"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "pact_delivery" ADD CONSTRAINT "FK_pact_delivery_request" FOREIGN KEY ("request_id") REFERENCES "pact_event"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "pact_token" ADD CONSTRAINT "FK_pact_token_client" FOREIGN KEY ("client") REFERENCES "pact_client"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "product_footprint" ADD CONSTRAINT "FK_product_footprint_lot" FOREIGN KEY ("lot_id") REFERENCES "lot"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "product_footprint" ADD CONSTRAINT "FK_product_footprint_calculation" FOREIGN KEY ("calculation_id") REFERENCES "footprint_calculation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "product_footprint" ADD CONSTRAINT "FK_product_footprint_owner" FOREIGN KEY ("owner_id") REFERENCES "participant"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_product_footprint_product_ids" ON "product_footprint" USING gin ("product_ids")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_product_footprint_company_ids" ON "product_footprint" USING gin ("company_ids")`,
    );
    await queryRunner.query(
      `ALTER TABLE "product_footprint" ADD CONSTRAINT "CHK_product_footprint_status" CHECK ("status" IN ('Active', 'Deprecated'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "pact_delivery" ADD CONSTRAINT "CHK_pact_delivery_status" CHECK ("status" IN ('pending', 'delivered', 'abandoned'))`,
    );
    // Factors are evidence for every calculation that used them: nothing may change or remove one.
    await queryRunner.query(`
      CREATE FUNCTION "emission_factor_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'emission factors are immutable: add a new library version instead' USING ERRCODE = 'restrict_violation';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "TRG_emission_factor_immutable" BEFORE UPDATE OR DELETE ON "emission_factor"
      FOR EACH ROW EXECUTE FUNCTION "emission_factor_immutable"()`);
    await queryRunner.query(`
      CREATE TRIGGER "TRG_factor_library_version_immutable" BEFORE UPDATE OR DELETE ON "factor_library_version"
      FOR EACH ROW EXECUTE FUNCTION "emission_factor_immutable"()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "pact_delivery"`);
    await queryRunner.query(`DROP TABLE "pact_event"`);
    await queryRunner.query(`DROP TABLE "pact_token"`);
    await queryRunner.query(`DROP TABLE "pact_client"`);
    await queryRunner.query(`DROP TABLE "product_footprint"`);
    await queryRunner.query(`DROP TABLE "lot_baseline"`);
    await queryRunner.query(`DROP TABLE "footprint_calculation"`);
    await queryRunner.query(`DROP TABLE "emission_factor"`);
    await queryRunner.query(`DROP TABLE "factor_library_version"`);
    await queryRunner.query(`DROP FUNCTION "emission_factor_immutable"()`);
    await queryRunner.query(`ALTER TABLE "participant" DROP COLUMN "country"`);
  }
}
