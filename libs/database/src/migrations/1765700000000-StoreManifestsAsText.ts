import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Batch manifests are kept as JSON text instead of jsonb. Nothing queries inside a manifest (it is read whole, to be
 * served or pinned again), and parsing one of thousands of leaves into jsonb cost PostgreSQL more than storing the
 * rest of its batch. A converted row holds jsonb's rendering of the manifest, not its canonical bytes: readers parse
 * it and canonicalise it again, as they did before.
 */
export class StoreManifestsAsText1765700000000 implements MigrationInterface {
  name = "StoreManifestsAsText1765700000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "anchor_batch" ALTER COLUMN "manifest" TYPE text USING "manifest"::text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "anchor_batch" ALTER COLUMN "manifest" TYPE jsonb USING "manifest"::jsonb`);
  }
}
