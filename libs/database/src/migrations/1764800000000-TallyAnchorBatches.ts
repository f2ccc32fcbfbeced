import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Batch and event counts per anchoring status, kept by a trigger on `anchor_batch` in the same transaction as
 * every insert, status change or delete: reading them costs four rows instead of a scan of every batch ever
 * anchored. Filled from the existing batches.
 */
export class TallyAnchorBatches1764800000000 implements MigrationInterface {
  name = "TallyAnchorBatches1764800000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "anchor_tally" (
        "status" text NOT NULL,
        "batches" bigint NOT NULL DEFAULT '0',
        "events" bigint NOT NULL DEFAULT '0',
        CONSTRAINT "PK_anchor_tally" PRIMARY KEY ("status")
      )`);
    await queryRunner.query(`
      CREATE FUNCTION "anchor_tally_track"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          UPDATE "anchor_tally" SET "batches" = "batches" - 1, "events" = "events" - OLD."leaf_count"
          WHERE "status" = OLD."status";
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO "anchor_tally" ("status", "batches", "events") VALUES (NEW."status", 1, NEW."leaf_count")
          ON CONFLICT ("status") DO UPDATE
          SET "batches" = "anchor_tally"."batches" + 1, "events" = "anchor_tally"."events" + EXCLUDED."events";
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "anchor_batch_tally" AFTER INSERT OR DELETE OR UPDATE OF "status", "leaf_count" ON "anchor_batch"
      FOR EACH ROW EXECUTE FUNCTION "anchor_tally_track"()`);
    // TRUNCATE fires no row triggers: it empties the tally too (test resets, a wiped deployment).
    await queryRunner.query(`
      CREATE FUNCTION "anchor_tally_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE "anchor_tally" SET "batches" = 0, "events" = 0;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "anchor_batch_tally_truncate" AFTER TRUNCATE ON "anchor_batch"
      FOR EACH STATEMENT EXECUTE FUNCTION "anchor_tally_clear"()`);
    // Batches written while this migration runs wait for the trigger's table lock, so none is counted twice or lost.
    await queryRunner.query(`LOCK TABLE "anchor_batch" IN SHARE MODE`);
    await queryRunner.query(`
      INSERT INTO "anchor_tally" ("status", "batches", "events")
      SELECT "status", count(*), coalesce(sum("leaf_count"), 0) FROM "anchor_batch" GROUP BY "status"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "anchor_batch_tally_truncate" ON "anchor_batch"`);
    await queryRunner.query(`DROP TRIGGER "anchor_batch_tally" ON "anchor_batch"`);
    await queryRunner.query(`DROP FUNCTION "anchor_tally_clear"()`);
    await queryRunner.query(`DROP FUNCTION "anchor_tally_track"()`);
    await queryRunner.query(`DROP TABLE "anchor_tally"`);
  }
}
