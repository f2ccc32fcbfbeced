import type { MigrationInterface, QueryRunner } from "typeorm";

/** A product's lots, newest first (the GTIN-only Digital Link page), without reading every lot. */
export class IndexLotsByProduct1765000000000 implements MigrationInterface {
  name = "IndexLotsByProduct1765000000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_lot_gtin_created" ON "lot" ("gtin", "created_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_lot_gtin_created"`);
  }
}
